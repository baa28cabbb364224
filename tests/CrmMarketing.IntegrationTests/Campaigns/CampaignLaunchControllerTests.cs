using System.Net;
using System.Text.Json;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Campaigns;

public sealed class CampaignLaunchControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    /// <summary>A draft email activity aimed at a new static segment of <paramref name="members"/> customers.</summary>
    private async Task<int> SeedActivityAsync(int members, ConsentState consent = ConsentState.OptedIn)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var customers = Enumerable.Range(1, members).Select(i => new Customer
        {
            Name = $"Launch {tag} {i}",
            NameKey = $"launch {tag} {i}",
            Email = $"launch.{tag}.{i}@mail.test",
            EmailKey = $"launch.{tag}.{i}@mail.test",
            EmailConsent = consent,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        }).ToList();
        db.Customers.AddRange(customers);
        var segment = new Segment { Name = "Launch " + tag, Kind = SegmentKind.Static, CreatedAt = now, UpdatedAt = now, MemberCount = members };
        var template = new MessageTemplate
        {
            Name = "Launch " + tag,
            Channel = MessageChannel.Email,
            IsMarketing = true,
            Subject = "Hello {{name}}",
            HtmlBody = "<p>Hello {{name}}</p>",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Segments.Add(segment);
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync();
        db.SegmentMembers.AddRange(customers.Select(c => new SegmentMember { SegmentId = segment.Id, CustomerId = c.Id, AddedAt = now }));
        var activity = new MarketingActivity
        {
            Name = "Launch " + tag,
            Type = ActivityType.Email,
            Status = ActivityStatus.Draft,
            StartDate = new DateOnly(2026, 12, 1),
            EndDate = new DateOnly(2026, 12, 31),
            SegmentId = segment.Id,
            TemplateId = template.Id,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        db.MarketingActivities.Add(activity);
        await db.SaveChangesAsync();
        return activity.Id;
    }

    private async Task<T> QueryAsync<T>(Func<CrmDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    [Fact]
    public async Task Launch_TwoConcurrentRequests_EnqueueOnce()
    {
        var id = await SeedActivityAsync(40);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var detailsUrl = $"/Campaigns/Details/{id}";

        var responses = await Task.WhenAll(
            marketer.PostFormAsync($"/Campaigns/Launch/{id}", [], detailsUrl),
            marketer.PostFormAsync($"/Campaigns/Launch/{id}", [], detailsUrl));

        Assert.All(responses, r => Assert.True(HttpClientExtensions.IsRedirectTo(r, detailsUrl), r.StatusCode.ToString()));
        long campaignId = id;
        Assert.Equal(40, await QueryAsync(db => db.OutboxMessages.CountAsync(m => m.CampaignId == campaignId)));
        Assert.Equal(40, await QueryAsync(db => db.CampaignRecipients.CountAsync(r => r.ActivityId == id)));
        Assert.Equal(40, await QueryAsync(db => db.OutboxMessages.Where(m => m.CampaignId == campaignId).Select(m => m.CustomerId).Distinct().CountAsync()));

        using var again = await marketer.PostFormAsync($"/Campaigns/Launch/{id}", [], detailsUrl);
        using var page = await marketer.GetAsync(detailsUrl);
        Assert.Contains("This activity has already been launched.", (await HtmlPage.ParseAsync(page)).Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(40, await QueryAsync(db => db.OutboxMessages.CountAsync(m => m.CampaignId == campaignId)));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Launch_EmptyAudience_ShowsTheMessageAndLeavesTheDraft()
    {
        var id = await SeedActivityAsync(3, ConsentState.OptedOut);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var detailsUrl = $"/Campaigns/Details/{id}";

        using var launch = await marketer.PostFormAsync($"/Campaigns/Launch/{id}", [], detailsUrl);
        using var page = await marketer.GetAsync(detailsUrl);

        Assert.True(HttpClientExtensions.IsRedirectTo(launch, detailsUrl));
        var document = await HtmlPage.ParseAsync(page);
        Assert.Contains("Nobody in the segment can be contacted", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(document.QuerySelector("#launch-now"));
        CspAssert.NoInlineCode(document, "activity details with launch");
        Assert.Equal(ActivityStatus.Draft, await QueryAsync(db => db.MarketingActivities.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task Progress_AfterLaunch_ReturnsCountsAsJson()
    {
        var id = await SeedActivityAsync(5);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var launch = await marketer.PostFormAsync($"/Campaigns/Launch/{id}", [], $"/Campaigns/Details/{id}");

        using var progress = await marketer.GetAsync($"/Campaigns/Progress/{id}");
        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        using var json = JsonDocument.Parse(await progress.Content.ReadAsStringAsync());
        Assert.Equal(5, json.RootElement.GetProperty("audience").GetInt32());
        Assert.Equal(5, json.RootElement.GetProperty("treatment").GetInt32());
        Assert.True(json.RootElement.GetProperty("status").GetString() is "Running" or "Completed");
        using var details = await marketer.GetAsync($"/Campaigns/Details/{id}");
        Assert.NotNull((await HtmlPage.ParseAsync(details)).QuerySelector("#campaign-progress[data-progress-url]"));
    }

    [Fact]
    public async Task Sales_CannotLaunchPauseOrReadProgress_ButSeesTheirCallList()
    {
        var id = await SeedActivityAsync(2);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        foreach (var action in new[] { "Launch", "Schedule", "Pause", "Resume", "ChooseWinner" })
        {
            using var response = await sales.PostFormAsync($"/Campaigns/{action}/{id}", []);
            Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath), action);
        }

        using var progress = await sales.GetAsync($"/Campaigns/Progress/{id}");
        Assert.True(HttpClientExtensions.IsRedirectTo(progress, HttpClientExtensions.AccessDeniedPath));
        Assert.Null(await QueryAsync(db => db.MarketingActivities.Where(a => a.Id == id).Select(a => a.LaunchedAt).SingleAsync()));
        using var callList = await sales.GetAsync("/CallList");
        Assert.Equal(HttpStatusCode.OK, callList.StatusCode);
        CspAssert.NoInlineCode(await HtmlPage.ParseAsync(callList), "call list");
    }
}
