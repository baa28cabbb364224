using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Formatting;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Campaigns;

/// <summary>Labels of the metrics' enums, read from prefixed resource keys ("attribution-model:LastTouch").</summary>
public static class CampaignMetricsLabels
{
    public static string Model(IStringLocalizer<SharedResource> l, AttributionModel value) => ResourceLabels.Get(l, "attribution-model:", value.ToString(), value switch
    {
        AttributionModel.LastTouch => "Last touch",
        AttributionModel.FirstTouch => "First touch",
        _ => "Linear",
    });

    public static string Verdict(IStringLocalizer<SharedResource> l, UpliftVerdict value) => value switch
    {
        UpliftVerdict.SignificantUplift => l["Significant uplift: the 95% interval lies above zero."],
        UpliftVerdict.SignificantlyNegative => l["Significantly negative: the 95% interval lies below zero."],
        _ => l["Not yet significant: the 95% interval contains zero."],
    };
}
