using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Messaging;

public sealed class OutboxServiceTests : IAsyncLifetime
{
    private readonly OutboxHarness _outbox = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _outbox.DisposeAsync();

    private static OutboxRequest Email(string key, string to = "li.lei@qq.com") => new()
    {
        Channel = MessageChannel.Email,
        ToAddress = to,
        Subject = "Hello",
        TextBody = "Hello",
        IdempotencyKey = key,
    };

    [Fact]
    public async Task EnqueueAndSaveAsync_SameKeyTwice_OneRowAndSameMessage()
    {
        await using var db = _outbox.CreateContext();
        var first = await _outbox.OutboxService(db).EnqueueAndSaveAsync(Email("order:42:receipt"), CancellationToken.None);
        await using var other = _outbox.CreateContext();
        var second = await _outbox.OutboxService(other).EnqueueAndSaveAsync(Email("order:42:receipt"), CancellationToken.None);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Message.Id, second.Message.Id);
        Assert.Equal(first.Message.MessageId, second.Message.MessageId);
        Assert.Equal(1, await other.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task Enqueue_SameKeyInOneUnitOfWork_AddsOneRow()
    {
        await using var db = _outbox.CreateContext();
        var service = _outbox.OutboxService(db);

        var a = service.Enqueue(Email("campaign:1:customer:7"));
        var b = service.Enqueue(Email("campaign:1:customer:7"));
        await db.SaveChangesAsync();

        Assert.Same(a, b);
        Assert.Equal(1, await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task Enqueue_KeyAlreadySavedElsewhere_UniqueIndexRejectsSecondRow()
    {
        await using (var db = _outbox.CreateContext())
        {
            await _outbox.OutboxService(db).EnqueueAndSaveAsync(Email("k1"), CancellationToken.None);
        }

        await using var second = _outbox.CreateContext();
        _outbox.OutboxService(second).Enqueue(Email("k1"));
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());

        Assert.True(OutboxService.IsIdempotencyConflict(ex));
    }

    [Fact]
    public async Task Enqueue_NotSaved_NothingWritten()
    {
        await using (var db = _outbox.CreateContext())
        {
            _outbox.OutboxService(db).Enqueue(Email("rolled-back"));
        }

        await using var check = _outbox.CreateContext();
        Assert.Equal(0, await check.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task Enqueue_NewMessage_QueuedWithStableMessageIdInSenderDomain()
    {
        await using var db = _outbox.CreateContext();
        var message = _outbox.OutboxService(db).Enqueue(Email("k2") with { ToName = "Li\r\nBcc: x@gmail.com", Subject = "Hi\nBcc: x@gmail.com" });

        Assert.Equal(OutboxState.Queued, message.State);
        Assert.EndsWith("@shop.example", message.MessageId, StringComparison.Ordinal);
        Assert.Equal(_outbox.Time.Now.UtcDateTime, message.NextAttemptAt);
        Assert.Equal("Li  Bcc: x@gmail.com", message.ToName);
        Assert.Equal("Hi Bcc: x@gmail.com", message.Subject);
    }

    [Theory]
    [InlineData("li.lei@qq.com\r\nBcc: victim@gmail.com")]
    [InlineData("li.lei@qq.com\nBcc: victim@gmail.com")]
    [InlineData("li.lei@qq.com, victim@gmail.com")]
    [InlineData("not an address")]
    public async Task Enqueue_AddressWithInjectedHeaderOrInvalid_Rejected(string address)
    {
        await using var db = _outbox.CreateContext();

        Assert.Throws<ArgumentException>(() => _outbox.OutboxService(db).Enqueue(Email("bad", address)));
    }

    [Fact]
    public async Task Enqueue_SmsNumber_NormalisedToE164()
    {
        await using var db = _outbox.CreateContext();
        var message = _outbox.OutboxService(db).Enqueue(new OutboxRequest
        {
            Channel = MessageChannel.Sms,
            ToAddress = "138-1234-5678",
            TextBody = "hi",
            IdempotencyKey = "sms1",
        });

        Assert.Equal("+8613812345678", message.ToAddress);
        Assert.Null(message.Subject);
    }

    [Fact]
    public void MimeMessageFactory_AddressWithLineBreak_Throws()
    {
        Assert.Throws<MimeKit.ParseException>(() => MimeMessageFactory.Mailbox("x", "a@qq.com\r\nBcc: b@qq.com"));
    }

    [Fact]
    public async Task SuppressionService_AddTwiceAndCheckNormalisedForms()
    {
        await using var db = _outbox.CreateContext();
        var service = new SuppressionService(db, _outbox.Time);

        Assert.True(await service.AddAsync(MessageChannel.Sms, "138 1234 5678", SuppressionReason.Unsubscribed, CancellationToken.None));
        Assert.False(await service.AddAsync(MessageChannel.Sms, "+8613812345678", SuppressionReason.Complaint, CancellationToken.None));

        Assert.True(await service.IsSuppressedAsync(MessageChannel.Sms, "+86 138 1234 5678", CancellationToken.None));
        Assert.False(await service.IsSuppressedAsync(MessageChannel.Email, "+8613812345678", CancellationToken.None));
        Assert.Equal(SuppressionReason.Unsubscribed, (await db.Suppressions.SingleAsync()).Reason);
        Assert.Equal(SuppressionService.Hash(MessageChannel.Email, " Li.Lei@QQ.com "), SuppressionService.Hash(MessageChannel.Email, "li.lei@qq.com"));
    }
}
