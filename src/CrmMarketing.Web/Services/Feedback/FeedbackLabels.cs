using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Feedback;

/// <summary>Enum labels read from prefixed resource keys ("feedback-channel:Phone"); until a key is
/// translated the English enum name is shown rather than the key itself.</summary>
public static class FeedbackLabels
{
    public static string Channel(IStringLocalizer<SharedResource> l, FeedbackChannel value) => Label(l, "feedback-channel:", value.ToString());

    public static string Category(IStringLocalizer<SharedResource> l, FeedbackCategory value) => Label(l, "feedback-category:", value.ToString());

    public static string Status(IStringLocalizer<SharedResource> l, FeedbackStatus value) =>
        Label(l, "feedback-status:", value.ToString(), value == FeedbackStatus.InProgress ? "In progress" : null);

    private static string Label(IStringLocalizer<SharedResource> l, string prefix, string name, string? english = null)
    {
        var text = l[prefix + name];
        return text.ResourceNotFound ? english ?? name : text.Value;
    }
}
