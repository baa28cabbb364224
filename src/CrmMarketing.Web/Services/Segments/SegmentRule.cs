namespace CrmMarketing.Web.Services.Segments;

/// <summary>A node of a parsed segment rule: a group or a condition. <see cref="Path"/> numbers it for
/// messages ("condition 2.1" is the first condition of the second entry of the top group).</summary>
public abstract record SegmentRuleNode(string Path);

/// <summary>All (AND) or any (OR) of its children.</summary>
public sealed record SegmentRuleGroup(string Path, bool MatchAll, IReadOnlyList<SegmentRuleNode> Children) : SegmentRuleNode(Path);

/// <summary>One validated condition; the values are already converted to the field's type.</summary>
public sealed record SegmentRuleCondition(
    string Path,
    SegmentField Field,
    string Operator,
    IReadOnlyList<string> Texts,
    decimal? Number,
    int? Days,
    string? EventType) : SegmentRuleNode(Path);
