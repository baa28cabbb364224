namespace CrmMarketing.Web.Domain;

/// <summary>A satisfaction survey: one score question (NPS 0–10 or CSAT 1–5), an optional comment and one
/// optional extra question, each written in English and Simplified Chinese.</summary>
public class Survey
{
    public const int NameMaxLength = 100;
    public const int TextMaxLength = 300;

    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public ScoreScale Type { get; set; }

    /// <summary>The category the answers are filed under.</summary>
    public FeedbackCategory Category { get; set; } = FeedbackCategory.Service;

    public string QuestionEn { get; set; } = string.Empty;
    public string QuestionZh { get; set; } = string.Empty;

    /// <summary>Whether the page asks for a free-text comment.</summary>
    public bool AskComment { get; set; } = true;

    public string? ExtraQuestionEn { get; set; }
    public string? ExtraQuestionZh { get; set; }

    /// <summary>Inactive surveys keep their answers but accept no new invitations or responses.</summary>
    public bool IsActive { get; set; } = true;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedByName { get; set; }
}

/// <summary>One customer invited to one survey. The signed link carries <see cref="TokenId"/>; the row makes
/// the link single-use (<see cref="AnsweredAt"/>) and counts towards the response rate.</summary>
public class SurveyInvitation
{
    public const int TokenIdLength = 32;
    public const int CultureMaxLength = 10;

    public int Id { get; set; }
    public int SurveyId { get; set; }
    public int CustomerId { get; set; }

    /// <summary>Random, unique; the only thing the signed token names.</summary>
    public string TokenId { get; set; } = string.Empty;

    public InvitationChannel Channel { get; set; }

    /// <summary>The language the page opens in: "en" or "zh-Hans".</summary>
    public string Culture { get; set; } = "en";

    public int? CampaignId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public int? FeedbackId { get; set; }
    public string? CreatedByName { get; set; }
}

public enum InvitationChannel
{
    /// <summary>A link staff copied and passed on themselves.</summary>
    Link = 0,
    Email = 1,
    Sms = 2,
}
