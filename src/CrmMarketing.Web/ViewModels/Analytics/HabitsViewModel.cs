using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Analytics;

/// <summary>The purchase habits screen's query string: an optional RFM segment to narrow the customers.</summary>
public sealed class HabitsQuery : IValidatableObject
{
    public RfmSegment? Segment { get; set; }

    /// <summary>Only the members of this saved segment.</summary>
    [Range(1, int.MaxValue)]
    public int? SavedSegment { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Segment is { } segment && !Enum.IsDefined(segment))
        {
            yield return ValidationText.Error(validationContext, nameof(Segment), "Unknown segment.");
        }
    }
}

/// <summary>A category or product with its net revenue and distinct buyers.</summary>
public sealed record RankedItem(string Label, decimal Revenue, int Buyers);

public sealed record ChannelMixRow(PurchaseChannel Channel, string Label, long Orders, decimal Revenue, decimal OrderShare, decimal RevenueShare);

/// <summary>One cell of the weekday × hour heatmap; <see cref="Level"/> 0–5 picks the CSS intensity class.</summary>
public sealed record HeatCell(DayOfWeek Day, int Hour, int Orders, int Level);

public sealed class HabitsViewModel
{
    public required HabitsQuery Query { get; init; }

    /// <summary>Saved segments the habits can be limited to (id, name).</summary>
    public IReadOnlyList<KeyValuePair<int, string>> SavedSegments { get; init; } = [];

    public required IReadOnlyList<RankedItem> CategoriesByRevenue { get; init; }

    public required IReadOnlyList<RankedItem> CategoriesByBuyers { get; init; }

    public required IReadOnlyList<RankedItem> ProductsByRevenue { get; init; }

    public required IReadOnlyList<RankedItem> ProductsByBuyers { get; init; }

    /// <summary>Orders per local weekday and hour; 7 × 24 cells, Sunday first.</summary>
    public required IReadOnlyList<HeatCell> Heatmap { get; init; }

    public required int Buyers { get; init; }

    public required int RepeatBuyers { get; init; }

    /// <summary>Customers with at least two orders among those with at least one; null without buyers.</summary>
    public decimal? RepeatRate => Buyers == 0 ? null : (decimal)RepeatBuyers / Buyers;

    /// <summary>Median days between a customer's consecutive orders, over all customers; null without any gap.</summary>
    public required decimal? MedianGapDays { get; init; }

    public required IReadOnlyList<ChannelMixRow> Channels { get; init; }

    public required string TimeZoneName { get; init; }
}

/// <summary>The charts the habits view embeds as a JSON data block for wwwroot/js/analytics-habits.js.</summary>
public sealed record HabitsChartData(
    IReadOnlyList<string> CategoryLabels, IReadOnlyList<decimal> CategoryRevenue, string RevenueLabel,
    IReadOnlyList<string> ChannelLabels, IReadOnlyList<long> ChannelOrders, string OrdersLabel);

/// <summary>One cohort: customers whose first order fell in <see cref="Month"/>, and what they did in the months since.</summary>
public sealed record CohortRow(DateOnly Month, int Customers, IReadOnlyList<CohortCell?> Cells);

/// <summary>Month offset cell; null in <see cref="CohortRow.Cells"/> when that month is still in the future.</summary>
public sealed record CohortCell(int Offset, int Customers, decimal Retention, decimal Revenue, int Level);

public sealed class CohortsViewModel
{
    public const int Months = 12;

    public required IReadOnlyList<CohortRow> Cohorts { get; init; }

    public required string TimeZoneName { get; init; }
}
