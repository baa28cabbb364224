using System.Globalization;
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
            .Where(a => a.Type == ActivityType.Email && a.Status == ActivityStatus.Completed && a.LaunchedAt != null && a.AbTestSharePercent == null)
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

    [Fact]
    public async Task SeedDataAsync_DecidedAbTest_VariantsHaveFiguresAndTheBestOpenRateWon()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 400);

        await db.SeedDataAsync();

        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var activity = await context.MarketingActivities.AsNoTracking().Include(a => a.Variants)
            .SingleAsync(a => a.Type == ActivityType.Email && a.AbTestSharePercent != null);
        Assert.Equal(ActivityStatus.Completed, activity.Status);
        Assert.Equal(AbWinnerMetric.Open, activity.AbWinnerMetric);
        Assert.NotNull(activity.LaunchedAt);
        Assert.Equal(activity.LaunchedAt.Value.AddHours(activity.AbTestHours!.Value), activity.AbDecidedAt);
        Assert.Equal(["A", "B"], activity.Variants.Select(v => v.Label).Order(StringComparer.Ordinal));
        var templates = activity.Variants.Select(v => v.TemplateId).ToList();
        Assert.Equal(2, await context.MessageTemplates.CountAsync(t => templates.Contains(t.Id) && t.Channel == MessageChannel.Email && t.IsMarketing));
        Assert.Equal(2, templates.Distinct().Count());

        var m = (await new CampaignMetricsService(context, new FixedTimeProvider(Now), TestServices.Formatter()).ComputeAsync(activity.Id, default))!;

        Assert.Equal(2, m.Variants.Count);
        Assert.All(m.Variants, v =>
        {
            Assert.True(v.Recipients > 5 && v.Delivered > 0 && v.UniqueOpens > 0 && v.UniqueClicks > 0, $"{v.Label}: {v.Recipients} recipients, {v.Delivered} delivered, {v.UniqueOpens} opens, {v.UniqueClicks} clicks");
            Assert.True(v.UniqueOpens < v.Delivered);
        });
        Assert.True(m.Holdout > 0 && m.UniqueOpens > m.Variants.Sum(v => v.UniqueOpens) && m.ContactConverters > 0);
        Assert.Equal(m.Audience, activity.AudienceCount);

        // The recorded winner is the variant the metrics page shows with the best open rate, better than the other.
        var winner = Assert.Single(m.Variants, v => v.IsWinner);
        Assert.Equal(activity.AbWinnerVariantId, winner.VariantId);
        Assert.All(m.Variants.Where(v => v != winner), v => Assert.True(winner.Score(AbWinnerMetric.Open).Beats(v.Score(AbWinnerMetric.Open)),
            $"{winner.Label} {winner.Rate(AbWinnerMetric.Open)} vs {v.Label} {v.Rate(AbWinnerMetric.Open)}"));

        // Everyone outside the test share got the winner after the decision; nobody is left waiting.
        var inTest = CampaignLaunchService.InAbTestSql("r", activity.Id.ToString(CultureInfo.InvariantCulture), activity.AbTestSharePercent!.Value.ToString(CultureInfo.InvariantCulture));
        var rest = $"FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId WHERE r.ActivityId = {activity.Id} AND r.\"Group\" = 0 AND NOT {inTest}";
        Assert.Equal(m.Treatment - m.Variants.Sum(v => v.Recipients), await db.ScalarAsync("SELECT COUNT(*) " + rest));
        Assert.True(await db.ScalarAsync("SELECT COUNT(*) " + rest) > 3 * m.Variants.Sum(v => v.Recipients));
        Assert.Equal(0L, await db.ScalarAsync($"SELECT COUNT(*) {rest} AND (r.VariantId IS NOT {winner.VariantId} OR r.AwaitingWinner = 1 OR o.Id IS NULL OR o.CreatedAt < '{activity.AbDecidedAt:yyyy-MM-dd HH:mm:ss}')"));
        Assert.Equal(0L, await db.ScalarAsync($"SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = {activity.Id} AND AwaitingWinner = 1"));
        var winnerTemplate = activity.Variants.Single(v => v.Id == winner.VariantId).TemplateId;
        Assert.Equal(0L, await db.ScalarAsync($"SELECT COUNT(*) {rest} AND o.TemplateId IS NOT {winnerTemplate}"));
    }
}
