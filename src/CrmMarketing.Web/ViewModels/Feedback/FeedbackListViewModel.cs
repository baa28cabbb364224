using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Feedback;

public sealed class FeedbackListQuery
{
    public const int PageSize = 25;

    [Range(0, 10)]
    public int? Score { get; set; }

    /// <summary>CSAT (staff and CSAT surveys) or NPS answers only.</summary>
    public ScoreScale? Scale { get; set; }

    [Range(1, int.MaxValue)]
    public int? SurveyId { get; set; }

    public FeedbackChannel? Channel { get; set; }
    public FeedbackCategory? Category { get; set; }
    public FeedbackStatus? Status { get; set; }

    [Range(1, int.MaxValue)]
    public int? ProductId { get; set; }

    /// <summary>Dates in the configured time zone, both inclusive.</summary>
    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    [StringLength(450)]
    public string? Staff { get; set; }

    [StringLength(200)]
    public string? Q { get; set; }

    [Range(1, 100_000)]
    public int Page { get; set; } = 1;
}

public sealed record FeedbackRowViewModel(
    int Id, int CustomerId, string CustomerName, int Score, string Content, FeedbackChannel Channel,
    FeedbackCategory Category, string? ProductName, FeedbackStatus Status, string? Tags, DateTime CreatedAt,
    string? CreatedByName, bool CanEdit, bool CanChangeStatus, ScoreScale Scale = ScoreScale.Csat, string? ExtraAnswer = null)
{
    /// <summary>"4/5" or "7/10".</summary>
    public string ScoreText => Score.ToString(System.Globalization.CultureInfo.InvariantCulture) + (Scale == ScoreScale.Nps ? "/10" : "/5");
}

public sealed record StaffOption(string UserId, string Name);

public sealed class FeedbackListViewModel
{
    public FeedbackListQuery Query { get; init; } = new();
    public IReadOnlyList<FeedbackRowViewModel> Rows { get; init; } = [];
    public int TotalCount { get; init; }
    public int PageCount => Math.Max(1, (TotalCount + FeedbackListQuery.PageSize - 1) / FeedbackListQuery.PageSize);
    public IReadOnlyList<ProductChoice> Products { get; init; } = [];

    /// <summary>Empty for sales staff, who only see their own entries.</summary>
    public IReadOnlyList<StaffOption> Staff { get; init; } = [];
}
