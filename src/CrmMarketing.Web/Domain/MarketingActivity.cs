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
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedByUserId { get; set; }
    public string? UpdatedByName { get; set; }

    /// <summary>Optimistic concurrency: incremented on every save.</summary>
    public int Version { get; set; }

    public List<ActivityCost> Costs { get; set; } = [];
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
