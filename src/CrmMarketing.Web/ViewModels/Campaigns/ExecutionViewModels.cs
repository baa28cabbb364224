using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Campaigns;

public sealed record VariantRowViewModel(int Id, string Label, string TemplateName, bool IsWinner);

/// <summary>The execution card of the details page.</summary>
public sealed class ActivityExecutionViewModel
{
    public int? SegmentId { get; init; }
    public string? SegmentName { get; init; }
    public int? SegmentMemberCount { get; init; }
    public string? TemplateName { get; init; }
    public DateTime? LaunchAt { get; init; }
    public DateTime? LaunchedAt { get; init; }
    public string? LaunchedByName { get; init; }
    public int AudienceCount { get; init; }
    public int HoldoutCount { get; init; }
    public bool IsPaused { get; init; }
    public int? AbTestSharePercent { get; init; }
    public AbWinnerMetric AbWinnerMetric { get; init; }
    public int? AbTestHours { get; init; }
    public DateTime? AbDecidedAt { get; init; }
    public IReadOnlyList<VariantRowViewModel> Variants { get; init; } = [];

    /// <summary>Phone activities before launch: the sales users the call list can be split across.</summary>
    public IReadOnlyList<PickerOption> SalesUsers { get; init; } = [];

    public bool IsLaunched => LaunchedAt is not null;
    public bool CanLaunch { get; init; }
    public bool CanSchedule { get; init; }
    public bool CanPause { get; init; }
    public bool CanResume { get; init; }
    public bool CanChooseWinner { get; init; }
}

/// <summary>Launch now. Phone activities name the sales users who share the call list.</summary>
public sealed class LaunchFormModel
{
    [MaxLength(100)]
    public List<string> SalesUserIds { get; set; } = [];
}

/// <summary>The live progress of a launched activity, polled as JSON by the details page.</summary>
public sealed record CampaignProgressViewModel(
    int ActivityId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ActivityStatus>))] ActivityStatus Status,
    bool IsPaused,
    int Audience,
    int Holdout,
    int Treatment,
    int AwaitingWinner,
    int Queued,
    int Sending,
    int Sent,
    int Failed,
    int Suppressed,
    int Cancelled,
    int Contacted)
{
    /// <summary>Messages whose outcome is final, out of all the treatment group will get (waiting recipients included).</summary>
    public int Done => Sent + Failed + Suppressed + Cancelled;

    public int Expected => Math.Max(Treatment, Done + Queued + Sending + AwaitingWinner);

    public double Percent => Expected == 0 ? 100 : Math.Round(Done * 100.0 / Expected, 1);
}
