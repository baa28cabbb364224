using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Analytics;

public enum GroupDimension
{
    City = 0,
    Region = 1,
    Country = 2,
    Gender = 3,
    AgeBand = 4,
    Source = 5,
    Tag = 6,
    FirstPurchaseMonth = 7,
    RfmSegment = 8,
    EmailConsent = 9,
}

/// <summary>The segmentation screen's query string. <see cref="From"/>/<see cref="To"/> are inclusive dates in the
/// display time zone; when either is given, revenue and orders come from the purchases in that range.</summary>
public sealed class GroupsQuery : IValidatableObject
{
    public GroupDimension Dimension { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    /// <summary>Only the members of this saved segment.</summary>
    [Range(1, int.MaxValue)]
    public int? Segment { get; set; }

    public bool HasRange => From is not null || To is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Dimension))
        {
            yield return ValidationText.Error(validationContext, nameof(Dimension), "Unknown dimension.");
        }

        if (From is { } from && To is { } to && from > to)
        {
            yield return ValidationText.Error(validationContext, nameof(To), "The end date must not be before the start date.");
        }
    }
}

/// <summary>One group. <see cref="Filter"/> holds the customer list's query values that select the group, when it has one.</summary>
public sealed record GroupRow(
    string? Key,
    string Label,
    int Customers,
    decimal Share,
    decimal Revenue,
    long Orders,
    decimal? AverageOrderValue,
    decimal? AverageDaysSinceLastPurchase,
    IReadOnlyDictionary<string, string>? Filter);

public sealed class GroupsViewModel
{
    public required GroupsQuery Query { get; init; }

    public required IReadOnlyList<GroupRow> Rows { get; init; }

    /// <summary>Distinct customers counted (for a tag, a customer with several tags is in several groups).</summary>
    public required int TotalCustomers { get; init; }

    /// <summary>True when only the largest groups are shown.</summary>
    public bool Truncated { get; init; }

    /// <summary>Saved segments the statistics can be limited to (id, name).</summary>
    public IReadOnlyList<KeyValuePair<int, string>> Segments { get; init; } = [];
}

/// <summary>The bar chart the groups view embeds as a JSON data block for wwwroot/js/analytics-groups.js.</summary>
public sealed record GroupsChartData(IReadOnlyList<string> Labels, IReadOnlyList<int> Customers, IReadOnlyList<decimal> Revenue,
    string CustomersLabel, string RevenueLabel);
