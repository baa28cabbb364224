using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Analytics;

public sealed record RfmRunSummary(DateTime ComputedAt, long DurationMs, int Customers, int WindowDays);

public sealed record RfmSegmentRow(RfmSegment Segment, int Customers, decimal Revenue, decimal Share);

/// <summary>One cell of the R×F heatmap; <see cref="Level"/> 0–5 picks the CSS shade.</summary>
public sealed record RfmCell(int Recency, int Frequency, RfmSegment Segment, int Customers, decimal AverageMonetary, int Level);

public sealed class RfmViewModel
{
    public RfmRunSummary? LastRun { get; init; }

    public required int WindowDays { get; init; }

    /// <summary>Every segment in grid order, including the empty ones.</summary>
    public required IReadOnlyList<RfmSegmentRow> Segments { get; init; }

    /// <summary>Rows by recency 5 → 1, each with frequency 1 → 5.</summary>
    public required IReadOnlyList<IReadOnlyList<RfmCell>> Grid { get; init; }

    public int TotalCustomers => Segments.Sum(s => s.Customers);

    public decimal TotalRevenue => Segments.Sum(s => s.Revenue);
}

/// <summary>The segment bar chart the RFM view embeds as a JSON data block for wwwroot/js/analytics-rfm.js.</summary>
public sealed record RfmChartData(IReadOnlyList<string> Labels, IReadOnlyList<int> Customers, IReadOnlyList<decimal> Revenue,
    string CustomersLabel, string RevenueLabel);

public sealed record RfmRefreshResult(int Customers, long DurationMs);
