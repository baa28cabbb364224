namespace CrmMarketing.Web.ViewModels.Duplicates;

/// <summary>Why two customers look like one person.</summary>
public enum DuplicateReason
{
    SameEmail = 0,
    SamePhone = 1,
    SimilarName = 2,
}

public sealed record DuplicateSide(int Id, string Name, string? Email, string? Phone, string? City, bool IsArchived, int OrderCount);

/// <summary>A candidate pair; <see cref="Score"/> is 0–1, <see cref="NameSimilarity"/> the Jaro-Winkler similarity of the names.</summary>
public sealed record DuplicatePairViewModel(DuplicateSide First, DuplicateSide Second, double Score, IReadOnlyList<DuplicateReason> Reasons, double NameSimilarity);

public sealed class DuplicateQueueViewModel
{
    public required IReadOnlyList<DuplicatePairViewModel> Pairs { get; init; }

    /// <summary>True when more candidates exist than the page shows; merging or dismissing brings the next ones up.</summary>
    public bool Truncated { get; init; }
}

public sealed class DismissFormModel
{
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int FirstId { get; set; }

    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int SecondId { get; set; }
}
