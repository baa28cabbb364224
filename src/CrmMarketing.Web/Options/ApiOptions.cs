using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.Options;

/// <summary>The ingestion API under /api/v1.</summary>
public class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Requests one key may make per window; further requests get 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 120;

    /// <summary>Length of the rate-limit window in seconds.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Largest accepted request body; a larger one gets 413.</summary>
    [Range(1_024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
