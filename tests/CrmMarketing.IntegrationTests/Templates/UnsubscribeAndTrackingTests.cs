using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Tracking;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmMarketing.IntegrationTests.Templates;

/// <summary>The app with an inbound-SMS secret and with the dispatcher off, so queued rows stay as written.</summary>
public sealed class TrackingAppFactory : CrmWebApplicationFactory
{
    public const string SmsSecret = "inbound-secret-for-tests";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Tracking:InboundSmsSecret", SmsSecret);
        builder.UseSetting("Tracking:PublicBaseUrl", "https://localhost");
        builder.UseSetting("Outbox:DispatcherEnabled", "false");
    }
}

public sealed class UnsubscribeAndTrackingTests(TrackingAppFactory factory) : IClassFixture<TrackingAppFactory>
{
    private sealed class ClockAt(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private async Task<(Customer Customer, OutboxMessage Message)> SendMarketingAsync()
    {
        var customer = await factory.AddCustomerAsync("Reader " + Guid.NewGuid().ToString("N")[..6]);
        var template = await factory.AddTemplateAsync("<p>Hi {{name}}</p><p><a href=\"https://shop.test/sale\">Sale</a> <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>");
        return (customer, await factory.QueueAsync(customer, template));
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private Task<ConsentState> EmailConsentAsync(int customerId) =>
        factory.WithDbAsync(db => db.Customers.Where(c => c.Id == customerId).Select(c => c.EmailConsent).SingleAsync());

    [Fact]
    public async Task Enqueue_MarketingTrackedEmail_FillsUnsubscribeUrlAndStoresLinks()
    {
        var (_, message) = await SendMarketingAsync();
        Assert.NotNull(message.UnsubscribeUrl);
        Assert.StartsWith("https://localhost/unsubscribe/", message.UnsubscribeUrl, StringComparison.Ordinal);
        Assert.Contains($"href=\"{message.UnsubscribeUrl}\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("https://shop.test/sale", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("https://localhost/t/o/", message.HtmlBody, StringComparison.Ordinal);
        var links = await factory.WithDbAsync(db => db.MessageLinks.Where(l => l.OutboxMessageId == message.Id).Select(l => l.Url).ToListAsync());
        Assert.Equal(["https://shop.test/sale"], links);
    }

    [Fact]
    public async Task Unsubscribe_Get_ShowsButtonAndNeverUnsubscribes()
    {
        var (customer, message) = await SendMarketingAsync();
        using var client = factory.CreateAnonymousClient();
        using var response = await client.GetAsync(PathOf(message.UnsubscribeUrl!));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        Assert.NotNull(page.QuerySelector("#confirm-unsubscribe"));
        Assert.DoesNotContain(customer.Email!, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ConsentState.OptedIn, await EmailConsentAsync(customer.Id));
    }

    [Fact]
    public async Task Unsubscribe_PostFromPage_WithdrawsConsentSuppressesAndRecordsEvent()
    {
        var (customer, message) = await SendMarketingAsync();
        using var client = factory.CreateAnonymousClient();
        var path = PathOf(message.UnsubscribeUrl!);
        using var response = await client.SubmitFormAsync(path, "#unsubscribe form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ConsentState.OptedOut, await EmailConsentAsync(customer.Id));

        var ledger = await factory.WithDbAsync(db => db.ConsentChanges.Where(c => c.CustomerId == customer.Id).ToListAsync());
        var change = Assert.Single(ledger);
        Assert.Equal((ConsentChannel.Email, ConsentState.OptedOut, ConsentSources.Unsubscribe), (change.Channel, change.State, change.Source));
        var hash = SuppressionService.Hash(MessageChannel.Email, customer.Email!);
        var suppression = await factory.WithDbAsync(db => db.Suppressions.SingleAsync(s => s.AddressHash == hash));
        Assert.Equal(SuppressionReason.Unsubscribed, suppression.Reason);
        Assert.True(await factory.WithDbAsync(db => db.MessageEvents.AnyAsync(e => e.OutboxMessageId == message.Id && e.Type == MessageEventType.Unsubscribe)));

        using var again = await client.GetAsync(path);
        Assert.NotNull((await HtmlPage.ParseAsync(again)).QuerySelector("#unsubscribed"));
    }

    [Fact]
    public async Task Unsubscribe_PostWithoutAntiforgery_IsRejected()
    {
        var (customer, message) = await SendMarketingAsync();
        using var client = factory.CreateAnonymousClient();
        using var response = await client.PostAsync(PathOf(message.UnsubscribeUrl!), new FormUrlEncodedContent([new("x", "y")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ConsentState.OptedIn, await EmailConsentAsync(customer.Id));
    }

    [Fact]
    public async Task Unsubscribe_OneClickPost_WorksWithoutCookiesOrToken()
    {
        var (customer, message) = await SendMarketingAsync();
        using var client = factory.CreateAnonymousClient();
        using var response = await client.PostAsync(PathOf(message.UnsubscribeUrl!),
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ConsentState.OptedOut, await EmailConsentAsync(customer.Id));
        var change = await factory.WithDbAsync(db => db.ConsentChanges.SingleAsync(c => c.CustomerId == customer.Id));
        Assert.StartsWith("List-Unsubscribe one-click", change.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribe_ForgedToken_FriendlyBadRequest()
    {
        var (customer, message) = await SendMarketingAsync();
        var token = message.UnsubscribeUrl!.Split('/')[^1];
        var forged = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        using var client = factory.CreateAnonymousClient();
        foreach (var path in new[] { "/unsubscribe/" + forged, "/unsubscribe/not-a-token" })
        {
            using var get = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
            Assert.NotNull((await HtmlPage.ParseAsync(get)).QuerySelector("#invalid-link"));
            using var oneClick = await client.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.BadRequest, oneClick.StatusCode);
        }

        Assert.Equal(ConsentState.OptedIn, await EmailConsentAsync(customer.Id));
    }

    [Fact]
    public async Task Unsubscribe_ExpiredToken_FriendlyBadRequest()
    {
        var customer = await factory.AddCustomerAsync("Expired " + Guid.NewGuid().ToString("N")[..6]);
        var options = factory.Services.GetRequiredService<IOptions<TrackingOptions>>();
        var past = DateTimeOffset.UtcNow.AddDays(-options.Value.UnsubscribeTokenDays - 1);
        var oldTokens = new TrackingTokens(factory.Services.GetRequiredService<IDataProtectionProvider>(), new ClockAt(past), options);
        var token = oldTokens.ForUnsubscribe(new UnsubscribeToken(customer.Id, MessageChannel.Email, null));
        Assert.NotNull(oldTokens.ReadUnsubscribe(token));

        using var client = factory.CreateAnonymousClient();
        using var get = await client.GetAsync("/unsubscribe/" + token);
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        using var oneClick = await client.PostAsync("/unsubscribe/" + token, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.BadRequest, oneClick.StatusCode);
        Assert.Equal(ConsentState.OptedIn, await EmailConsentAsync(customer.Id));
    }

    [Fact]
    public async Task Open_ValidToken_ReturnsGifAndRecordsEvent_ForgedIsBadRequest()
    {
        var (_, message) = await SendMarketingAsync();
        using var client = factory.CreateAnonymousClient();
        using var open = await client.GetAsync($"/t/o/{factory.Tokens().ForOpen(message.Id)}");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal("image/gif", open.Content.Headers.ContentType!.MediaType);
        Assert.True(await factory.WithDbAsync(db => db.MessageEvents.AnyAsync(e => e.OutboxMessageId == message.Id && e.Type == MessageEventType.Open)));

        using var forged = await client.GetAsync($"/t/o/{factory.Tokens().ForClick(message.Id, 0)}");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var garbage = await client.GetAsync("/t/o/AAAA");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task Click_RedirectsOnlyToStoredLink_AndFlagsEarlyClicksAsBots()
    {
        var (_, message) = await SendMarketingAsync();
        using var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0) Firefox/140.0");

        using var early = await client.GetAsync($"/t/c/{factory.Tokens().ForClick(message.Id, 0)}");
        Assert.Equal(HttpStatusCode.Redirect, early.StatusCode);
        Assert.Equal("https://shop.test/sale", early.Headers.Location!.OriginalString);

        // A minute after sending, a person's click counts; a scanner's does not.
        await factory.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == message.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, DateTime.UtcNow.AddMinutes(-1))));
        using var late = await client.GetAsync($"/t/c/{factory.Tokens().ForClick(message.Id, 0)}");
        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        using var scanner = factory.CreateAnonymousClient();
        scanner.DefaultRequestHeaders.UserAgent.ParseAdd("Barracuda Sentinel (EE)");
        using var scanned = await scanner.GetAsync($"/t/c/{factory.Tokens().ForClick(message.Id, 0)}");
        Assert.Equal(HttpStatusCode.Redirect, scanned.StatusCode);

        var flags = await factory.WithDbAsync(db => db.MessageEvents.Where(e => e.OutboxMessageId == message.Id && e.Type == MessageEventType.Click)
            .OrderBy(e => e.Id).Select(e => e.IsSuspectedBot).ToListAsync());
        Assert.Equal([true, false, true], flags);

        // Index 1 was never in the message; a token for another message's link is no use either.
        using var notInMessage = await client.GetAsync($"/t/c/{factory.Tokens().ForClick(message.Id, 1)}");
        Assert.Equal(HttpStatusCode.BadRequest, notInMessage.StatusCode);
        Assert.Null(notInMessage.Headers.Location);
        using var forged = await client.GetAsync($"/t/c/{factory.Tokens().ForOpen(message.Id)}?url=https://evil.test");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task InboundSms_WrongOrMissingSecret_Unauthorized()
    {
        var customer = await factory.AddCustomerAsync("Texter " + Guid.NewGuid().ToString("N")[..6]);
        using var client = factory.CreateAnonymousClient();
        foreach (var secret in new[] { "wrong", string.Empty })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/sms/inbound")
            {
                Content = new FormUrlEncodedContent([new("from", customer.Phone!), new("text", "STOP")]),
            };
            if (secret.Length > 0)
            {
                request.Headers.Add("X-Webhook-Secret", secret);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(ConsentState.OptedIn, await factory.WithDbAsync(db => db.Customers.Where(c => c.Id == customer.Id).Select(c => c.SmsConsent).SingleAsync()));
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData(" 退订 ")]
    [InlineData("td")]
    public async Task InboundSms_StopWord_WithdrawsSmsConsent(string text)
    {
        var customer = await factory.AddCustomerAsync("Texter " + Guid.NewGuid().ToString("N")[..6]);
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/sms/inbound")
        {
            Content = new FormUrlEncodedContent([new("from", customer.Phone!), new("text", text)]),
        };
        request.Headers.Add("X-Webhook-Secret", TrackingAppFactory.SmsSecret);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var state = await factory.WithDbAsync(db => db.Customers.Where(c => c.Id == customer.Id).Select(c => new { c.SmsConsent, c.EmailConsent }).SingleAsync());
        Assert.Equal(ConsentState.OptedOut, state.SmsConsent);
        Assert.Equal(ConsentState.OptedIn, state.EmailConsent);
        var change = await factory.WithDbAsync(db => db.ConsentChanges.SingleAsync(c => c.CustomerId == customer.Id));
        Assert.Equal((ConsentChannel.Sms, ConsentSources.SmsReply), (change.Channel, change.Source));
        var hash = SuppressionService.Hash(MessageChannel.Sms, customer.Phone!);
        Assert.True(await factory.WithDbAsync(db => db.Suppressions.AnyAsync(s => s.AddressHash == hash && s.Channel == MessageChannel.Sms)));
    }

    [Fact]
    public async Task InboundSms_OtherText_ChangesNothing()
    {
        var customer = await factory.AddCustomerAsync("Texter " + Guid.NewGuid().ToString("N")[..6]);
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/sms/inbound")
        {
            Content = new FormUrlEncodedContent([new("from", customer.Phone!), new("text", "Please stop by tomorrow")]),
        };
        request.Headers.Add("X-Webhook-Secret", TrackingAppFactory.SmsSecret);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ConsentState.OptedIn, await factory.WithDbAsync(db => db.Customers.Where(c => c.Id == customer.Id).Select(c => c.SmsConsent).SingleAsync()));
    }
}
