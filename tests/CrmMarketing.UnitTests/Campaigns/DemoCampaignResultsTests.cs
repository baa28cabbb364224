using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.UnitTests;

public sealed partial class DemoDataSeederTests
{
    [Fact]
    public async Task SeedDataAsync_CompletedNewsletter_HasRecipientsMessagesEventsAndConversionsForItsMetrics()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 400);

        await db.SeedDataAsync();

        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var id = await context.MarketingActivities
            .Where(a => a.Type == ActivityType.Email && a.Status == ActivityStatus.Completed && a.LaunchedAt != null)
            .Select(a => a.Id).SingleAsync();
        var m = (await new CampaignMetricsService(context, new FixedTimeProvider(Now), TestServices.Formatter()).ComputeAsync(id, default))!;

        Assert.True(m.Holdout > 0 && m.Treatment > 5 * m.Holdout, $"{m.Treatment} treatment, {m.Holdout} holdout");
        Assert.Equal(m.Audience, await context.MarketingActivities.Where(a => a.Id == id).Select(a => a.AudienceCount).SingleAsync());
        Assert.True(m.Delivered > 0 && m.Failed > 0);
        Assert.True(m.UniqueOpens > m.UniqueClicks && m.UniqueClicks > 0);
        Assert.True(m.ContactConverters > 0);
        Assert.NotNull(m.Uplift);
        Assert.True(m.Uplift.TreatmentConverters > 0);
        Assert.True(m.Cost > 0 && m.LastTouch.Revenue > 0);
        // The cached aggregates include the purchases written for the newsletter.
        Assert.Equal(await db.ScalarAsync("SELECT COUNT(*) FROM Purchases WHERE Total >= 0"), await db.ScalarAsync("SELECT SUM(OrderCount) FROM Customers"));
    }
}
