using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Formatting;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Campaigns;

/// <summary>Enum labels read from prefixed resource keys ("activity-type:OnlineAds"); until a key is translated
/// the English name is shown rather than the key itself.</summary>
public static class CampaignLabels
{
    public static string Type(IStringLocalizer<SharedResource> l, ActivityType value) => ResourceLabels.Get(l, "activity-type:", value.ToString(), value switch
    {
        ActivityType.Sms => "SMS",
        ActivityType.OnlineAds => "Online ads",
        ActivityType.OfflineEvent => "Offline event",
        _ => null,
    });

    public static string Status(IStringLocalizer<SharedResource> l, ActivityStatus value) => ResourceLabels.Get(l, "activity-status:", value.ToString());

    public static string Goal(IStringLocalizer<SharedResource> l, ConversionGoal value) => ResourceLabels.Get(l, "conversion-goal:", value.ToString(), value switch
    {
        ConversionGoal.AnyPurchase => "Any purchase",
        ConversionGoal.CategoryPurchase => "Purchase in a category",
        _ => null,
    });

    public static string Cost(IStringLocalizer<SharedResource> l, CostCategory value) => ResourceLabels.Get(l, "cost-category:", value.ToString());

    /// <summary>The A/B winner metrics, as the rate they compare.</summary>
    public static string Metric(IStringLocalizer<SharedResource> l, AbWinnerMetric value) => value switch
    {
        AbWinnerMetric.Click => l["Click rate"],
        AbWinnerMetric.Conversion => l["Conversion rate"],
        _ => l["Open rate"],
    };
}
