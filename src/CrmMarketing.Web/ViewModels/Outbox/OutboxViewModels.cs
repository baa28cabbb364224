using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Outbox;

/// <summary>Queue screen filters; <see cref="Before"/> pages back by message id (newest first).</summary>
public sealed class OutboxQueueQuery
{
    public MessageChannel? Channel { get; set; }
    public OutboxState? State { get; set; }

    [Range(1, long.MaxValue)]
    public long? CampaignId { get; set; }

    [Range(1, long.MaxValue)]
    public long? Before { get; set; }
}

public sealed record OutboxStateCount(OutboxState State, int Count);

/// <summary>One outbox row. <see cref="IsHeld"/>: queued but held because its campaign is paused (sent on resume).</summary>
public sealed record OutboxRowViewModel(
    long Id,
    MessageChannel Channel,
    string ToAddress,
    string? Subject,
    OutboxState State,
    int Attempts,
    string CreatedAt,
    string? NextAttemptAt,
    string? SentAt,
    string? LastError,
    long? CampaignId,
    int? CustomerId,
    bool IsHeld = false);

public sealed record OutboxQueueViewModel(
    OutboxQueueQuery Query,
    IReadOnlyList<OutboxStateCount> Counts,
    IReadOnlyList<OutboxRowViewModel> Rows,
    long? NextBefore);
