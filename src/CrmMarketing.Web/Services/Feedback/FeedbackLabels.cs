using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Formatting;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Feedback;

/// <summary>Enum labels read from prefixed resource keys ("feedback-channel:Phone"); until a key is
/// translated the English enum name is shown rather than the key itself.</summary>
public static class FeedbackLabels
{
    public static string Channel(IStringLocalizer<SharedResource> l, FeedbackChannel value) => ResourceLabels.Get(l, "feedback-channel:", value.ToString());

    public static string Category(IStringLocalizer<SharedResource> l, FeedbackCategory value) => ResourceLabels.Get(l, "feedback-category:", value.ToString());

    public static string Status(IStringLocalizer<SharedResource> l, FeedbackStatus value) =>
        ResourceLabels.Get(l, "feedback-status:", value.ToString(), value == FeedbackStatus.InProgress ? "In progress" : null);
}
