using System.Collections.Concurrent;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>Sends due outbox rows. Each pass claims a batch per channel with a lease (an UPDATE that only touches
/// rows still queued or whose lease has expired, so several dispatchers never claim the same row), checks
/// suppression and marketing consent, sends over parallel connections and hands each outcome to a group-commit
/// writer right after the server's reply. See docs/messaging.md.</summary>
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
        var batch = new Batch(claimed.Where(m => !blocked.ContainsKey(m.Id)));
        var writer = await OutboxOutcomeWriter.StartAsync(scopes, lease.Owner, o.OutcomeBatchSize, TimeSpan.FromMilliseconds(o.OutcomeFlushMilliseconds), time, logger, abort);
        try
        {
            foreach (var message in claimed.Where(m => blocked.ContainsKey(m.Id)))
            {
                if (!await writer.RecordAsync(new OutboxOutcome(message.Id, channel, OutboxState.Suppressed, message.Attempts, blocked[message.Id], ReturnAttempt: true)))
                {
                    break;
                }

                handled++;
            }

            var workers = channel == MessageChannel.Email ? smtpOptions.Value.ParallelConnections : smsOptions.Value.ParallelRequests;
            var results = await Task.WhenAll(Enumerable.Range(0, Math.Min(workers, batch.Count)).Select(_ => channel == MessageChannel.Email
                ? EmailWorkerAsync(batch, writer, stopping, abort)
                : SmsWorkerAsync(batch, writer, stopping, abort)));
            handled += results.Sum();
        }
        finally
        {
            // Graceful stop and worker errors alike: what the servers accepted is written before the pass ends.
            // After an abort nothing more is written, as after a crash.
            await writer.DisposeAsync();
        }

        // Not sent in this pass (stopping, server down, rate-limited): back to the queue without using an attempt.
        // After a failed write the rows this pass did send stay leased, so they are not released here either.
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

        if (writer.Failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return handled;
    }

    /// <summary>Claims up to <paramref name="limit"/> due rows (queued, or sending with an expired lease) in one
    /// statement that also returns them.</summary>
    private static async Task<List<ClaimedMessage>> ClaimAsync(CrmDbContext db, MessageChannel channel, int limit, DateTime now, Lease lease, CancellationToken ct)
    {
        // A paused campaign's queued rows are parked far in the future; a row rescheduled for a retry while the
        // campaign was being paused is held back by the IsPaused check.
        // Each inner SELECT walks the (Channel, State, NextAttemptAt) index in order and stops after $limit rows, so
        // only up to twice the batch is sorted, however long the queue. The outer conditions are checked again on each
        // row as it is updated (the unary + keeps SQLite on the primary key rather than rescanning the index), so a
        // row another dispatcher claimed in the meantime is skipped rather than claimed twice.
        const string sql = """
            UPDATE OutboxMessages
            SET State = 1, LeaseOwner = $owner, LeaseExpiresAt = $expires, NextAttemptAt = $expires, Attempts = Attempts + 1
            WHERE Id IN (
                    SELECT Id FROM (
                        SELECT Id, NextAttemptAt FROM (
                            SELECT Id, NextAttemptAt FROM OutboxMessages
                            WHERE Channel = $channel AND State = 0 AND NextAttemptAt <= $now
                                AND (CampaignId IS NULL OR NOT EXISTS (SELECT 1 FROM MarketingActivities a WHERE a.Id = CampaignId AND a.IsPaused))
                            ORDER BY NextAttemptAt, Id LIMIT $limit)
                        UNION ALL
                        SELECT Id, NextAttemptAt FROM (
                            SELECT Id, NextAttemptAt FROM OutboxMessages
                            WHERE Channel = $channel AND State = 1 AND NextAttemptAt <= $now
                                AND (CampaignId IS NULL OR NOT EXISTS (SELECT 1 FROM MarketingActivities a WHERE a.Id = CampaignId AND a.IsPaused))
                            ORDER BY NextAttemptAt, Id LIMIT $limit)
                        ORDER BY NextAttemptAt, Id LIMIT $limit))
                AND +Channel = $channel AND +State IN (0, 1) AND +NextAttemptAt <= $now
            RETURNING Id, CustomerId, IsMarketing, Attempts, ToAddress, ToName, Subject, HtmlBody, TextBody, MessageId, UnsubscribeUrl, CampaignId
            """;
        await db.Database.OpenConnectionAsync(ct);
        await using var command = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$owner", lease.Owner);
        command.Parameters.AddWithValue("$expires", lease.ExpiresAt);
        command.Parameters.AddWithValue("$channel", (int)channel);
        command.Parameters.AddWithValue("$now", UtcTime.Normalize(now));
        command.Parameters.AddWithValue("$limit", limit);
        var claimed = new List<ClaimedMessage>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                claimed.Add(new ClaimedMessage(
                    id,
                    channel,
                    reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    reader.GetBoolean(2),
                    reader.GetInt32(3),
                    new OutgoingMessage(
                        id,
                        reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.IsDBNull(7) ? null : reader.GetString(7),
                        reader.IsDBNull(8) ? null : reader.GetString(8),
                        reader.GetString(9),
                        reader.IsDBNull(10) ? null : reader.GetString(10)),
                    reader.IsDBNull(11) ? null : reader.GetInt64(11)));
            }
        }

        // RETURNING gives no order; send oldest first.
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id));
        return claimed;
    }

    /// <summary>Messages that must not go out now, with the reason: a suppressed address (hard bounces and erasures
    /// block every message; unsubscribes and complaints block marketing), or a marketing message whose customer no
    /// longer consents. One query each for the whole batch.</summary>
    private static async Task<Dictionary<long, string>> BlockedAsync(CrmDbContext db, MessageChannel channel, List<ClaimedMessage> claimed, CancellationToken ct)
    {
        var hashes = claimed.ToDictionary(m => m.Id, m => SuppressionService.Hash(channel, m.Outgoing.ToAddress));
        var suppressions = new Dictionary<string, SuppressionReason>(StringComparer.Ordinal);
        await using (var command = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand())
        {
            command.CommandText = "SELECT AddressHash, Reason FROM Suppressions WHERE Channel = $channel AND AddressHash IN (SELECT value FROM json_each($hashes))";
            command.Parameters.AddWithValue("$channel", (int)channel);
            command.Parameters.AddWithValue("$hashes", System.Text.Json.JsonSerializer.Serialize(hashes.Values.Distinct()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                suppressions[reader.GetString(0)] = (SuppressionReason)reader.GetInt32(1);
            }
        }

        var customerIds = claimed.Where(m => m.IsMarketing && m.CustomerId != null).Select(m => m.CustomerId!.Value).Distinct().ToList();
        var consent = customerIds.Count == 0
            ? []
            : await db.Customers.AsNoTracking()
                .Where(c => customerIds.Contains(c.Id))
                .Select(c => new { c.Id, State = channel == MessageChannel.Email ? c.EmailConsent : c.SmsConsent, c.IsArchived })
                .ToDictionaryAsync(c => c.Id, c => c.State == ConsentState.OptedIn && !c.IsArchived, ct);

        var blocked = new Dictionary<long, string>();
        foreach (var message in claimed)
        {
            if (suppressions.TryGetValue(hashes[message.Id], out var reason)
                && (message.IsMarketing || reason is SuppressionReason.HardBounce or SuppressionReason.Erased))
            {
                blocked[message.Id] = "Suppressed: " + reason;
            }
            else if (message.IsMarketing && (message.CustomerId is not { } id || !consent.GetValueOrDefault(id)))
            {
                blocked[message.Id] = "No marketing consent at send time.";
            }
        }

        return blocked;
    }

    private async Task<int> EmailWorkerAsync(Batch batch, OutboxOutcomeWriter writer, CancellationToken stopping, CancellationToken abort)
    {
        _idleSessions.TryTake(out var session);
        var handled = 0;
        try
        {
            while (!stopping.IsCancellationRequested && !writer.IsFaulted && batch.TryTake(out var message))
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
                        var failed = Decide(message, SmtpEmailSender.ClassifyConnectFailure(ex));
                        if (await writer.RecordAsync(failed))
                        {
                            handled++;
                        }

                        batch.Defer(failed.RetryAt ?? time.GetUtcNow().UtcDateTime);
                        break;
                    }
                }

                result = await session.SendAsync(message.Outgoing, abort);
                abort.ThrowIfCancellationRequested();
                if (!await writer.RecordAsync(Decide(message, result)))
                {
                    break;
                }

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

    private async Task<int> SmsWorkerAsync(Batch batch, OutboxOutcomeWriter writer, CancellationToken stopping, CancellationToken abort)
    {
        var handled = 0;
        while (!stopping.IsCancellationRequested && !writer.IsFaulted && batch.TryTake(out var message))
        {
            if (_quietHours.EndsAt(time.GetUtcNow()) is { } quietEnd)
            {
                batch.Return(message);
                batch.Defer(quietEnd.UtcDateTime);
                break;
            }

            await _smsPacer.WaitAsync(abort);
            var result = await smsSender.SendAsync(message.Outgoing, abort);
            abort.ThrowIfCancellationRequested();
            var outcome = Decide(message, result);
            if (!await writer.RecordAsync(outcome))
            {
                break;
            }

            handled++;
            if (result.Status == DeliveryStatus.Transient && outcome.RetryAt is { } retryAt)
            {
                // Throttled or unavailable: the gateway will say the same to the rest of the batch.
                batch.Defer(retryAt);
                break;
            }
        }

        return handled;
    }

    /// <summary>What the attempt means for the row: Sent, Queued again after a backoff, or Failed.</summary>
    private OutboxOutcome Decide(ClaimedMessage message, DeliveryResult result)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = outboxOptions.Value;
        var error = result.Error is null ? null : Truncate(result.Error, OutboxMessage.LastErrorMaxLength);
        return result.Status switch
        {
            DeliveryStatus.Sent => new OutboxOutcome(message.Id, message.Channel, OutboxState.Sent, message.Attempts,
                ProviderMessageId: result.ProviderMessageId, SentAt: now, Campaign: message.CampaignId is not null),
            DeliveryStatus.Transient when message.Attempts < o.MaxAttempts => new OutboxOutcome(message.Id, message.Channel, OutboxState.Queued,
                message.Attempts, error, RetryAt: now + RetryDelay.Next(message.Attempts, o, result.RetryAfter)),
            _ => new OutboxOutcome(message.Id, message.Channel, OutboxState.Failed, message.Attempts, error,
                BounceAddress: result.HardBounce ? message.Outgoing.ToAddress : null),
        };
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private sealed record Lease(string Owner, DateTime ExpiresAt);

    /// <summary>A claimed row: what the checks and the sender need, read by the claim itself.</summary>
    private sealed record ClaimedMessage(long Id, MessageChannel Channel, int? CustomerId, bool IsMarketing, int Attempts, OutgoingMessage Outgoing, long? CampaignId);

    /// <summary>The claimed messages still to be sent in this pass, shared by the workers.</summary>
    private sealed class Batch(IEnumerable<ClaimedMessage> messages)
    {
        private readonly ConcurrentQueue<ClaimedMessage> _queue = new(messages);
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

        public bool TryTake(out ClaimedMessage message)
        {
            message = null!;
            return DeferredUntil is null && _queue.TryDequeue(out message!);
        }

        public void Return(ClaimedMessage message) => _queue.Enqueue(message);

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

        public List<ClaimedMessage> Drain()
        {
            var rest = new List<ClaimedMessage>();
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
