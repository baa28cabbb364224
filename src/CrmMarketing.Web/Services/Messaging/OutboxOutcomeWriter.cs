using System.Threading.Channels;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>The outcome of one claimed message, decided by the worker that sent it.</summary>
/// <param name="ReturnAttempt">The message was not attempted (suppressed at send time), so the attempt counted at
/// claim time is given back.</param>
/// <param name="BounceAddress">Set for a hard bounce: the address goes on the suppression list.</param>
/// <param name="Campaign">The message belongs to a marketing activity: once sent, its send time is the recipient's
/// first contact (the start of the conversion window).</param>
public sealed record OutboxOutcome(
    long Id,
    MessageChannel Channel,
    OutboxState State,
    int Attempts,
    string? Error = null,
    string? ProviderMessageId = null,
    DateTime? SentAt = null,
    DateTime? RetryAt = null,
    bool ReturnAttempt = false,
    string? BounceAddress = null,
    bool Campaign = false);

/// <summary>Group commit for delivery outcomes. Workers hand each outcome over right after the server's reply;
/// one writer task waits up to <c>linger</c> for a group to fill, then writes it (at most <c>batchSize</c>) in one
/// transaction with one prepared UPDATE, while the workers go on sending. The queue holds at most <c>batchSize</c> outcomes, so a worker waits
/// when the writer falls behind and a crash can lose at most two groups' worth of outcomes (the one being written
/// and the one waiting) plus one message per connection — those rows stay leased and are sent again after the
/// lease expires, with the same Message-ID. Every UPDATE still requires this pass's lease, so a row another
/// dispatcher has reclaimed meanwhile is left alone.</summary>
public sealed partial class OutboxOutcomeWriter : IAsyncDisposable
{
    private const string UpdateSql = """
        UPDATE OutboxMessages SET
            State = $state,
            Attempts = Attempts - $returnAttempt,
            LastError = $error,
            SentAt = CASE WHEN $state = 2 THEN $sentAt ELSE SentAt END,
            ProviderMessageId = CASE WHEN $state = 2 THEN $provider ELSE ProviderMessageId END,
            NextAttemptAt = COALESCE($retryAt, NextAttemptAt),
            LeaseOwner = NULL,
            LeaseExpiresAt = NULL
        WHERE Id = $id AND LeaseOwner = $owner AND State = 1
        """;

    private const string ContactSql = """
        UPDATE CampaignRecipients SET ContactedAt = $at WHERE OutboxMessageId = $id AND ContactedAt IS NULL
        """;

    private const string SuppressSql = """
        INSERT INTO Suppressions (Channel, AddressHash, Reason, CreatedAt) VALUES ($channel, $hash, $reason, $at)
        ON CONFLICT (Channel, AddressHash) DO NOTHING
        """;

    private readonly AsyncServiceScope _scope;
    private readonly CrmDbContext _db;
    private readonly string _leaseOwner;
    private readonly int _batchSize;
    private readonly TimeSpan _linger;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<OutboxOutcome> _queue;
    private readonly CancellationToken _abort;
    private Task _run = Task.CompletedTask;
    private SqliteConnection? _connection;
    private SqliteCommand? _update;
    private SqliteCommand? _suppress;
    private SqliteCommand? _contact;
    private int _recorded;
    private TaskCompletionSource? _full;
    private volatile bool _completing;

    private OutboxOutcomeWriter(IServiceScopeFactory scopes, string leaseOwner, int batchSize, TimeSpan linger, TimeProvider time, ILogger logger, CancellationToken abort)
    {
        _linger = linger;
        _scope = scopes.CreateAsyncScope();
        _db = _scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        _leaseOwner = leaseOwner;
        _batchSize = batchSize;
        _time = time;
        _logger = logger;
        _abort = abort;
        _queue = Channel.CreateBounded<OutboxOutcome>(new BoundedChannelOptions(batchSize)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Why writing stopped, if a transaction failed; the outcomes of that group and of everything recorded
    /// after it were not written.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Outcomes committed so far.</summary>
    public int Recorded => Volatile.Read(ref _recorded);

    /// <summary>Opens a connection of its own and starts writing. <paramref name="abort"/> stands for the process
    /// dying: the writer stops at once and what it has not committed is lost.</summary>
    public static async Task<OutboxOutcomeWriter> StartAsync(
        IServiceScopeFactory scopes, string leaseOwner, int batchSize, TimeSpan linger, TimeProvider time, ILogger logger, CancellationToken abort)
    {
        var writer = new OutboxOutcomeWriter(scopes, leaseOwner, batchSize, linger, time, logger, abort);
        try
        {
            await writer._db.Database.OpenConnectionAsync(abort);
            writer._connection = (SqliteConnection)writer._db.Database.GetDbConnection();
            writer._update = writer.Prepare(UpdateSql, "$state", "$returnAttempt", "$error", "$sentAt", "$provider", "$retryAt", "$id", "$owner");
            writer._update.Parameters["$owner"].Value = leaseOwner;
            writer._suppress = writer.Prepare(SuppressSql, "$channel", "$hash", "$reason", "$at");
            writer._contact = writer.Prepare(ContactSql, "$at", "$id");
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }

        writer._run = Task.Run(writer.RunAsync, CancellationToken.None);
        return writer;
    }

    /// <summary>Queues an outcome for the next group, waiting while the queue is full.</summary>
    /// <returns>False when the writer has failed: the caller should stop sending (the outcome is not written, and the
    /// message stays leased until the lease expires).</returns>
    public async ValueTask<bool> RecordAsync(OutboxOutcome outcome)
    {
        try
        {
            await _queue.Writer.WriteAsync(outcome, _abort);
            Interlocked.MemoryBarrier();
            if (_queue.Reader.Count >= _batchSize)
            {
                Volatile.Read(ref _full)?.TrySetResult();
            }

            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>True once a transaction has failed; nothing more is written.</summary>
    public bool IsFaulted => Failure is not null;

    /// <summary>Writes every outcome recorded so far (unless aborted) and stops. Never throws; see <see cref="Failure"/>.</summary>
    public async Task CompleteAsync()
    {
        _completing = true;
        _queue.Writer.TryComplete();
        Interlocked.MemoryBarrier();
        Volatile.Read(ref _full)?.TrySetResult();
        try
        {
            await _run;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Aborted: whatever was not committed stays leased.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CompleteAsync();
        _update?.Dispose();
        _suppress?.Dispose();
        _contact?.Dispose();
        await _db.Database.CloseConnectionAsync();
        await _scope.DisposeAsync();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection!.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        command.Prepare();
        return command;
    }

    private async Task RunAsync()
    {
        var group = new List<OutboxOutcome>(_batchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(_abort))
        {
            await LingerAsync();

            // Everything that arrived while the previous group was being written goes into this one.
            while (group.Count < _batchSize && reader.TryRead(out var outcome))
            {
                group.Add(outcome);
            }

            _abort.ThrowIfCancellationRequested();
            try
            {
                Write(group);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failure = ex;
                _queue.Writer.TryComplete();
                LogWriteFailed(_logger, ex, group.Count);
                return;
            }

            Interlocked.Add(ref _recorded, group.Count);
            foreach (var outcome in group)
            {
                LogOutcome(outcome);
            }

            group.Clear();
        }
    }

    /// <summary>Gives a small group the chance to grow: one transaction per outcome would cost more than the sending.
    /// Ends early when the queue is full or completed.</summary>
    private async Task LingerAsync()
    {
        if (_linger <= TimeSpan.Zero || _queue.Reader.Count >= _batchSize || _queue.Reader.Completion.IsCompleted)
        {
            return;
        }

        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Full fences on both sides (here and in RecordAsync / CompleteAsync): either they see this signal, or this
        // check sees their queue count or completion.
        Interlocked.Exchange(ref _full, full);
        if (_queue.Reader.Count < _batchSize && !_completing)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(_abort);
            await Task.WhenAny(full.Task, Task.Delay(_linger, _time, timer.Token));
            await timer.CancelAsync();
        }

        Volatile.Write(ref _full, null);
        _abort.ThrowIfCancellationRequested();
    }

    /// <summary>One transaction for the group. Microsoft.Data.Sqlite runs synchronously anyway, so the synchronous
    /// calls spare an allocation per row.</summary>
    private void Write(List<OutboxOutcome> group)
    {
        using var transaction = _connection!.BeginTransaction();
        var update = _update!;
        update.Transaction = transaction;
        var p = update.Parameters;
        foreach (var o in group)
        {
            p["$state"].Value = (int)o.State;
            p["$returnAttempt"].Value = o.ReturnAttempt ? 1 : 0;
            p["$error"].Value = (object?)o.Error ?? DBNull.Value;
            p["$sentAt"].Value = o.SentAt is { } sentAt ? UtcTime.Normalize(sentAt) : DBNull.Value;
            p["$provider"].Value = (object?)o.ProviderMessageId ?? DBNull.Value;
            p["$retryAt"].Value = o.RetryAt is { } retryAt ? UtcTime.Normalize(retryAt) : DBNull.Value;
            p["$id"].Value = o.Id;
            var updated = update.ExecuteNonQuery();
            if (o.Campaign && updated == 1 && o.SentAt is { } contactedAt)
            {
                var contact = _contact!;
                contact.Transaction = transaction;
                contact.Parameters["$at"].Value = UtcTime.Normalize(contactedAt);
                contact.Parameters["$id"].Value = o.Id;
                contact.ExecuteNonQuery();
            }

            if (o.BounceAddress is { } address)
            {
                var suppress = _suppress!;
                suppress.Transaction = transaction;
                suppress.Parameters["$channel"].Value = (int)o.Channel;
                suppress.Parameters["$hash"].Value = SuppressionService.Hash(o.Channel, address);
                suppress.Parameters["$reason"].Value = (int)SuppressionReason.HardBounce;
                suppress.Parameters["$at"].Value = _time.GetUtcNow().UtcDateTime;
                suppress.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private void LogOutcome(OutboxOutcome o)
    {
        switch (o.State)
        {
            case OutboxState.Suppressed:
                LogSuppressed(_logger, o.Id);
                break;
            case OutboxState.Queued:
                LogRetry(_logger, o.Id, o.Attempts, o.RetryAt);
                break;
            case OutboxState.Failed:
                LogFailed(_logger, o.Id, o.Attempts);
                if (o.BounceAddress is not null)
                {
                    LogHardBounce(_logger, o.Id);
                }

                break;
        }
    }

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Outbox message {Id} attempt {Attempt} failed transiently; retry at {RetryAt:O}")]
    private static partial void LogRetry(ILogger logger, long id, int attempt, DateTime? retryAt);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Outbox message {Id} failed after {Attempts} attempts")]
    private static partial void LogFailed(ILogger logger, long id, int attempts);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Outbox message {Id} hard-bounced; address suppressed")]
    private static partial void LogHardBounce(ILogger logger, long id);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "Outbox message {Id} suppressed at send time")]
    private static partial void LogSuppressed(ILogger logger, long id);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "Writing {Count} outbox outcomes failed; those messages stay leased and are retried after the lease expires")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, int count);
}
