namespace CrmMarketing.Web.ViewModels.Customers;

public sealed record CustomerRowViewModel(
    int Id,
    string Name,
    string? Email,
    string? Phone,
    string? City,
    string? Region,
    string? Source,
    int OrderCount,
    decimal TotalSpent,
    DateTime? LastPurchaseAt,
    DateTime CreatedAt,
    bool IsArchived);

public sealed record CustomerFilterOptions(
    IReadOnlyList<string> Cities,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Tags);

public sealed class CustomerListViewModel
{
    /// <summary>Counting stops here: a million-row table is never counted on every page.</summary>
    public const int CountCap = 10_000;

    public required CustomerListQuery Query { get; init; }
    public required IReadOnlyList<CustomerRowViewModel> Rows { get; init; }

    /// <summary>Matching customers, at most <see cref="CountCap"/> + 1.</summary>
    public required int Count { get; init; }

    public bool CountIsCapped => Count > CountCap;
    public string? NextCursor { get; init; }
    public string? PreviousCursor { get; init; }
    public bool HasNext => NextCursor is not null;
    public bool HasPrevious => PreviousCursor is not null || Query.Page > 1;
    public required CustomerFilterOptions Filters { get; init; }

    /// <summary>Saved segments: the segment filter, and the static ones as targets of "add to segment".</summary>
    public IReadOnlyList<CustomerSegmentOption> Segments { get; init; } = [];

    /// <summary>The name of the activity filtered on (<see cref="CustomerListQuery.Activity"/>); null when there is no
    /// such activity.</summary>
    public string? ActivityName { get; init; }
}

public sealed record CustomerSegmentOption(int Id, string Name, bool IsStatic);

/// <summary>A sortable column header of the customer list.</summary>
public sealed record SortHeaderModel(CustomerListQuery Query, CustomerSort Sort, string Label);
