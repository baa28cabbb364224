using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.ViewModels.Analytics;
using CrmMarketing.Web.ViewModels.Customers;

namespace CrmMarketing.Web.ViewModels.Segments;

public sealed record SegmentRowViewModel(
    int Id, string Name, string? Description, SegmentKind Kind, int MemberCount, DateTime? LastBuiltAt, long? LastBuildDurationMs, DateTime UpdatedAt);

public sealed class SegmentListViewModel
{
    public required IReadOnlyList<SegmentRowViewModel> Rows { get; init; }
}

/// <summary>Members of one segment, of another, and of both.</summary>
public sealed record SegmentOverlapViewModel(int OtherId, string OtherName, int OnlyThis, int Both, int OnlyOther);

public sealed class SegmentDetailsViewModel
{
    public required SegmentRowViewModel Segment { get; init; }

    /// <summary>The rule as readable text, one line per condition; empty for a static segment.</summary>
    public required IReadOnlyList<string> RuleLines { get; init; }

    public required CustomerListViewModel Members { get; init; }

    public required GroupsViewModel Stats { get; init; }

    public required IReadOnlyList<SegmentRowViewModel> OtherSegments { get; init; }

    public SegmentOverlapViewModel? Overlap { get; init; }
}

/// <summary>The query string of the segment page.</summary>
public sealed class SegmentDetailsQuery
{
    public GroupDimension Dimension { get; set; }

    /// <summary>The segment to compare with.</summary>
    public int? Compare { get; set; }
}

public sealed record SegmentPreviewMember(int Id, string Name, string? City, string TotalSpent, string? LastPurchase);

/// <summary>The live preview answer (JSON): the member count and a few members, or the reason the rule is invalid.</summary>
public sealed record SegmentPreviewResult(int Count, IReadOnlyList<SegmentPreviewMember> Sample, long ElapsedMs);

/// <summary>Customers picked on the customer list for a static segment.</summary>
public sealed class SegmentMembersFormModel
{
    public const int MaxCustomers = 1000;

    [Range(1, int.MaxValue)]
    public int SegmentId { get; set; }

    [MaxLength(MaxCustomers)]
    public List<int> CustomerIds { get; set; } = [];

    /// <summary>The customer list URL to return to (a local path only).</summary>
    [StringLength(2000)]
    public string? ReturnUrl { get; set; }
}
