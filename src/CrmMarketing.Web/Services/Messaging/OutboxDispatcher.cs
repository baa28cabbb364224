using System.Collections.Concurrent;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>Sends due outbox rows. Each pass claims a batch per channel with a lease (an UPDATE that only touches
/// rows still queued or whose lease has expired, so several dispatchers never claim the same row), checks
/// suppression and marketing consent, sends over parallel connections and records each outcome right after the
/// server's reply. See docs/messaging.md.</summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IEmailSender emailSender,
    ISmsSender smsSender,
    IOptions<OutboxOptions> outboxOptions,
    IOptions<SmtpOptions> smtpOptions,
    IOptions<SmsGatewayOptions> smsOptions,
    IOptions<CrmOptions> crmOptions,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly string _instance = (Environment.MachineName + ":" + Environment.ProcessId).Length > 40
        ? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Environment.MachineName + ":" + Environment.ProcessId;

    private readonly ConcurrentBag<IEmailSession> _idleSessions = [];
    private readonly RatePacer _emailPacer = new(smtpOptions.Value.MessagesPerSecond, time);
    private readonly RatePacer _smsPacer = new(smsOptions.Value.MessagesPerSecond, time);
    private readonly QuietHours _quietHours = QuietHours.From(smsOptions.Value, crmOptions.Value);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!outboxOptions.Value.DispatcherEnabled)
        {
            return;
        }

        var poll = TimeSpan.FromSeconds(outboxOptions.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(ex);
            }

            if (handled == 0)
            {
                await CloseIdleSessionsAsync();
                try
                {
                    await Task.Delay(poll, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await CloseIdleSessionsAsync();
    }

    /// <summary>One pass over both channels. When <paramref name="stopping"/> fires, messages already being sent are
    /// finished and recorded, and the rest of the claimed batch is released for the next dispatcher.</summary>
    /// <returns>The number of messages whose outcome was recorded.</returns>
    public Task<int> DispatchDueAsync(CancellationToken stopping) => DispatchDueAsync(stopping, CancellationToken.None);

    /// <summary><paramref name="abort"/> stands for the process dying: everything stops at once, nothing more is
    /// recorded, and the claimed rows stay leased until their lease expires.</summary>
    internal async Task<int> DispatchDueAsync(CancellationToken stopping, CancellationToken abort)
    {
        var counts = await Task.WhenAll(
            DispatchChannelAsync(MessageChannel.Email, stopping, abort),
            DispatchChannelAsync(MessageChannel.Sms, stopping, abort));
        return counts[0] + counts[1];
    }

    public async Task CloseIdleSessionsAsync()
    {
        while (_idleSessions.TryTake(out var session))
        {
            await session.DisposeAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await CloseIdleSessionsAsync();
    }

    private async Task<int> DispatchChannelAsync(MessageChannel channel, CancellationToken stopping, CancellationToken abort)
    {
        if (stopping.IsCancellationRequested)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        if (channel == MessageChannel.Sms && _quietHours.EndsAt(now) is not null)
        {
            return 0;
        }

        var o = outboxOptions.Value;
        var perSecond = channel == MessageChannel.Email ? smtpOptions.Value.MessagesPerSecond : smsOptions.Value.MessagesPerSecond;
        // A batch must be sendable well within its lease at the channel's rate.
        var limit = perSecond > 0 ? Math.Max(1, Math.Min(o.BatchSize, perSecond * o.LeaseSeconds / 2)) : o.BatchSize;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var lease = new Lease(_instance + ":" + Guid.NewGuid().ToString("N")[..12], now.UtcDateTime.AddSeconds(o.LeaseSeconds));
        var claimed = await ClaimAsync(db, channel, limit, now.UtcDateTime, lease, abort);
        if (claimed.Count == 0)
        {
            return 0;
        }

        LogClaimed(claimed.Count, channel);
        var blocked = await BlockedAsync(db, channel, claimed, abort);
        var handled = 0;
        foreach (var (message, reason) in blocked)
        {
            await RecordAsync(db, message, lease, new DeliveryResult(DeliveryStatus.Permanent, reason), OutboxState.Suppressed, abort);
            handled++;
        }

        var batch = new Batch(claimed.Where(m => !blocked.ContainsKey(m)));
        var workers = channel == MessageChannel.Email ? smtpOptions.Value.ParallelConnections : smsOptions.Value.ParallelRequests;
        var results = await Task.WhenAll(Enumerable.Range(0, Math.Min(workers, batch.Count)).Select(_ => channel == MessageChannel.Email
            ? EmailWorkerAsync(batch, lease, stopping, abort)
            : SmsWorkerAsync(batch, lease, stopping, abort)));
        handled += results.Sum();

        // Not sent in this pass (stopping, server down, rate-limited): back to the queue without using an attempt.
        var release = batch.Drain();
        if (release.Count > 0)
        {
            var until = batch.DeferredUntil ?? time.GetUtcNow().UtcDateTime;
            var ids = release.Select(m => m.Id).ToList();
            await db.OutboxMessages
                .Where(m => ids.Contains(m.Id) && m.LeaseOwner == lease.Owner && m.State == OutboxState.Sending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Queued)
                    .SetProperty(m => m.Attempts, m => m.Attempts - 1)
                    .SetProperty(m => m.NextAttemptAt, until)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null), abort);
            LogReleased(release.Count, channel);
        }

        return handled;
    }

    private static async Task<List<OutboxMessage>> ClaimAsync(CrmDbContext db, MessageChannel channel, int limit, DateTime now, Lease lease, CancellationToken ct)
    {
        // A paused campaign's queued rows are parked far in the future; a row rescheduled for a retry while the campaign
        // was being paused is held back here.
        var due = db.OutboxMessages
            .Where(m => m.Channel == channel && (m.State == OutboxState.Queued || m.State == OutboxState.Sending) && m.NextAttemptAt <= now)
            .Where(m => m.CampaignId == null || !db.MarketingActivities.Any(a => a.Id == m.CampaignId && a.IsPaused))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Select(m => m.Id)
            .Take(limit);
        // The outer conditions are checked again on each row as it is updated, so a row another dispatcher claimed
        // in the meantime is skipped rather than claimed twice.
        var count = await db.OutboxMessages
            .Where(m => due.Contains(m.Id) && m.Channel == channel
                        && (m.State == OutboxState.Queued || m.State == OutboxState.Sending) && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Sending)
                .SetProperty(m => m.LeaseOwner, lease.Owner)
                .SetProperty(m => m.LeaseExpiresAt, lease.ExpiresAt)
                .SetProperty(m => m.NextAttemptAt, lease.ExpiresAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
        if (count == 0)
        {
            return [];
        }

        return await db.OutboxMessages.AsNoTracking()
            .Where(m => m.Channel == channel && m.State == OutboxState.Sending && m.NextAttemptAt == lease.ExpiresAt && m.LeaseOwner == lease.Owner)
            .OrderBy(m => m.Id)
            .ToListAsync(ct);
    }

    /// <summary>Messages that must not go out now, with the reason: a suppressed address (hard bounces and erasures
    /// block every message; unsubscribes and complaints block marketing), or a marketing message whose customer no
    /// longer consents.</summary>
    private static async Task<Dictionary<OutboxMessage, string>> BlockedAsync(CrmDbContext db, MessageChannel channel, List<OutboxMessage> claimed, CancellationToken ct)
    {
        var hashes = claimed.ToDictionary(m => m, m => SuppressionService.Hash(channel, m.ToAddress));
        var distinct = hashes.Values.Distinct().ToList();
        var suppressions = await db.Suppressions.AsNoTracking()
            .Where(s => s.Channel == channel && distinct.Contains(s.AddressHash))
            .Select(s => new { s.AddressHash, s.Reason })
            .ToDictionaryAsync(s => s.AddressHash, s => s.Reason, ct);

        var customerIds = claimed.Where(m => m.IsMarketing && m.CustomerId != null).Select(m => m.CustomerId!.Value).Distinct().ToList();
        var consent = await db.Customers.AsNoTracking()
            .Where(c => customerIds.Contains(c.Id))
            .Select(c => new { c.Id, State = channel == MessageChannel.Email ? c.EmailConsent : c.SmsConsent, c.IsArchived })
            .ToDictionaryAsync(c => c.Id, c => c.State == ConsentState.OptedIn && !c.IsArchived, ct);

        var blocked = new Dictionary<OutboxMessage, string>();
        foreach (var message in claimed)
        {
            if (suppressions.TryGetValue(hashes[message], out var reason)
                && (message.IsMarketing || reason is SuppressionReason.HardBounce or SuppressionReason.Erased))
            {
                blocked[message] = "Suppressed: " + reason;
            }
            else if (message.IsMarketing && (message.CustomerId is not { } id || !consent.GetValueOrDefault(id)))
            {
                blocked[message] = "No marketing consent at send time.";
            }
        }

        return blocked;
    }

    private async Task<int> EmailWorkerAsync(Batch batch, Lease lease, CancellationToken stopping, CancellationToken abort)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        // One connection for the worker's whole run: an outcome is one short UPDATE.
        await db.Database.OpenConnectionAsync(abort);
        _idleSessions.TryTake(out var session);
        var handled = 0;
        try
        {
            while (!stopping.IsCancellationRequested && batch.TryTake(out var message))
            {
                await _emailPacer.WaitAsync(abort);
                DeliveryResult result;
                if (session is null || !session.IsUsable)
                {
                    if (session is not null)
                    {
                        await session.DisposeAsync();
                        session = null;
                    }

                    try
                    {
                        session = await emailSender.OpenAsync(abort);
                    }
                    catch (Exception ex) when (!abort.IsCancellationRequested)
                    {
                        LogConnectFailed(ex.GetType().Name);
                        result = SmtpEmailSender.ClassifyConnectFailure(ex);
                        var next = await RecordAsync(db, message, lease, result, null, abort);
                        batch.Defer(next ?? time.GetUtcNow().UtcDateTime);
                        handled++;
                        break;
                    }
                }

                result = await session.SendAsync(ToOutgoing(message), abort);
                abort.ThrowIfCancellationRequested();
                await RecordAsync(db, message, lease, result, null, abort);
                handled++;
                if (result.ConnectionLost)
                {
                    // Reconnect for the next message; if that fails, the rest of the batch waits.
                    await session.DisposeAsync();
                    session = null;
                }
            }
        }
        finally
        {
            if (session is { IsUsable: true } && !abort.IsCancellationRequested)
            {
                _idleSessions.Add(session);
            }
            else if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        return handled;
    }

    private async Task<int> SmsWorkerAsync(Batch batch, Lease lease, CancellationToken stopping, CancellationToken abort)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        await db.Database.OpenConnectionAsync(abort);
        var handled = 0;
        while (!stopping.IsCancellationRequested && batch.TryTake(out var message))
        {
            if (_quietHours.EndsAt(time.GetUtcNow()) is { } quietEnd)
            {
                batch.Return(message);
                batch.Defer(quietEnd.UtcDateTime);
                break;
            }

            await _smsPacer.WaitAsync(abort);
            var result = await smsSender.SendAsync(ToOutgoing(message), abort);
            abort.ThrowIfCancellationRequested();
            var retryAt = await RecordAsync(db, message, lease, result, null, abort);
            handled++;
            if (result.Status == DeliveryStatus.Transient && retryAt is not null)
            {
                // Throttled or unavailable: the gateway will say the same to the rest of the batch.
                batch.Defer(retryAt.Value);
                break;
            }
        }

        return handled;
    }

    /// <summary>Writes the outcome of one attempt, only if this dispatcher still holds the lease.</summary>
    /// <returns>When a transient failure will be retried; null otherwise.</returns>
    private async Task<DateTime?> RecordAsync(CrmDbContext db, OutboxMessage message, Lease lease, DeliveryResult result, OutboxState? state, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = outboxOptions.Value;
        var error = result.Error is null ? null : Truncate(result.Error, OutboxMessage.LastErrorMaxLength);
        var mine = db.OutboxMessages.Where(m => m.Id == message.Id && m.LeaseOwner == lease.Owner && m.State == OutboxState.Sending);
        DateTime? retryAt = null;
        if (state is { } final)
        {
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, final)
                .SetProperty(m => m.Attempts, m => m.Attempts - 1)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null), ct);
            LogSuppressed(message.Id);
            return null;
        }

        switch (result.Status)
        {
            case DeliveryStatus.Sent:
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Sent)
                    .SetProperty(m => m.SentAt, now)
                    .SetProperty(m => m.ProviderMessageId, result.ProviderMessageId)
                    .SetProperty(m => m.LastError, (string?)null)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null), ct);
                if (message.CampaignId is not null)
                {
                    // The campaign's first contact with the customer: the start of its conversion window.
                    await db.CampaignRecipients.Where(r => r.OutboxMessageId == message.Id && r.ContactedAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.ContactedAt, now), ct);
                }

                break;
            case DeliveryStatus.Transient when message.Attempts < o.MaxAttempts:
                var delay = RetryDelay.Next(message.Attempts, o, result.RetryAfter);
                var at = now + delay;
                retryAt = at;
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Queued)
                    .SetProperty(m => m.NextAttemptAt, at)
                    .SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null), ct);
                LogRetry(message.Id, message.Attempts, delay.TotalSeconds);
                break;
            default:
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, OutboxState.Failed)
                    .SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null), ct);
                LogFailed(message.Id, message.Attempts);
                if (result.HardBounce)
                {
                    await new SuppressionService(db, time).AddAsync(message.Channel, message.ToAddress, SuppressionReason.HardBounce, ct);
                    LogHardBounce(message.Id);
                }

                break;
        }

        return retryAt;
    }

    private static OutgoingMessage ToOutgoing(OutboxMessage m) =>
        new(m.Id, m.ToAddress, m.ToName, m.Subject, m.HtmlBody, m.TextBody, m.MessageId, m.UnsubscribeUrl);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private sealed record Lease(string Owner, DateTime ExpiresAt);

    /// <summary>The claimed messages still to be sent in this pass, shared by the workers.</summary>
    private sealed class Batch(IEnumerable<OutboxMessage> messages)
    {
        private readonly ConcurrentQueue<OutboxMessage> _queue = new(messages);
        private readonly Lock _lock = new();
        private DateTime? _deferredUntil;

        public int Count => _queue.Count;

        public DateTime? DeferredUntil
        {
            get
            {
                lock (_lock)
                {
                    return _deferredUntil;
                }
            }
        }

        public bool TryTake(out OutboxMessage message)
        {
            message = null!;
            return DeferredUntil is null && _queue.TryDequeue(out message!);
        }

        public void Return(OutboxMessage message) => _queue.Enqueue(message);

        /// <summary>Stops this pass; the rest is released to be tried again at <paramref name="until"/>.</summary>
        public void Defer(DateTime until)
        {
            lock (_lock)
            {
                if (_deferredUntil is null || until > _deferredUntil)
                {
                    _deferredUntil = until;
                }
            }
        }

        public List<OutboxMessage> Drain()
        {
            var rest = new List<OutboxMessage>();
            while (_queue.TryDequeue(out var m))
            {
                rest.Add(m);
            }

            return rest;
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Error, Message = "Outbox dispatch pass failed")]
    private partial void LogPassFailed(Exception ex);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Claimed {Count} {Channel} messages")]
    private partial void LogClaimed(int count, MessageChannel channel);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Released {Count} unsent {Channel} messages back to the queue")]
    private partial void LogReleased(int count, MessageChannel channel);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "SMTP connection failed ({Error})")]
    private partial void LogConnectFailed(string error);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Outbox message {Id} attempt {Attempt} failed transiently; retry in {Seconds} s")]
    private partial void LogRetry(long id, int attempt, double seconds);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Outbox message {Id} failed after {Attempts} attempts")]
    private partial void LogFailed(long id, int attempts);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Outbox message {Id} hard-bounced; address suppressed")]
    private partial void LogHardBounce(long id);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "Outbox message {Id} suppressed at send time")]
    private partial void LogSuppressed(long id);
}

/// <summary>Exponential backoff with jitter: the n-th retry waits between half and all of base·2^(n-1), capped;
/// a server's Retry-After wins when it asks for longer.</summary>
public static class RetryDelay
{
    public static TimeSpan Next(int attempts, OutboxOptions options, TimeSpan? retryAfter, Random? random = null)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(options.RetryMaxSeconds, options.RetryBaseSeconds * Math.Pow(2, exponent));
        var jittered = ceiling / 2 + ((random ?? Random.Shared).NextDouble() * ceiling / 2);
        var delay = TimeSpan.FromSeconds(jittered);
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }
}

/// <summary>Spaces sends evenly to at most n per second across all workers of a channel.</summary>
public sealed class RatePacer(int perSecond, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public async Task WaitAsync(CancellationToken ct)
    {
        if (perSecond <= 0)
        {
            return;
        }

        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_next < now)
            {
                _next = now;
            }

            wait = _next - now;
            _next += TimeSpan.FromSeconds(1.0 / perSecond);
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct);
        }
    }
}
