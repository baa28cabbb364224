using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests.Messaging;

/// <summary>The group-commit writer on its own, against a file database.</summary>
public sealed class OutboxOutcomeWriterTests : IAsyncLifetime
{
    private const string Owner = "host:1:pass-a";
    private readonly OutboxHarness _outbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _outbox.DisposeAsync();

    [Fact]
    public async Task CompleteAsync_OutcomesStillQueued_WrittenBeforeItReturns()
    {
        var ids = await LeasedAsync(Owner, 5);
        // A linger far longer than the test: completing must not wait for it.
        var writer = await StartAsync(batchSize: 100, linger: TimeSpan.FromHours(1));
        var now = _outbox.Time.Now.UtcDateTime;
        foreach (var id in ids)
        {
            Assert.True(await writer.RecordAsync(new OutboxOutcome(id, MessageChannel.Email, OutboxState.Sent, 1, ProviderMessageId: "250 queued as " + id, SentAt: now)));
        }

        await writer.CompleteAsync();
        await writer.DisposeAsync();

        Assert.Null(writer.Failure);
        Assert.Equal(5, writer.Recorded);
        var rows = await _outbox.AllAsync();
        Assert.All(rows, m =>
        {
            Assert.Equal(OutboxState.Sent, m.State);
            Assert.Equal(now, m.SentAt);
            Assert.Equal("250 queued as " + m.Id, m.ProviderMessageId);
            Assert.Null(m.LeaseOwner);
            Assert.Null(m.LeaseExpiresAt);
        });
    }

    [Fact]
    public async Task RecordAsync_EachKindOfOutcome_WritesTheRowAsTheDispatcherDid()
    {
        var ids = await LeasedAsync(Owner, 4);
        var retryAt = _outbox.Time.Now.UtcDateTime.AddSeconds(42);
        var writer = await StartAsync(batchSize: 2, linger: TimeSpan.Zero);

        await writer.RecordAsync(new OutboxOutcome(ids[0], MessageChannel.Email, OutboxState.Queued, 1, "SMTP 451 greylisted", RetryAt: retryAt));
        await writer.RecordAsync(new OutboxOutcome(ids[1], MessageChannel.Email, OutboxState.Failed, 1, "SMTP 550 5.1.1 unknown", BounceAddress: "Nobody@QQ.com"));
        await writer.RecordAsync(new OutboxOutcome(ids[2], MessageChannel.Email, OutboxState.Suppressed, 1, "Suppressed: Unsubscribed", ReturnAttempt: true));
        await writer.RecordAsync(new OutboxOutcome(ids[3], MessageChannel.Email, OutboxState.Sent, 1, SentAt: _outbox.Time.Now.UtcDateTime));
        await writer.DisposeAsync();

        var rows = (await _outbox.AllAsync()).ToDictionary(m => m.Id);
        Assert.Equal(OutboxState.Queued, rows[ids[0]].State);
        Assert.Equal(retryAt, rows[ids[0]].NextAttemptAt);
        Assert.Equal("SMTP 451 greylisted", rows[ids[0]].LastError);
        Assert.Equal(1, rows[ids[0]].Attempts);
        Assert.Equal(OutboxState.Failed, rows[ids[1]].State);
        Assert.Equal(OutboxState.Suppressed, rows[ids[2]].State);
        Assert.Equal(0, rows[ids[2]].Attempts);
        Assert.Equal(OutboxState.Sent, rows[ids[3]].State);
        Assert.All(rows.Values, m => Assert.Null(m.LeaseOwner));
        await using var db = _outbox.CreateContext();
        var suppression = await db.Suppressions.SingleAsync();
        Assert.Equal(SuppressionService.Hash(MessageChannel.Email, "nobody@qq.com"), suppression.AddressHash);
        Assert.Equal(SuppressionReason.HardBounce, suppression.Reason);
    }

    [Fact]
    public async Task RecordAsync_RowLeasedByAnotherPass_LeftAlone()
    {
        var mine = await LeasedAsync(Owner, 1);
        var theirs = await LeasedAsync("host:2:pass-b", 1);
        var writer = await StartAsync(batchSize: 10, linger: TimeSpan.Zero);

        await writer.RecordAsync(new OutboxOutcome(mine[0], MessageChannel.Email, OutboxState.Sent, 1, SentAt: _outbox.Time.Now.UtcDateTime));
        await writer.RecordAsync(new OutboxOutcome(theirs[0], MessageChannel.Email, OutboxState.Sent, 1, SentAt: _outbox.Time.Now.UtcDateTime));
        await writer.DisposeAsync();

        Assert.Equal(OutboxState.Sent, (await _outbox.GetAsync(mine[0])).State);
        var other = await _outbox.GetAsync(theirs[0]);
        Assert.Equal(OutboxState.Sending, other.State);
        Assert.Equal("host:2:pass-b", other.LeaseOwner);
    }

    [Fact]
    public async Task RecordAsync_TransactionFails_NothingOfTheGroupWrittenAndWriterStops()
    {
        var ids = await LeasedAsync(Owner, 3);
        await FailMarkingSentAsync();
        var writer = await StartAsync(batchSize: 10, linger: TimeSpan.FromHours(1));

        foreach (var id in ids)
        {
            await writer.RecordAsync(new OutboxOutcome(id, MessageChannel.Email, OutboxState.Sent, 1, SentAt: _outbox.Time.Now.UtcDateTime));
        }

        await writer.CompleteAsync();

        Assert.NotNull(writer.Failure);
        Assert.True(writer.IsFaulted);
        Assert.Equal(0, writer.Recorded);
        Assert.False(await writer.RecordAsync(new OutboxOutcome(ids[0], MessageChannel.Email, OutboxState.Sent, 1, SentAt: _outbox.Time.Now.UtcDateTime)));
        await writer.DisposeAsync();
        // The whole group rolled back: every row is still leased, to be reclaimed when the lease expires.
        Assert.All(await _outbox.AllAsync(), m =>
        {
            Assert.Equal(OutboxState.Sending, m.State);
            Assert.Equal(Owner, m.LeaseOwner);
        });
    }

    /// <summary>Makes every UPDATE that marks a row Sent fail, as a full disk or a lost database file would.</summary>
    private async Task FailMarkingSentAsync()
    {
        await using var db = _outbox.CreateContext();
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER FailMarkingSent BEFORE UPDATE OF State ON OutboxMessages WHEN NEW.State = 2 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
    }

    private Task<OutboxOutcomeWriter> StartAsync(int batchSize, TimeSpan linger) =>
        OutboxOutcomeWriter.StartAsync(_outbox.Scopes, Owner, batchSize, linger, _outbox.Time, NullLogger.Instance, CancellationToken.None);

    private async Task<List<long>> LeasedAsync(string owner, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await _outbox.EnqueueEmailAsync($"customer{Guid.NewGuid():N}@163.com")).Id);
        }

        var expires = _outbox.Time.Now.UtcDateTime.AddMinutes(5);
        await using var db = _outbox.CreateContext();
        await db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.State, OutboxState.Sending)
            .SetProperty(m => m.Attempts, 1)
            .SetProperty(m => m.LeaseOwner, owner)
            .SetProperty(m => m.LeaseExpiresAt, expires)
            .SetProperty(m => m.NextAttemptAt, expires));
        return ids;
    }
}
