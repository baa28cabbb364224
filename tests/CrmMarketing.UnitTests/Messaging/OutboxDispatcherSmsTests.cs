using System.Text.Json;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.UnitTests.Messaging;

/// <summary>The dispatcher against a local HTTP SMS gateway on Kestrel.</summary>
public sealed class OutboxDispatcherSmsTests : IAsyncLifetime
{
    private readonly OutboxHarness _outbox = new();
    private readonly SmsGatewayTestServer _gateway = new();

    public async Task InitializeAsync()
    {
        await _gateway.StartAsync();
        _outbox.Sms.Url = _gateway.Url;
        _outbox.Sms.ApiKey = "test-key-123";
        _outbox.Sms.Headers = new Dictionary<string, string> { ["X-Account"] = "shop-01" };
        _outbox.Sms.BodyTemplate = """{"mobile":"{to}","content":"{text}","sign":"{sender}"}""";
        _outbox.Sms.MessageIdPath = "data.messageId";
        _outbox.Outbox.RetryBaseSeconds = 5;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _outbox.DisposeAsync();
    }

    [Fact]
    public async Task DispatchDueAsync_QueuedSms_PostsConfiguredBodyAndHeadersAndStoresProviderId()
    {
        var message = await _outbox.EnqueueSmsAsync("138 1234 5678", "您好 \"李雷\"，春季优惠\n回T退订");

        var handled = await _outbox.Dispatcher().DispatchDueAsync(CancellationToken.None);

        Assert.Equal(1, handled);
        var request = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("Bearer test-key-123", request.Headers["Authorization"]);
        Assert.Equal("shop-01", request.Headers["X-Account"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("+8613812345678", body.RootElement.GetProperty("mobile").GetString());
        Assert.Equal("您好 \"李雷\"，春季优惠\n回T退订", body.RootElement.GetProperty("content").GetString());
        Assert.Equal("SHOP", body.RootElement.GetProperty("sign").GetString());
        var row = await _outbox.GetAsync(message.Id);
        Assert.Equal(OutboxState.Sent, row.State);
        Assert.Equal("gw-1", row.ProviderMessageId);
    }

    [Fact]
    public async Task DispatchDueAsync_429WithRetryAfter_WaitsThatLongThenSends()
    {
        _gateway.Respond = n => n == 1
            ? (429, "{\"error\":\"slow down\"}", new Dictionary<string, string> { ["Retry-After"] = "120" })
            : (200, "{\"data\":{\"messageId\":\"gw-" + n + "\"}}", null);
        // One request at a time, so that the second message is still waiting when the 429 arrives.
        _outbox.Sms.ParallelRequests = 1;
        var first = await _outbox.EnqueueSmsAsync("+8613800000001", "one");
        var second = await _outbox.EnqueueSmsAsync("+8613800000002", "two");
        var dispatcher = _outbox.Dispatcher();
        var start = _outbox.Time.Now.UtcDateTime;

        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Single(_gateway.Requests);
        var throttled = await _outbox.GetAsync(first.Id);
        Assert.Equal(OutboxState.Queued, throttled.State);
        Assert.Equal(start.AddSeconds(120), throttled.NextAttemptAt);
        Assert.Contains("429", throttled.LastError, StringComparison.Ordinal);
        // The rest of the batch waits as well, without using an attempt.
        var waiting = await _outbox.GetAsync(second.Id);
        Assert.Equal(OutboxState.Queued, waiting.State);
        Assert.Equal(0, waiting.Attempts);
        Assert.Equal(start.AddSeconds(120), waiting.NextAttemptAt);

        _outbox.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Single(_gateway.Requests);

        _outbox.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(3, _gateway.Requests.Count);
        Assert.Equal(OutboxState.Sent, (await _outbox.GetAsync(first.Id)).State);
        Assert.Equal(2, (await _outbox.GetAsync(first.Id)).Attempts);
        Assert.Equal(OutboxState.Sent, (await _outbox.GetAsync(second.Id)).State);
    }

    [Fact]
    public async Task DispatchDueAsync_400_FailsAtOnceWithoutRetry()
    {
        _gateway.Respond = _ => (400, "{\"error\":\"invalid mobile\"}", null);
        var message = await _outbox.EnqueueSmsAsync("+8613800000003", "hello");
        var dispatcher = _outbox.Dispatcher();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        _outbox.Advance(TimeSpan.FromHours(1));
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Single(_gateway.Requests);
        var row = await _outbox.GetAsync(message.Id);
        Assert.Equal(OutboxState.Failed, row.State);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("HTTP 400", row.LastError, StringComparison.Ordinal);
        Assert.Contains("invalid mobile", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchDueAsync_503_RetriedWithBackoff()
    {
        _gateway.Respond = n => n == 1 ? (503, "busy", null) : (200, "{\"data\":{\"messageId\":\"ok\"}}", null);
        var message = await _outbox.EnqueueSmsAsync("+8613800000004", "hello");
        var dispatcher = _outbox.Dispatcher();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var retrying = await _outbox.GetAsync(message.Id);
        Assert.Equal(OutboxState.Queued, retrying.State);
        Assert.InRange(retrying.NextAttemptAt, _outbox.Time.Now.UtcDateTime.AddSeconds(2.5), _outbox.Time.Now.UtcDateTime.AddSeconds(5));

        _outbox.Advance(TimeSpan.FromSeconds(5));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(OutboxState.Sent, (await _outbox.GetAsync(message.Id)).State);
    }

    [Fact]
    public async Task DispatchDueAsync_DuringQuietHours_WaitsUntilTheyEnd()
    {
        // 12:00 UTC is 20:00 in Shanghai; quiet from 19:00 to 08:00 local time.
        _outbox.Sms.QuietHoursStart = new TimeOnly(19, 0);
        _outbox.Sms.QuietHoursEnd = new TimeOnly(8, 0);
        _outbox.Sms.QuietHoursTimeZone = "Asia/Shanghai";
        var message = await _outbox.EnqueueSmsAsync("+8613800000005", "hello");
        var dispatcher = _outbox.Dispatcher();

        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        _outbox.Advance(TimeSpan.FromHours(11.9));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Empty(_gateway.Requests);

        _outbox.Advance(TimeSpan.FromHours(0.1));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(OutboxState.Sent, (await _outbox.GetAsync(message.Id)).State);
    }
}
