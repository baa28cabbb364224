using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;

namespace CrmMarketing.UnitTests.Campaigns;

public class CampaignMathTests
{
    private static readonly DateTime June1 = new(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc);

    // Activity 1 contacted the customer on 1 June, activity 2 on 5 June; both windows cover a purchase on 7 June.
    private static readonly AttributionMath.Touch[] TwoTouches = [new(1, June1), new(2, June1.AddDays(4))];

    [Theory]
    [InlineData(AttributionModel.LastTouch, 0, 1)]
    [InlineData(AttributionModel.FirstTouch, 1, 0)]
    [InlineData(AttributionModel.Linear, 0.5, 0.5)]
    public void Share_CustomerTouchedByTwoActivities_SplitsByModel(AttributionModel model, double first, double second)
    {
        Assert.Equal((decimal)first, AttributionMath.Share(model, 1, TwoTouches));
        Assert.Equal((decimal)second, AttributionMath.Share(model, 2, TwoTouches));
        Assert.Equal(0m, AttributionMath.Share(model, 3, TwoTouches));
    }

    [Fact]
    public void Share_SameContactTime_LastTouchGoesToHigherIdAndFirstTouchToLower()
    {
        AttributionMath.Touch[] tie = [new(7, June1), new(4, June1)];

        Assert.Equal(1m, AttributionMath.Share(AttributionModel.LastTouch, 7, tie));
        Assert.Equal(0m, AttributionMath.Share(AttributionModel.LastTouch, 4, tie));
        Assert.Equal(1m, AttributionMath.Share(AttributionModel.FirstTouch, 4, tie));
        Assert.Equal(0m, AttributionMath.Share(AttributionModel.FirstTouch, 7, tie));
    }

    [Fact]
    public void Attributed_LinearOverThreeTouches_RoundsToStoredPrecision()
    {
        // 100 / 3 = 33.3333… → 33.3333 (four decimals, the stored money precision).
        Assert.Equal(33.3333m, AttributionMath.Attributed(AttributionModel.Linear, isLast: false, isFirst: false, touches: 3, 100m));
        Assert.Equal(100m, AttributionMath.Attributed(AttributionModel.LastTouch, isLast: true, isFirst: false, touches: 3, 100m));
        Assert.Equal(0m, AttributionMath.Attributed(AttributionModel.FirstTouch, isLast: true, isFirst: false, touches: 3, 100m));
    }

    [Fact]
    public void Compute_SmallDifference_IntervalContainsZero_NotYetSignificant()
    {
        // p1 = 120/1000 = 0.12, p0 = 100/1000 = 0.10, d = 0.02;
        // SE = √(0.12·0.88/1000 + 0.10·0.90/1000) = √0.0001956 = 0.0139857;
        // CI = 0.02 ± 1.959964·0.0139857 = [−0.00741148, 0.04741148].
        var u = UpliftMath.Compute(1000, 120, 6000m, 1000, 100, 4000m)!;

        Assert.Equal(0.02, u.Difference, 6);
        Assert.Equal(-0.00741148, u.Low, 7);
        Assert.Equal(0.04741148, u.High, 7);
        Assert.Equal(UpliftVerdict.NotYetSignificant, u.Verdict);
        // (6000/1000 − 4000/1000) · 1000 = 2000.
        Assert.Equal(2000m, u.IncrementalRevenue);
    }

    [Fact]
    public void Compute_SameRatesTenTimesTheSample_SignificantUplift()
    {
        // SE = √(0.12·0.88/10000 + 0.10·0.90/10000) = √0.00001956 = 0.0044227;
        // CI = 0.02 ± 0.0086683 = [0.0113317, 0.0286683].
        var u = UpliftMath.Compute(10_000, 1200, 60_000m, 10_000, 1000, 50_000m)!;

        Assert.Equal(0.0113317, u.Low, 6);
        Assert.Equal(0.0286683, u.High, 6);
        Assert.Equal(UpliftVerdict.SignificantUplift, u.Verdict);
        // (60000/10000 − 50000/10000) · 10000 = 10000.
        Assert.Equal(10_000m, u.IncrementalRevenue);
    }

    [Fact]
    public void Compute_TreatmentBelowHoldout_SignificantlyNegative()
    {
        var u = UpliftMath.Compute(10_000, 1000, 50_000m, 10_000, 1200, 60_000m)!;

        Assert.Equal(-0.0286683, u.Low, 6);
        Assert.Equal(-0.0113317, u.High, 6);
        Assert.Equal(UpliftVerdict.SignificantlyNegative, u.Verdict);
        Assert.Equal(-10_000m, u.IncrementalRevenue);
    }

    [Fact]
    public void Compute_UnequalGroups_UsesUnpooledStandardError()
    {
        // p1 = 18/900 = 0.02, p0 = 2/100 = 0.02, d = 0;
        // SE = √(0.02·0.98/900 + 0.02·0.98/100) = √0.00021778 = 0.0147573; CI = ±0.0289238.
        var u = UpliftMath.Compute(900, 18, 0m, 100, 2, 0m)!;

        Assert.Equal(0, u.Difference, 9);
        Assert.Equal(-0.0289238, u.Low, 6);
        Assert.Equal(0.0289238, u.High, 6);
        Assert.Equal(UpliftVerdict.NotYetSignificant, u.Verdict);
    }

    [Fact]
    public void Compute_NoHoldout_IsUndefined()
    {
        Assert.Null(UpliftMath.Compute(500, 20, 1000m, 0, 0, 0m));
        Assert.Null(UpliftMath.Compute(0, 0, 0m, 50, 1, 10m));
    }

    [Fact]
    public void Roi_ZeroCost_IsUndefined_OtherwiseRevenueMinusCostOverCost()
    {
        Assert.Null(UpliftMath.Roi(5000m, 0m));
        // (5000 − 2000) / 2000 = 1.5
        Assert.Equal(1.5m, UpliftMath.Roi(5000m, 2000m));
        Assert.Equal(-0.5m, UpliftMath.Roi(1000m, 2000m));
    }
}
