using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.ViewModels.Duplicates;

public enum MergeSide
{
    Survivor = 0,
    Other = 1,
}

/// <summary>The merge form: which record's value each field keeps, and the versions both records had when the
/// screen was opened (a record edited since then is not merged).</summary>
public sealed class MergeFormModel : IValidatableObject
{
    [Range(1, int.MaxValue)]
    public int OtherId { get; set; }

    public int SurvivorVersion { get; set; }
    public int OtherVersion { get; set; }

    /// <summary>Field name → side; a field left out keeps the survivor's value.</summary>
    public Dictionary<string, MergeSide> Picks { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Picks.Keys.Any(k => !Services.Privacy.MergeService.PickableFields.Contains(k, StringComparer.Ordinal)))
        {
            yield return new ValidationResult("Unknown field.", [nameof(Picks)]);
        }
    }
}

/// <summary>One row of the side-by-side comparison. <see cref="LabelPrefix"/> names the localisation prefix of an
/// enum value ("gender:", "consent:"), empty for plain text.</summary>
public sealed record MergeFieldRow(string Field, string? SurvivorValue, string? OtherValue, string LabelPrefix, MergeSide Picked)
{
    public bool Differs => !string.Equals(SurvivorValue, OtherValue, StringComparison.Ordinal);
}

public sealed record MergeRecordSummary(int Id, string Name, int Version, bool IsArchived, DateTime CreatedAt,
    int OrderCount, decimal TotalSpent, IReadOnlyList<string> Tags, IReadOnlyList<MergeCount> Counts);

public sealed record MergeCount(string Table, int Count);

public sealed class MergeViewModel
{
    public required MergeRecordSummary Survivor { get; init; }
    public required MergeRecordSummary Other { get; init; }
    public required IReadOnlyList<MergeFieldRow> Fields { get; init; }
    public bool Conflict { get; init; }
}

public sealed record MergeHistoryRow(int Id, int SurvivorId, string? SurvivorName, int LoserId, string? LoserName,
    DateTime MergedAt, string MergedBy, DateTime? UndoneAt, string? UndoneBy, bool CanUndo);

public sealed class MergeHistoryViewModel
{
    public required IReadOnlyList<MergeHistoryRow> Rows { get; init; }
}

/// <summary>"Merge with…": pick the other record by search, or from this customer's likely duplicates.</summary>
public sealed class MergeChooseViewModel
{
    public required int Id { get; init; }
    public required string Name { get; init; }
    public string? Q { get; init; }
    public IReadOnlyList<CrmMarketing.Web.ViewModels.Feedback.CustomerLookupItem> Results { get; init; } = [];
    public IReadOnlyList<CrmMarketing.Web.ViewModels.Customers.DuplicateMatch> Suggestions { get; init; } = [];
}
