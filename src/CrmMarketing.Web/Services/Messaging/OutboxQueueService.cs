using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Outbox;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>The queue screen: counts per state, the filtered list, and the two manual actions (retry a failed
/// message, cancel a queued one).</summary>
public sealed class OutboxQueueService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, AuditService audit)
{
    public const int PageSize = 50;
    public const string AuditEntityType = "OutboxMessage";

    public async Task<OutboxQueueViewModel> GetAsync(OutboxQueueQuery query, CancellationToken ct)
    {
        var filtered = db.OutboxMessages.AsNoTracking()
            .Where(m => query.Channel == null || m.Channel == query.Channel)
            .Where(m => query.CampaignId == null || m.CampaignId == query.CampaignId);
        var counts = await filtered.GroupBy(m => m.State)
            .Select(g => new OutboxStateCount(g.Key, g.Count()))
            .ToListAsync(ct);
        var all = Enum.GetValues<OutboxState>()
            .Select(s => counts.FirstOrDefault(c => c.State == s) ?? new OutboxStateCount(s, 0))
            .ToList();

        var rows = await filtered
            .Where(m => query.State == null || m.State == query.State)
            .Where(m => query.Before == null || m.Id < query.Before)
            .OrderByDescending(m => m.Id)
            .Take(PageSize + 1)
            .Select(m => new
            {
                m.Id,
                m.Channel,
                m.ToAddress,
                m.Subject,
                m.State,
                m.Attempts,
                m.CreatedAt,
                m.NextAttemptAt,
                m.SentAt,
                m.LastError,
                m.CampaignId,
                m.CustomerId,
            })
            .ToListAsync(ct);
        var page = rows.Take(PageSize).Select(m =>
        {
            var queued = m.State is OutboxState.Queued;
            var held = queued && m.NextAttemptAt >= CampaignLaunchService.HeldUntil;
            return new OutboxRowViewModel(
                m.Id, m.Channel, m.ToAddress, m.Subject, m.State, m.Attempts,
                formatter.DateTime(m.CreatedAt),
                queued && !held ? formatter.DateTime(m.NextAttemptAt) : null,
                formatter.DateTime(m.SentAt),
                m.LastError, m.CampaignId, m.CustomerId,
                IsHeld: held);
        }).ToList();
        return new OutboxQueueViewModel(query, all, page, rows.Count > PageSize ? page[^1].Id : null);
    }

    /// <summary>Failed → Queued, due now, with a fresh set of attempts. False when the message is not failed.</summary>
    public Task<bool> RetryAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, OutboxState.Failed, OutboxState.Queued, ct);

    /// <summary>Queued → Cancelled. False when the message is not queued (a dispatcher may have claimed it).</summary>
    public Task<bool> CancelAsync(long id, CancellationToken ct) =>
        ChangeAsync(id, OutboxState.Queued, OutboxState.Cancelled, ct);

    private async Task<bool> ChangeAsync(long id, OutboxState from, OutboxState to, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One conditional UPDATE: a dispatcher claiming the row at the same moment cannot be overridden.
        var changed = to == OutboxState.Queued
            ? await db.OutboxMessages.Where(m => m.Id == id && m.State == from).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, to)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.LastError, (string?)null), ct)
            : await db.OutboxMessages.Where(m => m.Id == id && m.State == from).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, to), ct);
        if (changed == 0)
        {
            return false;
        }

        await audit.RecordAsync(AuditActions.Update, AuditEntityType, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [new AuditChange("State", from.ToString(), to.ToString())], ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
