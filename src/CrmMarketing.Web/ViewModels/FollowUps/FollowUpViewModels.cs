using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.FollowUps;

public sealed class FollowUpListQuery
{
    /// <summary>Admins and marketers may look at everyone's tasks; sales staff always see their own.</summary>
    public bool All { get; set; }

    /// <summary>Open tasks by default; resolved ones on request.</summary>
    public FollowUpStatus Status { get; set; } = FollowUpStatus.Open;
}

public sealed record FollowUpRowViewModel(
    int Id, int CustomerId, string CustomerName, string? CustomerPhone, string Reason, string? FeedbackComment,
    FollowUpStatus Status, DateTime CreatedAt, DateTime DueAt, bool IsOverdue, string? AssigneeName,
    DateTime? ResolvedAt, string? ResolvedByName, string? Resolution, bool CanResolve);

public sealed class FollowUpListViewModel
{
    public FollowUpListQuery Query { get; init; } = new();
    public IReadOnlyList<FollowUpRowViewModel> Rows { get; init; } = [];
    public bool CanSeeAll { get; init; }
    public int OverdueCount { get; init; }
}

public sealed class FollowUpResolveFormModel
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(FollowUpTask.ResolutionMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "What was done")]
    public string Resolution { get; set; } = string.Empty;
}

public sealed record OwnerChoice(string UserId, string Name);

public sealed class CustomerOwnerFormModel
{
    [StringLength(450)]
    public string? OwnerUserId { get; set; }
}

/// <summary>The owner card on a customer's page.</summary>
public sealed record CustomerOwnerViewModel(int CustomerId, string? OwnerUserId, string? OwnerName, bool CanEdit, IReadOnlyList<OwnerChoice> Choices);

/// <summary>The satisfaction tile on the dashboard.</summary>
public sealed record SatisfactionTileViewModel(double? CsatAverage, double? SatisfiedPercent, int CsatCount, double? Nps, int NpsCount,
    int OpenFollowUps, int OverdueFollowUps, int MyOpenFollowUps, int Days);
