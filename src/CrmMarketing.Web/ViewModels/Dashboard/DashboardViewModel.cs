using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Dashboard;

/// <summary>The dashboard's date range (query string). A preset (<see cref="Days"/>) ends today; otherwise
/// <see cref="From"/>/<see cref="To"/> (inclusive days in the display zone); the last 30 days when neither is given.</summary>
public sealed class DashboardQuery : IValidatableObject
{
    public static readonly int[] Presets = [7, 30, 90, 365];
    public const int DefaultDays = 30;

    /// <summary>The longest range shown, in days.</summary>
    public const int MaxDays = 3_660;

    [Range(1, MaxDays)]
    public int? Days { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    /// <summary>Dates outside these bounds are rejected, so that the previous period and UTC bounds always exist.</summary>
    public static readonly DateOnly MinDate = new(1900, 1, 1);
    public static readonly DateOnly MaxDate = new(2999, 12, 31);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (From < MinDate || From > MaxDate || To < MinDate || To > MaxDate)
        {
            yield return ValidationText.Error(validationContext, nameof(From), "Dates must lie between the years 1900 and 2999.");
            yield break;
        }

        if (From is { } from && To is { } to)
        {
            if (to < from)
            {
                yield return ValidationText.Error(validationContext, nameof(To), "The end of the range must not be before its start.");
            }
            else if (to.DayNumber - from.DayNumber + 1 > MaxDays)
            {
                yield return ValidationText.Error(validationContext, nameof(To), "The range may span at most {0} days.", MaxDays);
            }
        }
    }
}

public enum Granularity
{
    Day = 0,
    Week = 1,
    Month = 2,
}

/// <summary>A resolved range of whole days in the display zone and the previous range of equal length.</summary>
public sealed record DashboardPeriod(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
    public DateOnly PreviousFrom => From.AddDays(-Days);
    public DateOnly PreviousTo => From.AddDays(-1);

    /// <summary>Day buckets up to a month, weeks up to half a year, months beyond.</summary>
    public Granularity Granularity => GranularityFor(Days);

    public static Granularity GranularityFor(int days) => days switch
    {
        <= 31 => Granularity.Day,
        <= 183 => Granularity.Week,
        _ => Granularity.Month,
    };

    /// <summary>The range the query asks for, with <paramref name="today"/> in the display zone.</summary>
    public static DashboardPeriod Resolve(DashboardQuery query, DateOnly today)
    {
        if (query.Days is { } days)
        {
            return new DashboardPeriod(today.AddDays(1 - days), today);
        }

        var to = query.To ?? (query.From is { } f && f.AddDays(DashboardQuery.DefaultDays - 1) < today ? f.AddDays(DashboardQuery.DefaultDays - 1) : today);
        var from = query.From ?? to.AddDays(1 - DashboardQuery.DefaultDays);
        return new DashboardPeriod(from, to);
    }
}

/// <summary>A figure for the range and for the previous range of equal length.</summary>
public sealed record Kpi(decimal Current, decimal Previous)
{
    /// <summary>(current − previous) / previous; null when the previous figure is zero (no basis for a ratio).</summary>
    public decimal? Change => Previous == 0 ? null : (Current - Previous) / Math.Abs(Previous);
}

/// <summary>Kpi for a ratio figure that may be undefined (no orders): the change is then undefined too.</summary>
public sealed record RatioKpi(decimal? Current, decimal? Previous)
{
    public decimal? Change => Current is { } c && Previous is { } p && p != 0 ? (c - p) / Math.Abs(p) : null;
}

public sealed record DashboardKpis(
    Kpi Customers, Kpi NewCustomers, Kpi ActiveCustomers, Kpi Revenue, Kpi Orders,
    RatioKpi AverageOrderValue, RatioKpi RepeatPurchaseRate);

/// <summary>One point of a time series: the bucket's first and last day and its figures; <see cref="Filter"/>
/// selects the customer list behind it.</summary>
public sealed record TimePoint(DateOnly Start, DateOnly End, decimal Revenue, int Orders, int NewCustomers,
    IReadOnlyDictionary<string, string> PurchasedFilter, IReadOnlyDictionary<string, string> NewCustomersFilter);

/// <summary>A bar of a breakdown; <see cref="Filter"/> is null when the customer list cannot select it (unknown).</summary>
public sealed record BreakdownRow(string Label, decimal Revenue, int Orders, int Customers, IReadOnlyDictionary<string, string>? Filter);

public sealed record SegmentSlice(RfmSegment Segment, int Customers, IReadOnlyDictionary<string, string> Filter);

public sealed record TopProductRow(int ProductId, string Name, string? Category, decimal Revenue, int Units, int Buyers,
    IReadOnlyDictionary<string, string> Filter);

public sealed class DashboardViewModel
{
    public required DashboardPeriod Period { get; init; }

    /// <summary>The preset the range matches, if any (for the picker).</summary>
    public int? Preset { get; init; }

    public required DashboardKpis Kpis { get; init; }
    public required IReadOnlyList<TimePoint> Series { get; init; }
    public required IReadOnlyList<BreakdownRow> Regions { get; init; }
    public required IReadOnlyList<BreakdownRow> Cities { get; init; }
    public required IReadOnlyList<SegmentSlice> Segments { get; init; }
    public DateTime? RfmComputedAt { get; init; }
    public required IReadOnlyList<TopProductRow> TopProducts { get; init; }

    /// <summary>Customer-list filters of the whole range: purchased in it, and first purchase in it.</summary>
    public required IReadOnlyDictionary<string, string> PurchasedFilter { get; init; }
    public required IReadOnlyDictionary<string, string> NewCustomersFilter { get; init; }
}

/// <summary>A chart the view embeds as a JSON data block for wwwroot/js/dashboard.js: labels, one or two series,
/// and per bar the customer-list URL that a click opens.</summary>
public sealed record DashboardChartData(
    string Kind, IReadOnlyList<string> Labels, IReadOnlyList<DashboardSeries> Series, IReadOnlyList<string?> Links);

public sealed record DashboardSeries(string Label, IReadOnlyList<decimal> Values, string Type = "bar", string Axis = "y");
