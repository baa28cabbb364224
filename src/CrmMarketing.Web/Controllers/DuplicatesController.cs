using System.Security.Claims;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Privacy;
using CrmMarketing.Web.ViewModels.Duplicates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>The duplicate review queue, the merge screen and merge history with undo (DESIGN.md §4: merging is
/// part of managing customers, which only administrators do).</summary>
[Authorize(Policy = Policies.ManageCustomers)]
public sealed class DuplicatesController(DuplicateFinder finder, MergeService merges, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await finder.FindAsync(ct));

    [HttpPost]
    public async Task<IActionResult> Dismiss(DismissFormModel form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        if (!await finder.DismissAsync(form.FirstId, form.SecondId, CurrentActor(), ct))
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["The pair is marked as not a duplicate and will not be suggested again."].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>"Merge with…": choose the other record.</summary>
    [HttpGet]
    public async Task<IActionResult> Choose(int id, [FromQuery] string? q, CancellationToken ct)
    {
        if (!ModelState.IsValid || q?.Length > Domain.Customer.EmailMaxLength)
        {
            return BadRequest();
        }

        var vm = await merges.ChooseAsync(id, q, ct);
        return vm is null ? NotFound() : View(vm);
    }

    /// <summary>Both records side by side; <paramref name="id"/> is the record that stays.</summary>
    [HttpGet]
    public async Task<IActionResult> Merge(int id, [FromQuery] int other, CancellationToken ct)
    {
        if (!ModelState.IsValid || other <= 0)
        {
            return BadRequest();
        }

        var vm = await merges.GetAsync(id, other, form: null, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> Merge(int id, [Bind(Prefix = "Form")] MergeFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var result = await merges.MergeAsync(id, form, CurrentActor(), ct);
        switch (result.Outcome)
        {
            case MergeOutcome.Merged:
                TempData["StatusMessage"] = l["Customer #{0} was merged into this one. The merge can be undone for {1} days under Merge history.", form.OtherId, Domain.MergeJournal.UndoDays].Value;
                return RedirectToAction("Details", "Customers", new { id });
            case MergeOutcome.Conflict:
                var vm = await merges.GetAsync(id, form.OtherId, form, ct);
                if (vm is null)
                {
                    return NotFound();
                }

                ModelState.AddModelError(string.Empty, l["One of the two customers was changed after this screen was opened. Check the values below (they are the current ones) and merge again."]);
                return View(vm);
            case MergeOutcome.Erased:
                TempData["StatusMessage"] = l["An erased customer cannot be merged."].Value;
                TempData["StatusError"] = true;
                return RedirectToAction("Details", "Customers", new { id });
            case MergeOutcome.SameCustomer:
                return BadRequest();
            default:
                return NotFound();
        }
    }

    [HttpGet]
    public async Task<IActionResult> History([FromQuery] int? customerId, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await merges.HistoryAsync(customerId, ct));
    }

    [HttpPost]
    public async Task<IActionResult> Undo(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        var outcome = await merges.UndoAsync(id, CurrentActor(), ct);
        if (outcome == UndoOutcome.NotFound)
        {
            return NotFound();
        }

        TempData["StatusMessage"] = outcome switch
        {
            UndoOutcome.Undone => l["The merge was undone: both customers are restored as they were."].Value,
            UndoOutcome.AlreadyUndone => l["This merge was undone already."].Value,
            UndoOutcome.Expired => l["This merge is older than {0} days and can no longer be undone.", Domain.MergeJournal.UndoDays].Value,
            _ => l["The merged customer was changed after the merge, so undoing it would lose those changes. The merge was not undone."].Value,
        };
        TempData["StatusError"] = outcome != UndoOutcome.Undone;
        return RedirectToAction(nameof(History));
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
