using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.Options;

/// <summary>Campaign execution: the in-process scheduler and the launch's batch size.</summary>
public class CampaignOptions
{
    public const string SectionName = "Campaigns";

    /// <summary>Run the scheduler (due launches, due A/B decisions, completion) in this process.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often the scheduler looks for due work.</summary>
    [Range(1, 3600)]
    public int SchedulerPollSeconds { get; set; } = 30;

    /// <summary>Recipients rendered and queued per batch at launch; bounds the memory a launch holds.</summary>
    [Range(100, 50_000)]
    public int LaunchBatchSize { get; set; } = 5000;
}
