using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Messaging;

/// <summary>The app with gateway secrets configured, so that the Settings page has something to mask.</summary>
public sealed class MessagingAppFactory : CrmWebApplicationFactory
{
    public const string ApiKey = "sk-live-4f9c2b7e";
    public const string HeaderSecret = "hdr-secret-91ab";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SmsGateway:ApiKey", ApiKey);
        builder.UseSetting("SmsGateway:Headers:X-Token", HeaderSecret);
        builder.UseSetting("Outbox:PollSeconds", "0.2");
        // Equal ends mean no quiet hours, so that the SMS test passes at any hour.
        builder.UseSetting("SmsGateway:QuietHoursStart", "00:00");
        builder.UseSetting("SmsGateway:QuietHoursEnd", "00:00");
    }
}

public sealed class MessagingControllerTests(MessagingAppFactory factory) : IClassFixture<MessagingAppFactory>
{
    [Fact]
    public async Task SettingsIndex_AsAdmin_ShowsConfigurationWithSecretsMasked()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.GetAsync("/Settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Pickup", html, StringComparison.Ordinal);
        Assert.Contains("SmsGateway:ApiKey", html, StringComparison.Ordinal);
        Assert.DoesNotContain(MessagingAppFactory.ApiKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain(MessagingAppFactory.HeaderSecret, html, StringComparison.Ordinal);
        CspAssert.NoInlineCode(await HtmlPage.ParseAsync(response), "/Settings");
    }

    [Fact]
    public async Task SettingsIndex_AsMarketer_IsForbidden()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.GetAsync("/Settings");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath));
    }

    [Fact]
    public async Task SettingsTestEmail_AsAdmin_QueuedAndWrittenToPickupFolder()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.SubmitFormAsync("/Settings", "#test-email-form");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, "/Settings"));
        long id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            id = await db.OutboxMessages.Where(m => m.ToAddress == TestAccount.Admin.Email).OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync();
        }

        // The background dispatcher sends it; poll with a timeout.
        var state = await PollStateAsync(id, s => s == OutboxState.Sent);
        Assert.Equal(OutboxState.Sent, state);
        var files = Directory.GetFiles(factory.PickupDirectory, "*.eml");
        Assert.Contains(files, f => File.ReadAllText(f).Contains(TestAccount.Admin.Email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SettingsTestSms_InvalidNumber_ShowsErrorAndQueuesNothing()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.SubmitFormAsync("/Settings", "#test-sms-form", [new("TestSms.Phone", "12")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        Assert.NotEmpty(page.QuerySelector("[data-valmsg-for='TestSms.Phone']")!.TextContent.Trim());
    }

    [Fact]
    public async Task SettingsTestSms_ValidNumber_SentToLogFile()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.SubmitFormAsync("/Settings", "#test-sms-form", [new("TestSms.Phone", "139 0000 1234")]);

        Assert.True(HttpClientExtensions.IsRedirectTo(response, "/Settings"));
        long id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            id = await db.OutboxMessages.Where(m => m.ToAddress == "+8613900001234").Select(m => m.Id).SingleAsync();
        }

        Assert.Equal(OutboxState.Sent, await PollStateAsync(id, s => s == OutboxState.Sent));
        Assert.Contains("+8613900001234", await File.ReadAllTextAsync(factory.SmsLogFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboxIndex_AsSales_IsForbidden()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync("/Outbox");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath));
    }

    [Fact]
    public async Task OutboxRetryAndCancel_AsMarketer_ChangeStateAndShowInList()
    {
        var campaign = Random.Shared.NextInt64(1_000_000, 9_000_000);
        long failedId, queuedId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var far = DateTime.UtcNow.AddDays(30);
            var failed = Row("failed", campaign, OutboxState.Failed, far, "SMTP 550 RecipientNotAccepted: 5.7.1 Policy");
            var queued = Row("queued", campaign, OutboxState.Queued, far, null);
            db.OutboxMessages.AddRange(failed, queued);
            await db.SaveChangesAsync();
            failedId = failed.Id;
            queuedId = queued.Id;
        }

        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var list = await client.GetAsync($"/Outbox?campaignId={campaign}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var page = await HtmlPage.ParseAsync(list);
        CspAssert.NoInlineCode(page, "/Outbox");
        Assert.Equal(2, page.QuerySelectorAll("#outbox-table tbody tr").Length);
        Assert.Contains("5.7.1 Policy", page.QuerySelector($"tr[data-id='{failedId}']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", page.QuerySelector("#outbox-counts [data-state='Failed'] .count")!.TextContent.Trim());

        using var cancel = await client.PostFormAsync($"/Outbox/Cancel/{queuedId}", tokenPageUrl: "/Outbox");
        Assert.True(HttpClientExtensions.IsRedirectTo(cancel, "/Outbox"));
        using var retry = await client.PostFormAsync($"/Outbox/Retry/{failedId}", tokenPageUrl: "/Outbox");
        Assert.True(HttpClientExtensions.IsRedirectTo(retry, "/Outbox"));
        // Retrying a message that is no longer failed changes nothing.
        using var again = await client.PostFormAsync($"/Outbox/Cancel/{queuedId}", tokenPageUrl: "/Outbox");
        Assert.True(HttpClientExtensions.IsRedirectTo(again, "/Outbox"));

        await using var check = factory.Services.CreateAsyncScope();
        var checkDb = check.ServiceProvider.GetRequiredService<CrmDbContext>();
        Assert.Equal(OutboxState.Cancelled, (await checkDb.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == queuedId)).State);
        var retried = await checkDb.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == failedId);
        Assert.NotEqual(OutboxState.Failed, retried.State);
        Assert.Null(retried.LastError is { } e && e.Contains("5.7.1", StringComparison.Ordinal) ? e : null);
    }

    [Fact]
    public async Task OutboxIndex_MessageHeldByAPausedCampaign_SaysHeldInsteadOfADate()
    {
        var campaign = Random.Shared.NextInt64(1_000_000, 9_000_000);
        long heldId, dueId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var held = Row("held", campaign, OutboxState.Queued, CrmMarketing.Web.Services.Campaigns.CampaignLaunchService.HeldUntil, null);
            var due = Row("due", campaign, OutboxState.Queued, DateTime.UtcNow.AddDays(30), null);
            db.OutboxMessages.AddRange(held, due);
            await db.SaveChangesAsync();
            heldId = held.Id;
            dueId = due.Id;
        }

        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var list = await client.GetAsync($"/Outbox?campaignId={campaign}");

        var page = await HtmlPage.ParseAsync(list);
        var heldRow = page.QuerySelector($"tr[data-id='{heldId}']")!;
        Assert.NotNull(heldRow.QuerySelector("[data-held='true']"));
        Assert.Contains("Held: campaign paused", heldRow.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("9999", heldRow.TextContent, StringComparison.Ordinal);
        var dueRow = page.QuerySelector($"tr[data-id='{dueId}']")!;
        Assert.Null(dueRow.QuerySelector("[data-held]"));
        Assert.Contains(DateTime.UtcNow.AddDays(30).Year.ToString(System.Globalization.CultureInfo.InvariantCulture), dueRow.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboxRetry_MalformedId_IsBadRequest()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.PostFormAsync("/Outbox/Retry/abc", tokenPageUrl: "/Outbox");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static OutboxMessage Row(string key, long campaign, OutboxState state, DateTime next, string? error) => new()
    {
        Channel = MessageChannel.Email,
        ToAddress = key + "@qq.com",
        Subject = "Offer " + key,
        TextBody = "x",
        MessageId = Guid.NewGuid().ToString("N") + "@shop.example",
        IdempotencyKey = "it:" + Guid.NewGuid().ToString("N"),
        CampaignId = campaign,
        State = state,
        Attempts = state == OutboxState.Failed ? 1 : 0,
        NextAttemptAt = next,
        LastError = error,
        CreatedAt = DateTime.UtcNow,
    };

    private async Task<OutboxState> PollStateAsync(long id, Func<OutboxState, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var state = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == id).Select(m => m.State).SingleAsync();
            if (done(state) || timeout.IsCancellationRequested)
            {
                return state;
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }
}
