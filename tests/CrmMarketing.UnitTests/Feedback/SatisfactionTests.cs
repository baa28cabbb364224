using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.Feedback;

namespace CrmMarketing.UnitTests.Feedback;

public sealed class SatisfactionTests
{
    [Fact]
    public void Nps_PromotersMinusDetractors_IsPercentOfAllAnswers()
    {
        // 5 promoters, 3 passives, 2 detractors of 10: 50 % − 20 % = 30.
        Assert.Equal(30.0, Satisfaction.Nps(promoters: 5, detractors: 2, count: 10));
    }

    [Fact]
    public void Nps_OnlyDetractors_IsMinus100()
    {
        Assert.Equal(-100.0, Satisfaction.Nps(0, 4, 4));
    }

    [Fact]
    public void Nps_NoAnswers_IsNull()
    {
        Assert.Null(Satisfaction.Nps(0, 0, 0));
        Assert.Null(new NpsStats(0, 0, 0).Score);
    }

    [Theory]
    [InlineData(0, false, true)]
    [InlineData(6, false, true)]
    [InlineData(7, false, false)]
    [InlineData(8, false, false)]
    [InlineData(9, true, false)]
    [InlineData(10, true, false)]
    public void PromoterAndDetractor_Boundaries(int score, bool promoter, bool detractor)
    {
        Assert.Equal(promoter, Satisfaction.IsPromoter(score));
        Assert.Equal(detractor, Satisfaction.IsDetractor(score));
    }

    [Fact]
    public void NpsStats_CountsPassivesAndPercentages()
    {
        var stats = new NpsStats(Count: 8, Promoters: 4, Detractors: 1);

        Assert.Equal(3, stats.Passives);
        Assert.Equal(50.0, stats.PromoterPercent);
        Assert.Equal(12.5, stats.DetractorPercent);
        Assert.Equal(37.5, stats.Score);
    }

    [Fact]
    public void CsatStats_AverageAndSatisfiedShare()
    {
        // Scores 5, 4, 2, 1: average 3, two of four satisfied.
        var stats = new CsatStats(Count: 4, Satisfied: 2, ScoreSum: 12);

        Assert.Equal(3.0, stats.Average);
        Assert.Equal(50.0, stats.SatisfiedPercent);
    }

    [Theory]
    [InlineData(ScoreScale.Csat, 1, true)]
    [InlineData(ScoreScale.Csat, 2, true)]
    [InlineData(ScoreScale.Csat, 3, false)]
    [InlineData(ScoreScale.Nps, 6, true)]
    [InlineData(ScoreScale.Nps, 7, false)]
    [InlineData(ScoreScale.Nps, 0, true)]
    public void IsLow_DefaultThresholds(ScoreScale scale, int score, bool low)
    {
        Assert.Equal(low, Satisfaction.IsLow(scale, score, new FeedbackOptions()));
    }

    [Fact]
    public void IsLow_ConfiguredThresholds_AreUsed()
    {
        var options = new FeedbackOptions { CsatLowThreshold = 3, NpsLowThreshold = 4 };

        Assert.True(Satisfaction.IsLow(ScoreScale.Csat, 3, options));
        Assert.False(Satisfaction.IsLow(ScoreScale.Nps, 5, options));
        Assert.True(Satisfaction.IsLow(ScoreScale.Nps, 4, options));
    }
}
