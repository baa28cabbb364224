using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Feedback;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.ViewComponents;

/// <summary>CSAT, NPS and open follow-ups on the dashboard (one line in the dashboard view).</summary>
public sealed class SatisfactionTileViewComponent(FeedbackAnalyticsService analytics) : ViewComponent
{
    public const int Days = 90;

    public async Task<IViewComponentResult> InvokeAsync() =>
        View(await analytics.GetTileAsync(UserClaimsPrincipal.ToFeedbackViewer(), Days, HttpContext.RequestAborted));
}

/// <summary>The customer's owner on the customer page; Admin can change it.</summary>
public sealed class CustomerOwnerViewComponent(FollowUpService followUps) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int customerId)
    {
        var vm = await followUps.GetOwnerAsync(customerId, UserClaimsPrincipal.IsInRole(Roles.Admin), HttpContext.RequestAborted);
        return vm is null ? Content(string.Empty) : View(vm);
    }
}

/// <summary>"Send a survey" on the customer page, for the roles that may send.</summary>
public sealed class SurveyInviteViewComponent(SurveyService surveys) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int customerId)
    {
        if (!UserClaimsPrincipal.IsInRole(Roles.Admin) && !UserClaimsPrincipal.IsInRole(Roles.Marketer))
        {
            return Content(string.Empty);
        }

        var vm = await surveys.GetInviteCardAsync(customerId, HttpContext.RequestAborted);
        return vm is null || vm.Surveys.Count == 0 ? Content(string.Empty) : View(vm);
    }
}
