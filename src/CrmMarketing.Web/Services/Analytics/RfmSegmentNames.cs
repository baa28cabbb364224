using CrmMarketing.Web.Domain;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>The display names of the RFM segments, written out so that each is a literal localizer key.</summary>
public static class RfmSegmentNames
{
    public static string Name(IStringLocalizer l, RfmSegment segment) => segment switch
    {
        RfmSegment.Champions => l["Champions"],
        RfmSegment.Loyal => l["Loyal"],
        RfmSegment.PotentialLoyalist => l["Potential Loyalist"],
        RfmSegment.NewCustomers => l["New Customers"],
        RfmSegment.Promising => l["Promising"],
        RfmSegment.NeedAttention => l["Need Attention"],
        RfmSegment.AboutToSleep => l["About to Sleep"],
        RfmSegment.AtRisk => l["At Risk"],
        RfmSegment.CantLoseThem => l["Can't Lose Them"],
        RfmSegment.Hibernating => l["Hibernating"],
        RfmSegment.Lost => l["Lost"],
        _ => segment.ToString(),
    };
}
