namespace CrmMarketing.Web.Domain;

/// <summary>A planned marketing activity: a campaign sent to a segment, a phone campaign, ads, an event, a promotion
/// or a gift, with its period, budget, goal and the costs booked against it.</summary>
public class MarketingActivity
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const int ChannelMaxLength = 100;
    public const int CouponCodeMaxLength = 50;
    public const int UtmCampaignMaxLength = 100;
    public const int GoalCategoryMaxLength = 100;
    public const int MaxHoldoutPercent = 50;
    public const int MaxConversionWindowDays = 365;
    public const int DefaultConversionWindowDays = 14;
    public const int MinAbTestSharePercent = 10;
    public const int MaxAbTestSharePercent = 50;
    public const int MinAbVariants = 2;
    public const int MaxAbVariants = 4;
    public const int MaxAbTestHours = 720;

    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string? Description { get; set; }
    public ActivityType Type { get; set; }

    /// <summary>Where it runs: an ad platform, a venue, a store chain …</summary>
    public string? Channel { get; set; }

    public ActivityStatus Status { get; set; }

    /// <summary>The period in the display time zone, both days inclusive.</summary>
    public DateOnly StartDate { get; set; }

    public DateOnly EndDate { get; set; }
    public decimal Budget { get; set; }
    public string? OwnerUserId { get; set; }
    public string? OwnerName { get; set; }
    public ConversionGoal ConversionGoal { get; set; }

    /// <summary>For <see cref="ConversionGoal.CategoryPurchase"/>: the product category that counts.</summary>
    public string? GoalCategory { get; set; }

    /// <summary>Days after contact within which a purchase counts as a conversion.</summary>
    public int ConversionWindowDays { get; set; } = DefaultConversionWindowDays;

    /// <summary>Share of the audience deliberately left out to measure uplift (0–50 %).</summary>
    public int HoldoutPercent { get; set; }

    /// <summary>Upper-case; purchases carrying it are attributed to the activity.</summary>
    public string? CouponCode { get; set; }

    public string? UtmCampaign { get; set; }

    /// <summary>Offline activities: people reached and impressions, entered by hand.</summary>
    public int? Reach { get; set; }

    public int? Impressions { get; set; }

    /// <summary>Email and SMS activities: the segment whose members form the audience at launch.</summary>
    public int? SegmentId { get; set; }

    /// <summary>Email and SMS activities: the template sent (of the activity's channel). With an A/B test the
    /// variants carry their own templates and this one is unused.</summary>
    public int? TemplateId { get; set; }

    /// <summary>When a scheduled launch is due (UTC); the scheduler launches it then.</summary>
    public DateTime? LaunchAt { get; set; }

    /// <summary>When the audience was snapshotted and the messages queued (UTC); null until launched.</summary>
    public DateTime? LaunchedAt { get; set; }

    /// <summary>Who launched it (display name, for the audit trail and the page).</summary>
    public string? LaunchedByName { get; set; }

    /// <summary>Recipients in the snapshot (treatment + holdout) and the holdout part, fixed at launch.</summary>
    public int AudienceCount { get; set; }

    public int HoldoutCount { get; set; }

    /// <summary>A paused activity's queued messages are held back until it is resumed.</summary>
    public bool IsPaused { get; set; }

    /// <summary>The attribution model the metrics page opens with.</summary>
    public AttributionModel AttributionModel { get; set; }

    /// <summary>Email A/B test: share of the treatment group that receives the variants (10–50 %); null = no test.</summary>
    public int? AbTestSharePercent { get; set; }

    public AbWinnerMetric AbWinnerMetric { get; set; }

    /// <summary>Hours after launch at which the winner is chosen and the rest of the audience receives it.</summary>
    public int? AbTestHours { get; set; }

    /// <summary>The chosen variant once the test has been decided.</summary>
    public int? AbWinnerVariantId { get; set; }

    public DateTime? AbDecidedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedByUserId { get; set; }
    public string? UpdatedByName { get; set; }

    /// <summary>Optimistic concurrency: incremented on every save.</summary>
    public int Version { get; set; }

    public List<ActivityCost> Costs { get; set; } = [];
    public List<ActivityVariant> Variants { get; set; } = [];
}

/// <summary>One variant of an email A/B test (2–4 per activity), labelled A, B, C, D.</summary>
public class ActivityVariant
{
    public const int LabelMaxLength = 10;

    public int Id { get; set; }
    public int ActivityId { get; set; }
    public string Label { get; set; } = string.Empty;
    public int TemplateId { get; set; }
}

/// <summary>One member of a launched activity's audience snapshot: in the treatment group (contacted) or the
/// holdout group (deliberately not contacted, to measure uplift).</summary>
public class CampaignRecipient
{
    public long Id { get; set; }
    public int ActivityId { get; set; }
    public int CustomerId { get; set; }
    public RecipientGroup Group { get; set; }

    /// <summary>A/B test: the variant this recipient received (test phase) or the winner (rest of the audience);
    /// null without a test.</summary>
    public int? VariantId { get; set; }

    /// <summary>A/B test: true while the recipient waits for the winner to be chosen.</summary>
    public bool AwaitingWinner { get; set; }

    /// <summary>The queued message (email/SMS activities); null for holdout, phone and waiting recipients.</summary>
    public long? OutboxMessageId { get; set; }

    /// <summary>Phone activities: the sales user who calls this customer.</summary>
    public string? AssignedUserId { get; set; }

    /// <summary>First contact (message sent, or a call logged) — the start of the conversion window.</summary>
    public DateTime? ContactedAt { get; set; }

    public DateTime CreatedAt { get; set; }
}

public enum RecipientGroup
{
    Treatment = 0,
    Holdout = 1,
}

public enum AttributionModel
{
    LastTouch = 0,
    FirstTouch = 1,
    Linear = 2,
}

public enum AbWinnerMetric
{
    Open = 0,
    Click = 1,
    Conversion = 2,
}

/// <summary>One booked cost of an activity.</summary>
public class ActivityCost
{
    public const int NoteMaxLength = 500;

    public int Id { get; set; }
    public int ActivityId { get; set; }
    public DateOnly Date { get; set; }
    public decimal Amount { get; set; }
    public CostCategory Category { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedByName { get; set; }
}

public enum ActivityType
{
    Email = 0,
    Sms = 1,
    Phone = 2,
    OnlineAds = 3,
    OfflineEvent = 4,
    Promotion = 5,
    Gift = 6,
}

public enum ActivityStatus
{
    Draft = 0,
    Scheduled = 1,
    Running = 2,
    Completed = 3,
    Cancelled = 4,
}

public enum ConversionGoal
{
    AnyPurchase = 0,
    CategoryPurchase = 1,
}

public enum CostCategory
{
    Media = 0,
    Creative = 1,
    Production = 2,
    Messaging = 3,
    Venue = 4,
    Gifts = 5,
    Staff = 6,
    Other = 7,
}
