namespace CrmMarketing.Web.Domain;

public enum SegmentKind
{
    /// <summary>Members are chosen by a rule (docs/segments.md) and rebuilt from it.</summary>
    Dynamic = 0,

    /// <summary>Members are added and removed by hand from the customer list.</summary>
    Static = 1,
}

/// <summary>A named group of customers. The members of both kinds are stored in <see cref="SegmentMember"/>:
/// a static segment's by hand, a dynamic segment's as the materialised result of its rule at the last build.</summary>
public class Segment
{
    public const int NameMaxLength = 100;
    public const int DescriptionMaxLength = 500;
    public const int RuleMaxLength = 20_000;

    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string? Description { get; set; }
    public SegmentKind Kind { get; set; }

    /// <summary>The rule of a dynamic segment as JSON; null for a static segment.</summary>
    public string? RuleJson { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    /// <summary>When the members were last written (a rule build, or a manual change to a static segment).</summary>
    public DateTime? LastBuiltAt { get; set; }

    /// <summary>How long the last build of a dynamic segment took.</summary>
    public long? LastBuildDurationMs { get; set; }

    public int MemberCount { get; set; }
}

public class SegmentMember
{
    public int SegmentId { get; set; }
    public int CustomerId { get; set; }
    public DateTime AddedAt { get; set; }
}
