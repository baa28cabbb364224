namespace CrmMarketing.Web.ViewModels.Feedback;

/// <summary>CSAT over a set of feedback: the average score and the share of satisfied (4–5) answers.</summary>
public sealed record CsatStats(int Count, int Satisfied, double ScoreSum)
{
    public double? Average => Count == 0 ? null : ScoreSum / Count;

    /// <summary>Percent of answers scoring 4 or 5; null when there is nothing to measure.</summary>
    public double? SatisfiedPercent => Count == 0 ? null : 100.0 * Satisfied / Count;
}

/// <summary>NPS over a set of 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6.</summary>
public sealed record NpsStats(int Count, int Promoters, int Detractors)
{
    public int Passives => Count - Promoters - Detractors;

    /// <summary>% promoters − % detractors (−100…100); null when there is nothing to measure.</summary>
    public double? Score => Services.Feedback.Satisfaction.Nps(Promoters, Detractors, Count);

    public double? PromoterPercent => Count == 0 ? null : 100.0 * Promoters / Count;
    public double? DetractorPercent => Count == 0 ? null : 100.0 * Detractors / Count;
}

/// <summary>One row of a breakdown: CSAT of its 1–5 answers and NPS of its 0–10 answers.</summary>
public sealed record CsatGroup(string Key, string Label, CsatStats Stats, NpsStats? Nps = null)
{
    public NpsStats NpsOrEmpty => Nps ?? new NpsStats(0, 0, 0);
}

public sealed record ThemeTermViewModel(string Term, int Comments);

/// <summary>One breakdown table of the analytics page.</summary>
public sealed record BreakdownViewModel(string Id, string Title, IReadOnlyList<CsatGroup> Rows);

public sealed class FeedbackAnalyticsViewModel
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public CsatStats Overall { get; init; } = new(0, 0, 0);
    public IReadOnlyList<CsatGroup> ByMonth { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByCategory { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByChannel { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByStaff { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByOwner { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByProduct { get; init; } = [];
    public IReadOnlyList<CsatGroup> ByCampaign { get; init; } = [];
    public IReadOnlyList<CsatGroup> BySurvey { get; init; } = [];
    public IReadOnlyList<CsatGroup> BySegment { get; init; } = [];

    /// <summary>Per saved segment (a customer's feedback counts in every segment they belong to).</summary>
    public IReadOnlyList<CsatGroup> BySavedSegment { get; init; } = [];

    /// <summary>The saved segment the whole page is filtered to, if any.</summary>
    public int? SegmentId { get; init; }

    public string? SegmentName { get; init; }
    public IReadOnlyList<SavedSegmentChoice> SavedSegments { get; init; } = [];

    public NpsStats OverallNps { get; init; } = new(0, 0, 0);

    /// <summary>Counts of NPS answers 0..10 (index = score).</summary>
    public IReadOnlyList<int> NpsDistribution { get; init; } = new int[11];

    /// <summary>Most frequent terms in comments with low scores (at or below the follow-up thresholds) and high ones.</summary>
    public IReadOnlyList<ThemeTermViewModel> LowThemes { get; init; } = [];

    public IReadOnlyList<ThemeTermViewModel> HighThemes { get; init; } = [];

    /// <summary>How many of the latest comments per side the themes were counted over (the bound).</summary>
    public int ThemeCommentLimit { get; init; }

    public int LowThemeComments { get; init; }
    public int HighThemeComments { get; init; }
    public int CsatLowThreshold { get; init; } = 2;
    public int NpsLowThreshold { get; init; } = 6;

    /// <summary>Counts of scores 1..5 (index 0 is score 1).</summary>
    public IReadOnlyList<int> Distribution { get; init; } = [0, 0, 0, 0, 0];

    /// <summary>The latest low scores, for follow-up.</summary>
    public IReadOnlyList<FeedbackRowViewModel> RecentLow { get; init; } = [];
}

public sealed record SavedSegmentChoice(int Id, string Name);

public sealed record FeedbackChartData(
    IReadOnlyList<string> Months, IReadOnlyList<double?> MonthAverage, IReadOnlyList<double?> MonthSatisfied,
    IReadOnlyList<int> Distribution, string AverageLabel, string SatisfiedLabel, string CountLabel,
    IReadOnlyList<double?> MonthNps, IReadOnlyList<int> NpsDistribution, string NpsLabel,
    IReadOnlyList<string> Segments, IReadOnlyList<double?> SegmentNps, IReadOnlyList<double?> SegmentSatisfied);
