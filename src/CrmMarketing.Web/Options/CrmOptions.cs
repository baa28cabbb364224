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
}
