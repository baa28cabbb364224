using System.Security.Claims;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Feedback;

namespace CrmMarketing.Web.Extensions;

public static class ClaimsPrincipalExtensions
{
    public static FeedbackViewer ToFeedbackViewer(this ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier),
        user.Identity?.Name ?? "unknown",
        user.IsInRole(Roles.Admin),
        user.IsInRole(Roles.Marketer));

    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity?.Name ?? "unknown");
}
