namespace CrmMarketing.Web.ViewModels.Feedback;

/// <summary>CSAT over a set of feedback: the average score and the share of satisfied (4–5) answers.</summary>
public sealed record CsatStats(int Count, int Satisfied, double ScoreSum)
{
    public double? Average => Count == 0 ? null : ScoreSum / Count;

    /// <summary>Percent of answers scoring 4 or 5; null when there is nothing to measure.</summary>
    public double? SatisfiedPercent => Count == 0 ? null : 100.0 * Satisfied / Count;
}

public sealed record CsatGroup(string Key, string Label, CsatStats Stats);

public sealed class FeedbackAnalyticsViewModel
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public CsatStats Overall { get; init; } = new(0, 0, 0);
    public IReadOnlyList<CsatGroup> ByMonth { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByCategory { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByChannel { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByStaff { get; init; } = [];

    /// <summary>Counts of scores 1..5 (index 0 is score 1).</summary>
    public IReadOnlyList<int> Distribution { get; init; } = [0, 0, 0, 0, 0];

    /// <summary>The latest low scores (1–2), for follow-up.</summary>
    public IReadOnlyList<FeedbackRowViewModel> RecentLow { get; init; } = [];
}

public sealed record FeedbackChartData(
    IReadOnlyList<string> Months, IReadOnlyList<double?> MonthAverage, IReadOnlyList<double?> MonthSatisfied,
    IReadOnlyList<int> Distribution, string AverageLabel, string SatisfiedLabel, string CountLabel);
