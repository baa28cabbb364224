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

    /// <summary>Hours between background rebuilds of the dynamic segments' members; 0 turns the background job off.</summary>
    [Range(0, 8_760)]
    public int SegmentRefreshHours { get; set; } = 6;
}
