using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.EntityFrameworkCore;
using SmtpServer.Protocol;

namespace CrmMarketing.UnitTests.Messaging;

/// <summary>The dispatcher against a real SMTP server on a loopback port.</summary>
public sealed class OutboxDispatcherEmailTests : IAsyncLifetime
{
    private readonly OutboxHarness _outbox = new();
    private readonly SmtpTestServer _server = new();

    public Task InitializeAsync()
    {
        _outbox.Smtp.Port = _server.Port;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _outbox.DisposeAsync();
    }

    [Fact]
    public async Task DispatchDueAsync_QueuedEmail_DeliveredWithHeadersAndMarkedSent()
    {
        await _server.StartAsync();
        var queued = await _outbox.EnqueueEmailAsync("li.lei@qq.com", "李雷", "春季优惠", unsubscribeUrl: "https://crm.example/u/abc");
        var dispatcher = _outbox.Dispatcher();

        var handled = await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();

        Assert.Equal(1, handled);
        var received = Assert.Single(_server.Received);
        Assert.Equal(queued.MessageId, received.MessageId);
        Assert.Equal("春季优惠", received.Subject);
        Assert.Equal("news@shop.example", received.From.Mailboxes.Single().Address);
        Assert.Equal("Shop", received.From.Mailboxes.Single().Name);
        Assert.Equal("li.lei@qq.com", received.To.Mailboxes.Single().Address);
        Assert.Equal("李雷", received.To.Mailboxes.Single().Name);
        Assert.Equal("<https://crm.example/u/abc>", received.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("Hello li.lei@qq.com", received.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hello li.lei@qq.com", received.TextBody, StringComparison.Ordinal);
        var row = await _outbox.GetAsync(queued.Id);
        Assert.Equal(OutboxState.Sent, row.State);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(_outbox.Time.Now.UtcDateTime, row.SentAt);
        Assert.Null(row.LeaseOwner);
    }

    [Fact]
    public async Task DispatchDueAsync_TransactionalEmail_HasNoListUnsubscribe()
    {
        await _server.StartAsync();
        await _outbox.EnqueueEmailAsync("han.meimei@163.com");
        var dispatcher = _outbox.Dispatcher();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();

        var received = Assert.Single(_server.Received);
        Assert.False(received.Headers.Contains("List-Unsubscribe"));
        Assert.False(received.Headers.Contains("List-Unsubscribe-Post"));
    }

    [Fact]
    public async Task DispatchDueAsync_Temporary451ForSomeRecipients_RetriedWithBackoffAndDelivered()
    {
        await _server.StartAsync();
        var greylisted = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "wang.fang@126.com", "zhao.lei@sina.com" };
        _server.RejectRecipient = to => greylisted.Contains(to) ? new SmtpResponse((SmtpReplyCode)451, "4.7.1 Greylisted, try again later") : null;
        var addresses = new[] { "li.lei@qq.com", "wang.fang@126.com", "chen.jing@gmail.com", "zhao.lei@sina.com", "liu.yang@outlook.com" };
        foreach (var address in addresses)
        {
            await _outbox.EnqueueEmailAsync(address);
        }

        var dispatcher = _outbox.Dispatcher();
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var afterFirst = await _outbox.AllAsync();
        Assert.Equal(3, _server.Received.Count);
        var retrying = afterFirst.Where(m => m.State == OutboxState.Queued).ToList();
        Assert.Equal(greylisted.Order(), retrying.Select(m => m.ToAddress).Order());
        Assert.All(retrying, m =>
        {
            Assert.Equal(1, m.Attempts);
            Assert.Contains("451", m.LastError, StringComparison.Ordinal);
            // First retry waits between half and all of the base delay.
            Assert.InRange(m.NextAttemptAt, _outbox.Time.Now.UtcDateTime.AddSeconds(15), _outbox.Time.Now.UtcDateTime.AddSeconds(30));
        });

        // Not due yet: nothing is sent.
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));

        greylisted.Clear();
        _outbox.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(2, await dispatcher.DispatchDueAsync(CancellationToken.None));
        await dispatcher.CloseIdleSessionsAsync();

        var rows = await _outbox.AllAsync();
        Assert.All(rows, m => Assert.Equal(OutboxState.Sent, m.State));
        Assert.Equal(2, rows.Single(m => m.ToAddress == "wang.fang@126.com").Attempts);
        Assert.Equal(addresses.Order(), _server.Received.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task DispatchDueAsync_550UserUnknown_FailsOnceAndSuppressesAddress()
    {
        await _server.StartAsync();
        _server.RejectRecipient = to => to == "nobody@qq.com" ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 User unknown") : null;
        var bad = await _outbox.EnqueueEmailAsync("nobody@qq.com");
        await _outbox.EnqueueEmailAsync("li.lei@qq.com");
        var dispatcher = _outbox.Dispatcher();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        _outbox.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));

        var row = await _outbox.GetAsync(bad.Id);
        Assert.Equal(OutboxState.Failed, row.State);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("5.1.1", row.LastError, StringComparison.Ordinal);
        await using (var db = _outbox.CreateContext())
        {
            var suppression = await db.Suppressions.SingleAsync();
            Assert.Equal(SuppressionReason.HardBounce, suppression.Reason);
            Assert.Equal(SuppressionService.Hash(MessageChannel.Email, "NOBODY@qq.com"), suppression.AddressHash);
        }

        // A later message to the same address is not attempted.
        var again = await _outbox.EnqueueEmailAsync("nobody@qq.com");
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();
        Assert.Equal(OutboxState.Suppressed, (await _outbox.GetAsync(again.Id)).State);
        Assert.Single(_server.Received);
    }

    [Fact]
    public async Task DispatchDueAsync_PermanentRejectionWithoutBadAddressCode_FailsWithoutSuppressing()
    {
        await _server.StartAsync();
        _server.RejectRecipient = _ => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.7.1 Policy rejection");
        var message = await _outbox.EnqueueEmailAsync("li.lei@qq.com");
        var dispatcher = _outbox.Dispatcher();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();

        Assert.Equal(OutboxState.Failed, (await _outbox.GetAsync(message.Id)).State);
        await using var db = _outbox.CreateContext();
        Assert.False(await db.Suppressions.AnyAsync());
    }

    [Fact]
    public async Task DispatchDueAsync_ServerDown_NothingLostAndDeliveredOnceBack()
    {
        var addresses = Enumerable.Range(1, 12).Select(i => $"customer{i}@gmail.com").ToList();
        foreach (var address in addresses)
        {
            await _outbox.EnqueueEmailAsync(address);
        }

        var dispatcher = _outbox.Dispatcher();
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var down = await _outbox.AllAsync();
        Assert.All(down, m => Assert.Equal(OutboxState.Queued, m.State));
        // Only the messages that met the refused connection used an attempt; the rest were put back untouched.
        Assert.InRange(down.Sum(m => m.Attempts), 1, _outbox.Smtp.ParallelConnections);

        await _server.StartAsync();
        for (var pass = 0; pass < 5 && _server.Received.Count < addresses.Count; pass++)
        {
            _outbox.Advance(TimeSpan.FromMinutes(1));
            await dispatcher.DispatchDueAsync(CancellationToken.None);
        }

        await dispatcher.CloseIdleSessionsAsync();
        var rows = await _outbox.AllAsync();
        Assert.All(rows, m => Assert.Equal(OutboxState.Sent, m.State));
        Assert.Equal(addresses.Order(), _server.Received.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task DispatchDueAsync_AbortedMidBatchThenRestarted_EveryoneReceivesAndDuplicatesWithinInFlightBound()
    {
        // Small groups, so that the bound below is tighter than the batch.
        _outbox.Outbox.OutcomeBatchSize = 4;
        await _server.StartAsync();
        var addresses = Enumerable.Range(1, 60).Select(i => $"buyer{i}@163.com").ToList();
        foreach (var address in addresses)
        {
            await _outbox.EnqueueEmailAsync(address);
        }

        using var crash = new CancellationTokenSource();
        _server.OnStored = _ =>
        {
            if (_server.Received.Count == 20)
            {
                crash.Cancel();
            }
        };
        var first = _outbox.Dispatcher();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.DispatchDueAsync(CancellationToken.None, crash.Token));
        _server.OnStored = null;

        var afterCrash = await _outbox.AllAsync();
        Assert.Contains(afterCrash, m => m.State == OutboxState.Sending);

        // A new process: before the lease expires the stranded rows are left alone, afterwards they are reclaimed.
        var second = _outbox.Dispatcher();
        await second.DispatchDueAsync(CancellationToken.None);
        Assert.Contains(await _outbox.AllAsync(), m => m.State == OutboxState.Sending);
        _outbox.Advance(TimeSpan.FromSeconds(_outbox.Outbox.LeaseSeconds + 1));
        await second.DispatchDueAsync(CancellationToken.None);
        await second.CloseIdleSessionsAsync();

        var rows = await _outbox.AllAsync();
        Assert.All(rows, m => Assert.Equal(OutboxState.Sent, m.State));
        var perMessageId = _server.Received.GroupBy(m => m.MessageId ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(rows.Select(m => m.MessageId).Order(), perMessageId.Keys.Order());
        // The documented bound (docs/messaging.md): the group being written, the group waiting, and one message per
        // connection between the server's reply and handing the outcome to the writer.
        var duplicates = perMessageId.Values.Sum(n => n - 1);
        Assert.InRange(duplicates, 0, (2 * _outbox.Outbox.OutcomeBatchSize) + _outbox.Smtp.ParallelConnections);
        Assert.All(perMessageId.Values, n => Assert.InRange(n, 1, 2));
    }

    [Fact]
    public async Task DispatchDueAsync_StoppingMidBatch_FinishesInFlightAndReleasesTheRest()
    {
        await _server.StartAsync();
        for (var i = 1; i <= 30; i++)
        {
            await _outbox.EnqueueEmailAsync($"guest{i}@qq.com");
        }

        using var stop = new CancellationTokenSource();
        _server.OnStored = _ =>
        {
            if (_server.Received.Count == 5)
            {
                stop.Cancel();
            }
        };
        var dispatcher = _outbox.Dispatcher();
        var handled = await dispatcher.DispatchDueAsync(stop.Token);
        await dispatcher.CloseIdleSessionsAsync();

        var rows = await _outbox.AllAsync();
        var sent = rows.Where(m => m.State == OutboxState.Sent).ToList();
        Assert.Equal(handled, sent.Count);
        // Everything the server accepted is recorded as sent; the rest is queued again without a used attempt.
        Assert.Equal(_server.Received.Select(m => m.MessageId).Order(), sent.Select(m => m.MessageId).Order());
        Assert.All(rows.Where(m => m.State != OutboxState.Sent), m =>
        {
            Assert.Equal(OutboxState.Queued, m.State);
            Assert.Equal(0, m.Attempts);
            Assert.Null(m.LeaseOwner);
        });
        Assert.Equal(30, rows.Count(m => m.State is OutboxState.Sent or OutboxState.Queued));
    }

    [Fact]
    public async Task DispatchDueAsync_HeaderInjectionInNameAndSubject_AddsNoHeaders()
    {
        await _server.StartAsync();
        await _outbox.EnqueueEmailAsync("li.lei@qq.com", "Li\r\nBcc: victim@gmail.com", "Offer\r\nBcc: victim@gmail.com\nX-Evil: 1");
        var dispatcher = _outbox.Dispatcher();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();

        var received = Assert.Single(_server.Received);
        Assert.False(received.Headers.Contains("Bcc"));
        Assert.False(received.Headers.Contains("X-Evil"));
        Assert.Empty(received.Bcc);
        Assert.Equal(["li.lei@qq.com"], received.To.Mailboxes.Select(m => m.Address));
        Assert.DoesNotContain("\n", received.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Offer", received.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchDueAsync_MarketingConsentWithdrawnAfterQueueing_Suppressed()
    {
        await _server.StartAsync();
        int customerId;
        await using (var db = _outbox.CreateContext())
        {
            var customer = new Customer
            {
                Name = "Li Lei",
                NameKey = "li lei",
                Email = "li.lei@qq.com",
                EmailKey = "li.lei@qq.com",
                EmailConsent = ConsentState.OptedIn,
                CreatedAt = _outbox.Time.Now.UtcDateTime,
                UpdatedAt = _outbox.Time.Now.UtcDateTime,
                Version = 1,
            };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            customerId = customer.Id;
        }

        var marketing = await _outbox.EnqueueEmailAsync("li.lei@qq.com", marketing: true, customerId: customerId);
        var transactional = await _outbox.EnqueueEmailAsync("li.lei@qq.com", subject: "Your receipt", customerId: customerId);
        await using (var db = _outbox.CreateContext())
        {
            await db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.EmailConsent, ConsentState.OptedOut));
        }

        var dispatcher = _outbox.Dispatcher();
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();

        var row = await _outbox.GetAsync(marketing.Id);
        Assert.Equal(OutboxState.Suppressed, row.State);
        Assert.Equal(0, row.Attempts);
        Assert.Equal(OutboxState.Sent, (await _outbox.GetAsync(transactional.Id)).State);
        Assert.Equal(["Your receipt"], _server.Received.Select(m => m.Subject));
    }

    [Fact]
    public async Task DispatchDueAsync_WhileServerHoldsTheMessage_RowNotYetSent()
    {
        await _server.StartAsync();
        for (var i = 1; i <= 12; i++)
        {
            await _outbox.EnqueueEmailAsync($"reader{i}@qq.com");
        }

        var seen = new System.Collections.Concurrent.ConcurrentBag<OutboxState>();
        _server.OnStored = received =>
        {
            // Called after the server has the message and before it answers 250.
            using var db = _outbox.CreateContext();
            seen.Add(db.OutboxMessages.AsNoTracking().Where(m => m.MessageId == received.MessageId).Select(m => m.State).Single());
        };
        var dispatcher = _outbox.Dispatcher();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();

        Assert.Equal(12, seen.Count);
        Assert.All(seen, state => Assert.Equal(OutboxState.Sending, state));
        Assert.All(await _outbox.AllAsync(), m => Assert.Equal(OutboxState.Sent, m.State));
    }

    [Fact]
    public async Task DispatchDueAsync_WritingOutcomesFails_SentMessagesStayLeasedAndAreReclaimed()
    {
        await _server.StartAsync();
        var addresses = Enumerable.Range(1, 30).Select(i => $"member{i}@126.com").ToList();
        foreach (var address in addresses)
        {
            await _outbox.EnqueueEmailAsync(address);
        }

        await using (var db = _outbox.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER FailMarkingSent BEFORE UPDATE OF State ON OutboxMessages WHEN NEW.State = 2 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
        }

        var dispatcher = _outbox.Dispatcher();
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => dispatcher.DispatchDueAsync(CancellationToken.None));

        // Nothing is marked Sent; what the server accepted stays leased (the workers stopped at the failure), and
        // what was never attempted went back to the queue.
        var afterFailure = await _outbox.AllAsync();
        var accepted = _server.Received.Select(m => m.MessageId).ToHashSet();
        Assert.NotEmpty(accepted);
        Assert.DoesNotContain(afterFailure, m => m.State == OutboxState.Sent);
        Assert.All(afterFailure.Where(m => accepted.Contains(m.MessageId)), m =>
        {
            Assert.Equal(OutboxState.Sending, m.State);
            Assert.NotNull(m.LeaseOwner);
        });
        Assert.All(afterFailure.Where(m => m.State == OutboxState.Queued), m => Assert.Equal(0, m.Attempts));

        await using (var db = _outbox.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER FailMarkingSent;");
        }

        _outbox.Advance(TimeSpan.FromSeconds(_outbox.Outbox.LeaseSeconds + 1));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        await dispatcher.CloseIdleSessionsAsync();

        var rows = await _outbox.AllAsync();
        Assert.All(rows, m => Assert.Equal(OutboxState.Sent, m.State));
        var perMessageId = _server.Received.GroupBy(m => m.MessageId ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(rows.Select(m => m.MessageId).Order(), perMessageId.Keys.Order());
        // Only the messages of the failed pass are sent twice, and they keep their Message-ID.
        Assert.Equal(accepted.Order(), perMessageId.Where(p => p.Value == 2).Select(p => p.Key).Order());
        Assert.InRange(accepted.Count, 1, (2 * _outbox.Outbox.OutcomeBatchSize) + _outbox.Smtp.ParallelConnections);
    }
}
