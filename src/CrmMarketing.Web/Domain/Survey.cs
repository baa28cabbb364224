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

    /// <summary>The marketing activity that carried the invitation, when there was one.</summary>
    public int? CampaignId { get; set; }

    /// <summary>The segment send this invitation belongs to; null for one customer invited by staff.</summary>
    public int? SendId { get; set; }

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

/// <summary>A survey sent to the members of a saved segment, through a template (or the built-in text) on one
/// channel, optionally as part of a marketing activity. Invitations are written in batches; <see cref="Key"/> (from
/// the form) makes a resubmitted or retried request continue the same send instead of starting a second one.</summary>
public class SurveySend
{
    public const int KeyMaxLength = 32;

    public int Id { get; set; }

    /// <summary>Unique; generated when the send form is opened.</summary>
    public string Key { get; set; } = string.Empty;

    public int SurveyId { get; set; }

    /// <summary>Null once the segment has been deleted; <see cref="SegmentName"/> keeps what it was.</summary>
    public int? SegmentId { get; set; }

    public string SegmentName { get; set; } = string.Empty;
    public InvitationChannel Channel { get; set; }

    /// <summary>The message template; null = the built-in invitation text.</summary>
    public int? TemplateId { get; set; }

    /// <summary>The marketing activity the answers are attributed to.</summary>
    public int? CampaignId { get; set; }

    /// <summary>The language of the survey page (and of the built-in text): "en" or "zh-Hans".</summary>
    public string Culture { get; set; } = "zh-Hans";

    /// <summary>Segment members when the send started.</summary>
    public int MemberCount { get; set; }

    /// <summary>Invitations queued; the rest of the members were skipped (archived, no consent, no valid address, suppressed).</summary>
    public int QueuedCount { get; set; }

    public int SkippedCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? CreatedByName { get; set; }
}
