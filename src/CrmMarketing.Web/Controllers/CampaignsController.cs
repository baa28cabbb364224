using System.Security.Claims;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Campaigns;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Marketing activities: plan, schedule and track. Admins and marketers only (DESIGN.md §4).</summary>
[Authorize(Policy = Policies.Marketing)]
public class CampaignsController(CampaignService campaigns, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] ActivityListQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await campaigns.ListAsync(query, ct));
    }

    [HttpGet]
    public async Task<IActionResult> Calendar([FromQuery] int? year, [FromQuery] int? month, CancellationToken ct)
    {
        if (!ModelState.IsValid || year is < 2000 or > 2100 || month is < 1 or > 12 || (year is null != month is null))
        {
            return BadRequest();
        }

        return View(await campaigns.CalendarAsync(year, month, ct));
    }

    [HttpGet]
    public async Task<IActionResult> Details(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await campaigns.GetDetailsAsync(id, null, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpGet]
    public async Task<IActionResult> Create(CancellationToken ct) =>
        View("Edit", await campaigns.GetCreateAsync(null, CurrentActor(), ct));

    [HttpPost]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] ActivityFormModel form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var result = await campaigns.CreateAsync(form, CurrentActor(), ct);
            if (result.Outcome == ActivityOutcome.Saved)
            {
                TempData["StatusMessage"] = l["Activity created."].Value;
                return RedirectToAction(nameof(Details), new { id = result.Id });
            }

            AddError(result.Outcome);
        }

        return View("Edit", await campaigns.GetCreateAsync(form, CurrentActor(), ct));
    }

    [HttpGet]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await campaigns.GetForEditAsync(id, null, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> Edit(int id, [Bind(Prefix = "Form")] ActivityFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (ModelState.IsValid)
        {
            var result = await campaigns.UpdateAsync(id, form, CurrentActor(), ct);
            switch (result.Outcome)
            {
                case ActivityOutcome.Saved:
                    TempData["StatusMessage"] = l["Activity saved."].Value;
                    return RedirectToAction(nameof(Details), new { id });
                case ActivityOutcome.NotFound:
                    return NotFound();
                case ActivityOutcome.NotEditable:
                    TempData["StatusMessage"] = l["Completed and cancelled activities can no longer be changed."].Value;
                    TempData["StatusError"] = true;
                    return RedirectToAction(nameof(Details), new { id });
                default:
                    AddError(result.Outcome);
                    break;
            }
        }

        var vm = await campaigns.GetForEditAsync(id, form, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> SetStatus(int id, ActivityStatusFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var result = await campaigns.SetStatusAsync(id, form.Status!.Value, CurrentActor(), ct);
        switch (result.Outcome)
        {
            case ActivityOutcome.Saved:
                TempData["StatusMessage"] = l["Status changed."].Value;
                break;
            case ActivityOutcome.NotFound:
                return NotFound();
            case ActivityOutcome.InvalidTransition:
                TempData["StatusMessage"] = l["That status change is not allowed: activities move from Draft to Scheduled, Running and Completed, or are cancelled before they complete."].Value;
                TempData["StatusError"] = true;
                break;
            default:
                TempData["StatusMessage"] = l["Someone else changed this activity meanwhile. Reload and try again."].Value;
                TempData["StatusError"] = true;
                break;
        }

        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpPost]
    public async Task<IActionResult> AddCost(int id, [Bind(Prefix = "CostForm")] CostFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            var invalid = await campaigns.GetDetailsAsync(id, form, ct);
            return invalid is null ? NotFound() : View(nameof(Details), invalid);
        }

        var result = await campaigns.AddCostAsync(id, form, CurrentActor(), ct);
        if (result.Outcome == ActivityOutcome.NotFound)
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Cost booked."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpPost]
    public async Task<IActionResult> RemoveCost(int id, int costId, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || ModelState.IsUnbound("costId") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var result = await campaigns.RemoveCostAsync(id, costId, CurrentActor(), ct);
        if (result.Outcome == ActivityOutcome.NotFound)
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Cost removed."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    private void AddError(ActivityOutcome outcome)
    {
        switch (outcome)
        {
            case ActivityOutcome.Conflict:
                ModelState.AddModelError(string.Empty, l["Someone else changed this activity meanwhile. Reload and try again."]);
                break;
            case ActivityOutcome.DuplicateCoupon:
                ModelState.AddModelError("Form.CouponCode", l["Another activity already uses this coupon code."]);
                break;
            case ActivityOutcome.UnknownOwner:
                ModelState.AddModelError("Form.OwnerUserId", l["Choose an owner who can run marketing activities."]);
                break;
        }
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
