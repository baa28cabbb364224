using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.Surveys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>The public survey page: no login; the signed token in the link is the only credential and
/// names one invitation. Shows nothing of the customer beyond the first name.</summary>
[AllowAnonymous]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public class SurveyResponseController(SurveyService surveys, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("s/{token}")]
    public async Task<IActionResult> Answer(string token, CancellationToken ct)
    {
        // The page opens in the invitation's language; the switcher adds ?culture= to stay in the chosen one.
        if (!Request.Query.ContainsKey("culture") && await surveys.GetCultureAsync(token, ct) is { } culture)
        {
            return Redirect(Url.Content("~/s/" + Uri.EscapeDataString(token)) + "?culture=" + culture + "&ui-culture=" + culture);
        }

        return Page(await surveys.GetPageAsync(token, form: null, IsChinese(), ct));
    }

    [HttpPost("s/{token}")]
    public async Task<IActionResult> Answer(string token, SurveyAnswerFormModel form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var outcome = await surveys.AnswerAsync(token, form, ct);
            switch (outcome)
            {
                case SurveyAnswerOutcome.Saved:
                    Response.StatusCode = StatusCodes.Status200OK;
                    return View(new SurveyPageViewModel { State = SurveyPageState.Thanks });
                case SurveyAnswerOutcome.ScoreOutOfRange:
                    ModelState.AddModelError(nameof(form.Score), l["Choose a score."]);
                    break;
                default:
                    // Expired, already answered, closed or tampered: the page explains which.
                    break;
            }
        }

        return Page(await surveys.GetPageAsync(token, form, IsChinese(), ct));
    }

    private ViewResult Page(SurveyPageViewModel vm)
    {
        Response.StatusCode = vm.State is SurveyPageState.Invalid or SurveyPageState.Expired
            ? StatusCodes.Status400BadRequest
            : StatusCodes.Status200OK;
        return View("Answer", vm);
    }

    private bool IsChinese() =>
        HttpContext.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.Name.StartsWith("zh", StringComparison.Ordinal) == true;
}
