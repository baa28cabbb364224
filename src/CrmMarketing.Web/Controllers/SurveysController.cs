using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.Surveys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Marketing)]
public class SurveysController(SurveyService surveys, SurveySendService sends, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await surveys.ListAsync(ct));

    [HttpGet]
    public IActionResult Create() => View("Edit", new SurveyEditViewModel());

    [HttpPost]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] SurveyFormModel form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View("Edit", new SurveyEditViewModel { Form = form });
        }

        var id = await surveys.CreateAsync(form, User.ToActor(), ct);
        TempData["StatusMessage"] = l["Survey saved."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpGet]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await surveys.GetForEditAsync(id, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> Edit(int id, [Bind(Prefix = "Form")] SurveyFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            return View(new SurveyEditViewModel { Id = id, Form = form });
        }

        var outcome = await surveys.UpdateAsync(id, form, User.ToActor(), ct);
        if (outcome == SurveyOutcome.NotFound)
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Survey saved."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpGet]
    public async Task<IActionResult> Details(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await surveys.GetDetailsAsync(id, invite: null, ct);
        return vm is null ? NotFound() : View(vm);
    }

    /// <summary>Invites one customer, from the survey page or (with <see cref="SurveyInviteFormModel.ReturnToCustomer"/>) the customer page.</summary>
    [HttpPost]
    public async Task<IActionResult> Invite(int id, [Bind(Prefix = "Invite")] SurveyInviteFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            var invalid = await surveys.GetDetailsAsync(id, form, ct);
            return invalid is null ? NotFound() : View(nameof(Details), invalid);
        }

        return await SendAsync(id, form, ct);
    }

    /// <summary>The card on the customer page: the survey is a form field, and the answer goes back to that page.</summary>
    [HttpPost]
    public async Task<IActionResult> InviteCustomer(SurveyCustomerInviteFormModel form, CancellationToken ct)
    {
        if (form.Invite.CustomerId is not > 0)
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            return InviteFailed(form.Invite.CustomerId.Value, l["Choose a survey."]);
        }

        form.Invite.ReturnToCustomer = true;
        return await SendAsync(form.SurveyId!.Value, form.Invite, ct);
    }

    /// <summary>"Send survey to a segment": survey, saved segment, channel, template and optional marketing activity.</summary>
    [HttpGet]
    public async Task<IActionResult> SendToSegment([FromQuery] int? surveyId, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await sends.GetFormAsync(form: null, surveyId, ct));
    }

    [HttpPost]
    public async Task<IActionResult> SendToSegment([Bind(Prefix = "Form")] SurveySendFormModel form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(await sends.GetFormAsync(form, form.SurveyId, ct));
        }

        var result = await sends.SendAsync(form, $"{Request.Scheme}://{Request.Host}{Request.PathBase}", User.ToActor(), ct);
        (string Field, string Message)? error = result.Outcome switch
        {
            SurveySendOutcome.Sent => null,
            SurveySendOutcome.SurveyNotFound => ("Form.SurveyId", l["The survey no longer exists."].Value),
            SurveySendOutcome.SurveyInactive => ("Form.SurveyId", l["This survey is not active."].Value),
            SurveySendOutcome.SegmentNotFound => ("Form.SegmentId", l["The segment no longer exists."].Value),
            SurveySendOutcome.TemplateNotFound => ("Form.TemplateId", l["The template no longer exists."].Value),
            SurveySendOutcome.TemplateWrongChannel => ("Form.TemplateId", l["The template is for the other channel."].Value),
            SurveySendOutcome.TemplateWithoutSurveyUrl => ("Form.TemplateId", l["The template must contain {{survey_url}}."].Value),
            _ => ("Form.CampaignId", l["The marketing activity no longer exists."].Value),
        };
        if (error is { } e)
        {
            ModelState.AddModelError(e.Field, e.Message);
            return View(await sends.GetFormAsync(form, form.SurveyId, ct));
        }

        TempData["StatusMessage"] = result.Repeated
            ? l["This survey was already sent with this form: {0} invitations, {1} members skipped.", result.Queued, result.Skipped].Value
            : l["Survey sent to {0} customers; {1} members skipped (archived, no consent, no address or suppressed).", result.Queued, result.Skipped].Value;
        return RedirectToAction(nameof(Details), new { id = result.SurveyId });
    }

    private async Task<IActionResult> SendAsync(int id, SurveyInviteFormModel form, CancellationToken ct)
    {
        var result = await surveys.InviteAsync(id, form, $"{Request.Scheme}://{Request.Host}{Request.PathBase}", User.ToActor(), ct);
        string? error = result.Outcome switch
        {
            SurveyOutcome.Saved => null,
            SurveyOutcome.NotFound => l["The survey no longer exists."].Value,
            SurveyOutcome.Inactive => l["This survey is not active."].Value,
            SurveyOutcome.UnknownCustomer => l["Choose a customer."].Value,
            SurveyOutcome.NoEmail => l["This customer has no e-mail address."].Value,
            SurveyOutcome.NoPhone => l["This customer has no mobile number."].Value,
            SurveyOutcome.TemplateNotFound => l["The template no longer exists."].Value,
            SurveyOutcome.TemplateWrongChannel => l["The template is for the other channel."].Value,
            SurveyOutcome.TemplateWithoutSurveyUrl => l["The template must contain {{survey_url}}."].Value,
            SurveyOutcome.NoConsent => l["This customer has not agreed to marketing messages on this channel."].Value,
            SurveyOutcome.Suppressed => l["This address is on the suppression list (unsubscribed or bounced)."].Value,
            _ => l["The invitation could not be sent."].Value,
        };
        if (error is not null)
        {
            if (form.ReturnToCustomer && result.CustomerId > 0)
            {
                return InviteFailed(result.CustomerId, error);
            }

            if (result.Outcome == SurveyOutcome.NotFound)
            {
                return NotFound();
            }

            ModelState.AddModelError(result.Outcome is SurveyOutcome.TemplateNotFound or SurveyOutcome.TemplateWrongChannel or SurveyOutcome.TemplateWithoutSurveyUrl
                ? "Invite.TemplateId" : "Invite.CustomerId", error);
            var vm = await surveys.GetDetailsAsync(id, form, ct);
            return vm is null ? NotFound() : View(nameof(Details), vm);
        }

        TempData["StatusMessage"] = form.Channel == Domain.InvitationChannel.Link
            ? l["Survey link created; copy it below."].Value
            : l["Survey invitation queued."].Value;
        if (form.Channel == Domain.InvitationChannel.Link)
        {
            TempData["SurveyLink"] = result.Url;
        }

        return form.ReturnToCustomer
            ? RedirectToAction("Details", "Customers", new { id = result.CustomerId })
            : RedirectToAction(nameof(Details), new { id });
    }

    private RedirectToActionResult InviteFailed(int customerId, string message)
    {
        TempData["StatusMessage"] = message;
        TempData["StatusError"] = true;
        return RedirectToAction("Details", "Customers", new { id = customerId });
    }
}
