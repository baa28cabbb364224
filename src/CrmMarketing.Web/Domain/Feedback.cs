namespace CrmMarketing.Web.Domain;

/// <summary>What a customer told staff about a product, the service or a delivery, with a 1–5 score.</summary>
public class Feedback
{
    public const int ContentMaxLength = 4000;
    public const int TagsMaxLength = 200;
    public const int ExtraAnswerMaxLength = 1000;
    public const int MinScore = 1;
    public const int MaxScore = 5;

    /// <summary>Scores at or above this count as satisfied in CSAT.</summary>
    public const int SatisfiedScore = 4;

    public int Id { get; set; }
    public int CustomerId { get; set; }
    public string Content { get; set; } = string.Empty;
    public int Score { get; set; }

    /// <summary>CSAT 1–5 (what staff log) or NPS 0–10 (NPS survey answers).</summary>
    public ScoreScale Scale { get; set; }
    public FeedbackChannel Channel { get; set; }
    public FeedbackCategory Category { get; set; }
    public int? ProductId { get; set; }
    public FeedbackStatus Status { get; set; }
    public string? AssigneeUserId { get; set; }

    /// <summary>Comma-separated, lower-case, without duplicates.</summary>
    public string? Tags { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedByUserId { get; set; }
    public string? CreatedByName { get; set; }

    /// <summary>The survey this is an answer to; null for feedback logged by staff.</summary>
    public int? SurveyId { get; set; }

    /// <summary>The campaign that carried the survey invitation, when there was one.</summary>
    public int? CampaignId { get; set; }

    /// <summary>The answer to the survey's optional extra question.</summary>
    public string? ExtraAnswer { get; set; }

    /// <summary>Lowest and highest score on a scale.</summary>
    public static (int Min, int Max) Range(ScoreScale scale) => scale == ScoreScale.Nps ? (0, 10) : (MinScore, MaxScore);
}

public enum ScoreScale
{
    /// <summary>Customer satisfaction, 1–5.</summary>
    Csat = 0,

    /// <summary>Net promoter score question, 0–10.</summary>
    Nps = 1,
}

public enum FeedbackChannel
{
    Phone = 0,
    Email = 1,
    Store = 2,
    Web = 3,
    Survey = 4,
}

public enum FeedbackCategory
{
    Product = 0,
    Service = 1,
    Delivery = 2,
    Price = 3,
    Other = 4,
}

public enum FeedbackStatus
{
    New = 0,
    InProgress = 1,
    Resolved = 2,
}
