using System.Security.Claims;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Segments;
using CrmMarketing.Web.ViewModels.Segments;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Segments: every staff role may look, Admin and Marketer may change (DESIGN.md §4).</summary>
[Authorize(Policy = Policies.Staff)]
public class SegmentsController(SegmentService segments, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await segments.ListAsync(ct));

    [HttpGet]
    public async Task<IActionResult> Details(int id, [FromQuery] SegmentDetailsQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await segments.GetDetailsAsync(id, query, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpGet]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Create(CancellationToken ct) => View("Edit", await segments.GetEditAsync(null, null, ct));

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] SegmentFormModel form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var result = await segments.CreateAsync(form, CurrentActor(), ct);
            if (result.Outcome == SegmentSaveOutcome.Saved)
            {
                TempData["StatusMessage"] = l["Segment saved."].Value;
                return RedirectToAction(nameof(Details), new { id = result.Id });
            }

            AddError(result);
        }

        return View("Edit", await segments.GetEditAsync(null, form, ct));
    }

    [HttpGet]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await segments.GetEditAsync(id, null, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Edit(int id, [Bind(Prefix = "Form")] SegmentFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (ModelState.IsValid)
        {
            var result = await segments.UpdateAsync(id, form, CurrentActor(), ct);
            if (result.Outcome == SegmentSaveOutcome.NotFound)
            {
                return NotFound();
            }

            if (result.Outcome == SegmentSaveOutcome.Saved)
            {
                TempData["StatusMessage"] = l["Segment saved."].Value;
                return RedirectToAction(nameof(Details), new { id });
            }

            AddError(result);
        }

        var vm = await segments.GetEditAsync(id, form, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!await segments.DeleteAsync(id, CurrentActor(), ct))
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Segment deleted."].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Rebuild(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        var result = await segments.RebuildAsync(id, ct);
        if (result is null)
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Segment rebuilt: {0} members in {1} ms.", result.Members, result.DurationMs].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>The rule builder's live preview: 200 with the count and a sample, or 400 with the reason.</summary>
    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Preview([FromForm] string? rule, CancellationToken ct)
    {
        var outcome = await segments.PreviewAsync(rule, ct);
        return outcome.Preview is null ? BadRequest(new { error = outcome.Error }) : Json(outcome.Preview);
    }

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public Task<IActionResult> AddMembers(SegmentMembersFormModel form, CancellationToken ct) => ChangeMembersAsync(form, add: true, ct);

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public Task<IActionResult> RemoveMembers(SegmentMembersFormModel form, CancellationToken ct) => ChangeMembersAsync(form, add: false, ct);

    /// <summary>The members as CSV, through the customer export (audit entry included).</summary>
    [HttpGet]
    [Authorize(Policy = Policies.ExportCustomers)]
    public async Task<IActionResult> Export(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        if (await segments.GetNameAsync(id, ct) is null)
        {
            return NotFound();
        }

        return new StreamedFileResult(CustomerExportService.ContentType, segments.MembersFileName(id),
            (body, token) => segments.WriteMembersCsvAsync(id, body, token));
    }

    private async Task<IActionResult> ChangeMembersAsync(SegmentMembersFormModel form, bool add, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var back = form.ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : Url.Action(nameof(Details), new { id = form.SegmentId })!;
        if (form.CustomerIds.Count == 0)
        {
            TempData["StatusMessage"] = l["Select at least one customer."].Value;
            TempData["StatusError"] = true;
            return LocalRedirect(back);
        }

        var result = add
            ? await segments.AddMembersAsync(form.SegmentId, form.CustomerIds, CurrentActor(), ct)
            : await segments.RemoveMembersAsync(form.SegmentId, form.CustomerIds, CurrentActor(), ct);
        switch (result.Outcome)
        {
            case SegmentMembersOutcome.NotFound:
                return NotFound();
            case SegmentMembersOutcome.NotStatic:
                TempData["StatusMessage"] = l["Members of a dynamic segment come from its rule; they cannot be added or removed by hand."].Value;
                TempData["StatusError"] = true;
                break;
            default:
                TempData["StatusMessage"] = add
                    ? l["{0} customers added to the segment.", result.Changed].Value
                    : l["{0} customers removed from the segment.", result.Changed].Value;
                break;
        }

        return LocalRedirect(back);
    }

    private void AddError(SegmentSaveResult result)
    {
        if (result.Outcome == SegmentSaveOutcome.InvalidRule)
        {
            ModelState.AddModelError("Form.Rule", result.Error ?? l["The rule is not valid."]);
        }
        else if (result.Outcome == SegmentSaveOutcome.DuplicateName)
        {
            ModelState.AddModelError("Form.Name", l["A segment with this name already exists."]);
        }
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
