using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Campaigns;

/// <summary>How one converting purchase is shared among the activities that touched the customer before it
/// (docs/campaigns-metrics.md). A touch is an activity whose contact came at or before the purchase and whose
/// conversion window still covered it. Ties on the contact time go to the higher activity id for last touch and
/// to the lower one for first touch, so that exactly one activity wins.</summary>
public static class AttributionMath
{
    /// <summary>One activity's contact with the customer before a purchase.</summary>
    public readonly record struct Touch(int ActivityId, DateTime ContactedAt);

    /// <summary>The share (0–1) of the purchase that goes to <paramref name="activityId"/> among
    /// <paramref name="touches"/> (which must include it).</summary>
    public static decimal Share(AttributionModel model, int activityId, IReadOnlyCollection<Touch> touches)
    {
        if (!touches.Any(t => t.ActivityId == activityId))
        {
            return 0m;
        }

        return model switch
        {
            AttributionModel.LastTouch => Winner(touches, last: true) == activityId ? 1m : 0m,
            AttributionModel.FirstTouch => Winner(touches, last: false) == activityId ? 1m : 0m,
            _ => 1m / touches.Count,
        };
    }

    /// <summary>The share from what the database reports per purchase: whether the activity's own contact is the
    /// latest and the earliest of the <paramref name="touches"/> activities (itself included).</summary>
    public static decimal Share(AttributionModel model, bool isLast, bool isFirst, int touches) => model switch
    {
        AttributionModel.LastTouch => isLast ? 1m : 0m,
        AttributionModel.FirstTouch => isFirst ? 1m : 0m,
        _ => touches <= 1 ? 1m : 1m / touches,
    };

    /// <summary>The attributed part of an amount: exact for last and first touch, rounded to the stored precision
    /// (four decimals) for a linear split.</summary>
    public static decimal Attributed(AttributionModel model, bool isLast, bool isFirst, int touches, decimal amount) => model switch
    {
        AttributionModel.LastTouch => isLast ? amount : 0m,
        AttributionModel.FirstTouch => isFirst ? amount : 0m,
        _ => touches <= 1 ? amount : decimal.Round(amount / touches, 4, MidpointRounding.AwayFromZero),
    };

    private static int Winner(IReadOnlyCollection<Touch> touches, bool last)
    {
        var ordered = touches.OrderBy(t => t.ContactedAt).ThenBy(t => t.ActivityId);
        return (last ? ordered.Last() : ordered.First()).ActivityId;
    }
}
