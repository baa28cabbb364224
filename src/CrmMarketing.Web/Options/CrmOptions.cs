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
