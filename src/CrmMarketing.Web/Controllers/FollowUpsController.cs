using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.FollowUps;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Staff)]
public class FollowUpsController(FollowUpService followUps, IStringLocalizer<SharedResource> l) : Controller
{
    /// <summary>"My follow-ups": the signed-in user's open tasks, overdue first; admins and marketers can see all.</summary>
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] FollowUpListQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await followUps.ListAsync(query, User.ToFeedbackViewer(), ct));
    }

    [HttpPost]
    public async Task<IActionResult> Resolve(int id, FollowUpResolveFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            TempData["StatusMessage"] = l["Describe what was done before closing the follow-up."].Value;
            TempData["StatusError"] = true;
            return RedirectToAction(nameof(Index));
        }

        var outcome = await followUps.ResolveAsync(id, form, User.ToFeedbackViewer(), ct);
        switch (outcome)
        {
            case FollowUpOutcome.Saved:
            case FollowUpOutcome.AlreadyDone:
                TempData["StatusMessage"] = l["Follow-up closed."].Value;
                return RedirectToAction(nameof(Index));
            case FollowUpOutcome.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
    }

    /// <summary>Who looks after a customer (and receives their follow-ups). Admin only.</summary>
    [HttpPost]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> SetOwner(int id, CustomerOwnerFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var outcome = await followUps.SetOwnerAsync(id, form.OwnerUserId, User.ToActor(), ct);
        switch (outcome)
        {
            case FollowUpOutcome.Saved:
                TempData["StatusMessage"] = l["Owner saved."].Value;
                return RedirectToAction("Details", "Customers", new { id });
            case FollowUpOutcome.UnknownUser:
                return BadRequest();
            default:
                return NotFound();
        }
    }
}
