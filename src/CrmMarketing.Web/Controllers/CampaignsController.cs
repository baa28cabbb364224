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
public class CampaignsController(CampaignService campaigns, CampaignLaunchService launches, IStringLocalizer<SharedResource> l) : Controller
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
            case ActivityOutcome.UseLaunch:
                TempData["StatusMessage"] = l["Email, SMS and phone activities start running when they are launched."].Value;
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
            case ActivityOutcome.UnknownSegment:
                ModelState.AddModelError("Form.SegmentId", l["That segment no longer exists."]);
                break;
            case ActivityOutcome.WrongTemplate:
                ModelState.AddModelError("Form.TemplateId", l["Choose a template of the activity's channel: an email template for email, an SMS template for SMS."]);
                break;
        }
    }

    /// <summary>Launch now: snapshot the audience and queue the messages (or make the call list).</summary>
    [HttpPost]
    public async Task<IActionResult> Launch(int id, LaunchFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var result = await launches.LaunchAsync(id, form.SalesUserIds, CurrentActor(), ct);
        if (result.Outcome == LaunchOutcome.NotFound)
        {
            return NotFound();
        }

        TempData["StatusError"] = result.Outcome != LaunchOutcome.Launched;
        TempData["StatusMessage"] = result.Outcome switch
        {
            LaunchOutcome.Launched => S("Launched to {0} recipients ({1} in the holdout group); {2} messages queued.", result.Audience, result.Holdout, result.Queued),
            LaunchOutcome.AlreadyLaunched => l["This activity has already been launched."].Value,
            LaunchOutcome.EmptyAudience => l["Nobody in the segment can be contacted (archived, no consent, suppressed or no address): nothing was launched."].Value,
            LaunchOutcome.NotReady => l["Choose a segment and a template of the activity's channel before launching."].Value,
            LaunchOutcome.NoCallers => l["Choose at least one sales user to share the call list."].Value,
            _ => l["Only draft or scheduled email, SMS and phone activities can be launched."].Value,
        };
        return RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>Schedule: the launch happens at the activity's launch time.</summary>
    [HttpPost]
    public async Task<IActionResult> Schedule(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var outcome = await launches.ScheduleAsync(id, CurrentActor(), ct);
        return ExecutionResult(id, outcome, l["Scheduled: the activity launches at its launch time."].Value,
            l["Set a launch time in the future on the activity first."].Value);
    }

    [HttpPost]
    public async Task<IActionResult> Pause(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        return ExecutionResult(id, await launches.PauseAsync(id, CurrentActor(), ct), l["Paused: queued messages are held back."].Value, null);
    }

    [HttpPost]
    public async Task<IActionResult> Resume(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        return ExecutionResult(id, await launches.ResumeAsync(id, CurrentActor(), ct), l["Resumed: the held messages are being sent."].Value, null);
    }

    /// <summary>Decides the A/B test now instead of at the end of its duration.</summary>
    [HttpPost]
    public async Task<IActionResult> ChooseWinner(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var decision = await launches.DecideAbTestAsync(id, force: true, CurrentActor(), ct);
        TempData["StatusError"] = decision is null;
        TempData["StatusMessage"] = decision is null
            ? l["There is no undecided A/B test on this running activity."].Value
            : S("Variant {0} won; {1} messages queued to the rest of the audience.", decision.Label, decision.Queued);
        return RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>Live progress for the details page (polled).</summary>
    [HttpGet]
    public async Task<IActionResult> Progress(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var progress = await launches.ProgressAsync(id, ct);
        return progress is null ? NotFound() : Json(progress);
    }

    private IActionResult ExecutionResult(int id, ExecutionOutcome outcome, string done, string? noLaunchTime)
    {
        if (outcome == ExecutionOutcome.NotFound)
        {
            return NotFound();
        }

        TempData["StatusError"] = outcome != ExecutionOutcome.Done;
        TempData["StatusMessage"] = outcome switch
        {
            ExecutionOutcome.Done => done,
            ExecutionOutcome.NoLaunchTime when noLaunchTime is not null => noLaunchTime,
            _ => l["That is not possible in the activity's current state."].Value,
        };
        return RedirectToAction(nameof(Details), new { id });
    }

    private string S(string text, params object[] args) => l[text, args].Value;

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
