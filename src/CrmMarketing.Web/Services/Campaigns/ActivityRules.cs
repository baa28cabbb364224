using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Campaigns;

/// <summary>The life cycle of an activity: Draft → Scheduled → Running → Completed, or Cancelled from any state
/// before Completed. Nothing else moves.</summary>
public static class ActivityRules
{
    public static bool CanMove(ActivityStatus from, ActivityStatus to) => (from, to) switch
    {
        (ActivityStatus.Draft, ActivityStatus.Scheduled) => true,
        (ActivityStatus.Scheduled, ActivityStatus.Running) => true,
        (ActivityStatus.Running, ActivityStatus.Completed) => true,
        (ActivityStatus.Draft or ActivityStatus.Scheduled or ActivityStatus.Running, ActivityStatus.Cancelled) => true,
        _ => false,
    };

    /// <summary>The states an activity may move to next, in the order the buttons are shown.</summary>
    public static IReadOnlyList<ActivityStatus> NextStates(ActivityStatus from) =>
        Enum.GetValues<ActivityStatus>().Where(to => CanMove(from, to)).ToList();

    /// <summary>Completed and cancelled activities are history: their plan no longer changes (costs may still be booked).</summary>
    public static bool IsEditable(ActivityStatus status) => status is ActivityStatus.Draft or ActivityStatus.Scheduled or ActivityStatus.Running;

    /// <summary>Email and SMS activities are executed by the app against a segment; the others are tracked.</summary>
    public static bool IsDigital(ActivityType type) => type is ActivityType.Email or ActivityType.Sms;

    /// <summary>Email, SMS and phone activities are launched against a segment: messages are queued or a call list is made.</summary>
    public static bool IsExecuted(ActivityType type) => type is ActivityType.Email or ActivityType.Sms or ActivityType.Phone;

    /// <summary>A/B variants are labelled A, B, C, D in order.</summary>
    public static string VariantLabel(int index) => ((char)('A' + index)).ToString();
}
