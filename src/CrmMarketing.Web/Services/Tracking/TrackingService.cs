using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Tracking;

/// <summary>Records opens and clicks from the public tracking links. An event that comes within
/// <see cref="TrackingOptions.BotWindowSeconds"/> of sending, or from a known scanner's user agent, is kept but
/// flagged as a suspected bot and left out of metrics.</summary>
public sealed partial class TrackingService(CrmDbContext db, TimeProvider time, IOptions<TrackingOptions> options, ILogger<TrackingService> logger)
{
    /// <summary>Records an open; false when the message does not exist.</summary>
    public async Task<bool> RecordOpenAsync(long outboxMessageId, string? userAgent, CancellationToken ct)
    {
        var sent = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == outboxMessageId)
            .Select(m => new { At = m.SentAt ?? m.CreatedAt }).FirstOrDefaultAsync(ct);
        if (sent is null)
        {
            return false;
        }

        await AddAsync(outboxMessageId, MessageEventType.Open, null, sent.At, userAgent, ct);
        return true;
    }

    /// <summary>Records a click and returns the link's stored URL, or null when the message has no such link.</summary>
    public async Task<string?> RecordClickAsync(long outboxMessageId, int linkIndex, string? userAgent, CancellationToken ct)
    {
        var link = await db.MessageLinks.AsNoTracking()
            .Where(l => l.OutboxMessageId == outboxMessageId && l.Index == linkIndex)
            .Join(db.OutboxMessages, l => l.OutboxMessageId, m => m.Id, (l, m) => new { l.Url, At = m.SentAt ?? m.CreatedAt })
            .FirstOrDefaultAsync(ct);
        if (link is null)
        {
            return null;
        }

        await AddAsync(outboxMessageId, MessageEventType.Click, link.Url, link.At, userAgent, ct);
        return link.Url;
    }

    public bool IsSuspectedBot(DateTime sentAt, DateTime now, string? userAgent)
    {
        var o = options.Value;
        if (now - sentAt < TimeSpan.FromSeconds(o.BotWindowSeconds) || string.IsNullOrWhiteSpace(userAgent))
        {
            return true;
        }

        return o.ScannerUserAgents.Any(fragment => !string.IsNullOrEmpty(fragment) && userAgent.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    private async Task AddAsync(long messageId, MessageEventType type, string? url, DateTime sentAt, string? userAgent, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var bot = IsSuspectedBot(sentAt, now, userAgent);
        db.MessageEvents.Add(new MessageEvent
        {
            OutboxMessageId = messageId,
            Type = type,
            OccurredAt = now,
            Url = url,
            IsSuspectedBot = bot,
            UserAgent = userAgent is null ? null : userAgent.Length > MessageEvent.UserAgentMaxLength ? userAgent[..MessageEvent.UserAgentMaxLength] : userAgent,
        });
        await db.SaveChangesAsync(ct);
        LogEvent(logger, type, messageId, bot);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Type} recorded for outbox message {OutboxMessageId} (suspected bot: {Bot})")]
    private static partial void LogEvent(ILogger logger, MessageEventType type, long outboxMessageId, bool bot);
}
