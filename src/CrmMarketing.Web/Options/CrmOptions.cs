using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.Options;

public class CrmOptions : IValidatableObject
{
    public const string SectionName = "Crm";

    /// <summary>ISO 4217 code of the one currency all amounts are in.</summary>
    [Required, RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "CNY";

    /// <summary>IANA or Windows time zone id in which times are shown.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public BootstrapAdminOptions Bootstrap { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Crm:TimeZone '{TimeZone}' is not a known time zone.", [nameof(TimeZone)]);
        }
    }
}

public class BootstrapAdminOptions
{
    [EmailAddress]
    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }
}

public class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending migrations at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Bogus locale of names and places: zh_CN (default) or en.</summary>
    [Required, RegularExpression("^(zh_CN|en)$")]
    public string Locale { get; set; } = "zh_CN";

    /// <summary>Seed demo data and demo accounts on an empty database (on by default in Development).</summary>
    public bool Seed { get; set; }

    /// <summary>Password of the demo accounts.</summary>
    [Required, MinLength(12)]
    public string Password { get; set; } = "Demo-Password-2026";

    public int Customers { get; set; } = 2000;
}

public class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>How many days of purchases the RFM scores look back over.</summary>
    [Range(1, 36_500)]
    public int RfmWindowDays { get; set; } = 730;

    /// <summary>Hours between background recomputations of the RFM scores; 0 turns the background job off.</summary>
    [Range(0, 8_760)]
    public int RfmRefreshHours { get; set; } = 24;
}

/// <summary>Surveys and the closed loop on low scores (docs/feedback.md).</summary>
public class FeedbackOptions
{
    public const string SectionName = "Feedback";

    /// <summary>CSAT scores (1–5) at or below this open a follow-up task.</summary>
    [Range(0, 5)]
    public int CsatLowThreshold { get; set; } = 2;

    /// <summary>NPS scores (0–10) at or below this (detractors) open a follow-up task.</summary>
    [Range(-1, 10)]
    public int NpsLowThreshold { get; set; } = 6;

    /// <summary>Days from a low score to the follow-up's due date.</summary>
    [Range(0, 365)]
    public int FollowUpDueDays { get; set; } = 2;

    /// <summary>E-mail (user name) of the user who gets follow-ups for customers without an owner.</summary>
    [EmailAddress]
    public string? DefaultAssigneeEmail { get; set; }

    /// <summary>Also e-mail the assignee (through the outbox) when a follow-up is opened.</summary>
    public bool EmailAssignee { get; set; }

    /// <summary>Days a survey link stays valid.</summary>
    [Range(1, 365)]
    public int InvitationValidDays { get; set; } = 30;

    /// <summary>Absolute base URL of the public survey links in messages (e.g. https://crm.example.com);
    /// when empty the address of the request that sent the invitation is used.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>At most this many of the latest comments per side (low / high) are read for comment themes.</summary>
    [Range(100, 100_000)]
    public int ThemeCommentLimit { get; set; } = 2000;
}
