using CrmMarketing.Web.Services.Feedback;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.ViewComponents;

/// <summary>The "Log feedback" card on a customer's page, kept out of the customer view model so the
/// page needs one line to show it.</summary>
public sealed class FeedbackQuickFormViewComponent(FeedbackService feedback) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int customerId) =>
        View(await feedback.GetQuickFormAsync(customerId, HttpContext.RequestAborted));
}
