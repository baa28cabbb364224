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

    /// <summary>Hours between background recomputations of the product associations; 0 turns them off.</summary>
    [Range(0, 8_760)]
    public int AssociationRefreshHours { get; set; } = 24;

    /// <summary>Minimum support of an association: the share of buying customers who bought both products.</summary>
    [Range(0.0, 1.0)]
    public double AssociationMinSupport { get; set; } = 0.0005;

    /// <summary>Minimum confidence: the share of the first product's buyers who also bought the second.</summary>
    [Range(0.0, 1.0)]
    public double AssociationMinConfidence { get; set; } = 0.02;

    /// <summary>Minimum lift: how many times more often the first product's buyers buy the second than customers in general.</summary>
    [Range(1.0, 1_000_000.0)]
    public double AssociationMinLift { get; set; } = 1.1;

    /// <summary>Minimum number of customers who bought both products, so that a handful of baskets make no rule.</summary>
    [Range(1, 1_000_000)]
    public int AssociationMinPairCustomers { get; set; } = 3;

    /// <summary>How many recommendations the customer page shows.</summary>
    [Range(1, 50)]
    public int RecommendationsPerCustomer { get; set; } = 5;

    /// <summary>Hours between background rebuilds of the dynamic segments' members; 0 turns the background job off.</summary>
    [Range(0, 8_760)]
    public int SegmentRefreshHours { get; set; } = 6;
}

/// <summary>Public links in messages (unsubscribe, open pixel, click redirect) and the inbound-SMS webhook.</summary>
public class TrackingOptions : IValidatableObject
{
    public const string SectionName = "Tracking";

    /// <summary>The address customers reach this application at; every public link in a message starts with it.
    /// Must be https outside development so that List-Unsubscribe links are accepted by mailbox providers.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>How long an unsubscribe link keeps working.</summary>
    [Range(1, 3650)]
    public int UnsubscribeTokenDays { get; set; } = 365;

    /// <summary>How long open and click links keep working.</summary>
    [Range(1, 3650)]
    public int TrackingTokenDays { get; set; } = 180;

    /// <summary>Opens and clicks this soon after sending are taken for a link scanner, not a person.</summary>
    [Range(0, 3600)]
    public int BotWindowSeconds { get; set; } = 10;

    /// <summary>User-agent fragments of known link scanners and prefetchers (case-insensitive).</summary>
    public List<string> ScannerUserAgents { get; set; } =
    [
        "bot", "spider", "crawler", "barracuda", "proofpoint", "mimecast", "safelinks", "symantec", "forcepoint",
        "trendmicro", "urldefense", "python-requests", "curl/", "wget/", "go-http-client", "headlesschrome",
    ];

    /// <summary>Shared secret the SMS gateway sends in the <c>X-Webhook-Secret</c> header of inbound messages;
    /// empty turns the webhook off. Set it through an environment variable (Tracking__InboundSmsSecret).</summary>
    public string? InboundSmsSecret { get; set; }

    /// <summary>Inbound SMS texts that withdraw SMS consent (compared trimmed and case-insensitively).</summary>
    public List<string> SmsStopWords { get; set; } = ["STOP", "UNSUBSCRIBE", "退订", "TD"];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Tracking:PublicBaseUrl must be an absolute http(s) URL.", [nameof(PublicBaseUrl)]);
        }
    }
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

public class ImportOptions
{
    public const string SectionName = "Import";

    /// <summary>Where uploaded files, reports and error files are kept; relative to the content root.</summary>
    [Required]
    public string Directory { get; set; } = "App_Data/imports";

    /// <summary>Largest accepted upload in bytes (200 MB).</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Rows committed per transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>How many row issues are kept per dry run or run; counts stay exact beyond it.</summary>
    [Range(1, 1_000_000)]
    public int MaxStoredIssues { get; set; } = 10_000;
}
