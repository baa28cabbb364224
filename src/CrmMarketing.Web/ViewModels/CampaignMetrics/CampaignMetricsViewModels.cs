using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;

namespace CrmMarketing.Web.ViewModels.CampaignMetrics;

/// <summary>The metrics page of one activity under the chosen attribution model.</summary>
public sealed class ActivityMetricsViewModel
{
    public required ActivityMetrics Metrics { get; init; }
    public required AttributionModel Model { get; init; }
    public required IReadOnlyList<FunnelStep> Funnel { get; init; }

    /// <summary>Every day from the first to the last day with conversions (or the activity's period), zeros included.</summary>
    public required IReadOnlyList<MetricsDay> Days { get; init; }

    public AttributedTotals Attributed => Metrics.Attributed(Model);
    public decimal? Roi => Metrics.Roi(Model);
}

/// <summary>One bar of the funnel; the customer-list filter (query string values) for a drill-down, if any.</summary>
public sealed record FunnelStep(string Key, int Count, IReadOnlyDictionary<string, string>? CustomerFilter = null);

public enum ReportSort
{
    Start = 0,
    Name = 1,
    Audience = 2,
    Sent = 3,
    OpenRate = 4,
    ClickThroughRate = 5,
    Conversions = 6,
    Revenue = 7,
    Cost = 8,
    Roi = 9,
    Uplift = 10,
}

public sealed class CampaignReportQuery : IValidatableObject
{
    /// <summary>Activities whose period overlaps [From, To] (display time zone, both inclusive); default: the last 365 days.</summary>
    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    public AttributionModel? Model { get; set; }

    public ReportSort Sort { get; set; }

    public bool Desc { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (From is { } from && To is { } to && to < from)
        {
            yield return new ValidationResult("The end date must not be before the start date.", [nameof(To)]);
        }

        if (From is { } f && To is { } t && t.DayNumber - f.DayNumber > 3660)
        {
            yield return new ValidationResult("Choose a range of at most ten years.", [nameof(To)]);
        }
    }
}

/// <summary>One activity in the comparison report.</summary>
public sealed record ReportRow(
    int Id, string Name, ActivityType Type, string? Channel, ActivityStatus Status, DateOnly StartDate, DateOnly EndDate,
    int Audience, int Sent, double? OpenRate, double? ClickThroughRate, int Conversions, decimal Revenue, decimal Cost, decimal? Roi,
    UpliftResult? Uplift);

/// <summary>Totals of a channel or an activity type: ROI over the summed revenue and cost.</summary>
public sealed record ReportGroup(string Key, int Activities, int Conversions, decimal Revenue, decimal Cost)
{
    public decimal? Roi => UpliftMath.Roi(Revenue, Cost);
}

public sealed class CampaignReportViewModel
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required AttributionModel Model { get; init; }
    public required ReportSort Sort { get; init; }
    public required bool Desc { get; init; }
    public required IReadOnlyList<ReportRow> Rows { get; init; }

    /// <summary>More activities overlap the range than the report shows (the newest ones are shown).</summary>
    public bool Truncated { get; init; }

    public required IReadOnlyList<ReportGroup> ByChannel { get; init; }
    public required IReadOnlyList<ReportGroup> ByType { get; init; }
    public ReportGroup Total => new(string.Empty, Rows.Count, Rows.Sum(r => r.Conversions), Rows.Sum(r => r.Revenue), Rows.Sum(r => r.Cost));
}
