using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.Options;

public class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Erase (pseudonymise) customers inactive for more than this many years; unset (the default) keeps
    /// everyone. Inactive: no purchase, event, call, feedback, note or profile change in that time.</summary>
    [Range(1, 100)]
    public int? RetentionYears { get; set; }

    /// <summary>Hours between runs of the maintenance job (retention rule, and clearing merge journals whose
    /// undo window has passed); 0 turns the job off.</summary>
    [Range(0, 8_760)]
    public int MaintenanceHours { get; set; } = 24;

    /// <summary>Customers erased per maintenance run at most, so one run never holds the database for long.</summary>
    [Range(1, 100_000)]
    public int RetentionBatchSize { get; set; } = 500;
}
