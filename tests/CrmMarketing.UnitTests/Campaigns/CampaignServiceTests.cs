using System.ComponentModel.DataAnnotations;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Campaigns;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Campaigns;

public class CampaignServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static readonly Actor Marketer = new("marketer-1", "marketer@test.local");

    private async Task AddUserAsync(string id, string name, string role)
    {
        await using var db = _database.CreateContext();
        var roleId = "role-" + role;
        if (!await db.Roles.AnyAsync(r => r.Id == roleId))
        {
            db.Roles.Add(new IdentityRole { Id = roleId, Name = role, NormalizedName = role.ToUpperInvariant() });
        }

        db.Users.Add(new ApplicationUser { Id = id, UserName = name, NormalizedUserName = name.ToUpperInvariant(), Email = name, DisplayName = name });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = id, RoleId = roleId });
        await db.SaveChangesAsync();
    }

    private static ActivityFormModel Form(string name = "Spring sale", Action<ActivityFormModel>? configure = null)
    {
        var form = new ActivityFormModel
        {
            Name = name,
            Type = ActivityType.Email,
            StartDate = new DateOnly(2026, 6, 1),
            EndDate = new DateOnly(2026, 6, 30),
            Budget = 1000m,
        };
        configure?.Invoke(form);
        return form;
    }

    private async Task<int> CreateAsync(ActivityFormModel form)
    {
        await using var db = _database.CreateContext();
        var result = await TestServices.Campaigns(db).CreateAsync(form, Marketer, default);
        Assert.Equal(ActivityOutcome.Saved, result.Outcome);
        return result.Id;
    }

    [Fact]
    public void CanMove_OnlyTheDocumentedLifeCycle_IsAllowed()
    {
        var allowed = new HashSet<(ActivityStatus, ActivityStatus)>
        {
            (ActivityStatus.Draft, ActivityStatus.Scheduled),
            (ActivityStatus.Scheduled, ActivityStatus.Running),
            (ActivityStatus.Running, ActivityStatus.Completed),
            (ActivityStatus.Draft, ActivityStatus.Cancelled),
            (ActivityStatus.Scheduled, ActivityStatus.Cancelled),
            (ActivityStatus.Running, ActivityStatus.Cancelled),
        };
        foreach (var from in Enum.GetValues<ActivityStatus>())
        {
            foreach (var to in Enum.GetValues<ActivityStatus>())
            {
                Assert.Equal(allowed.Contains((from, to)), ActivityRules.CanMove(from, to));
            }
        }

        Assert.Empty(ActivityRules.NextStates(ActivityStatus.Completed));
        Assert.Equal([ActivityStatus.Scheduled, ActivityStatus.Cancelled], ActivityRules.NextStates(ActivityStatus.Draft));
    }

    [Fact]
    public async Task SetStatusAsync_SkippingAStep_IsRefusedAndChangesNothing()
    {
        var id = await CreateAsync(Form());
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);

        var skipped = await service.SetStatusAsync(id, ActivityStatus.Running, Marketer, default);

        Assert.Equal(ActivityOutcome.InvalidTransition, skipped.Outcome);
        Assert.Equal(ActivityStatus.Draft, (await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == id)).Status);
    }

    [Fact]
    public async Task SetStatusAsync_FullLifeCycle_EndsCompletedAndIsAudited()
    {
        // Email, SMS and phone activities start running by being launched; the manual life cycle is for the others.
        var id = await CreateAsync(Form(configure: f => f.Type = ActivityType.OfflineEvent));
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);

        foreach (var next in new[] { ActivityStatus.Scheduled, ActivityStatus.Running, ActivityStatus.Completed })
        {
            Assert.Equal(ActivityOutcome.Saved, (await service.SetStatusAsync(id, next, Marketer, default)).Outcome);
        }

        Assert.Equal(ActivityOutcome.InvalidTransition, (await service.SetStatusAsync(id, ActivityStatus.Cancelled, Marketer, default)).Outcome);
        Assert.Equal(ActivityStatus.Completed, (await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == id)).Status);
        Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.StatusChange && e.EntityId == id.ToString()));
    }

    [Fact]
    public async Task CreateAsync_CouponCode_IsStoredUpperCaseAndUniqueAcrossActivities()
    {
        var id = await CreateAsync(Form(configure: f => f.CouponCode = " spring26 "));
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);

        var second = await service.CreateAsync(Form("Other", f => f.CouponCode = "SPRING26"), Marketer, default);

        Assert.Equal("SPRING26", (await db.MarketingActivities.SingleAsync(a => a.Id == id)).CouponCode);
        Assert.Equal(ActivityOutcome.DuplicateCoupon, second.Outcome);
        Assert.Equal(1, await db.MarketingActivities.CountAsync());
    }

    [Fact]
    public async Task CreateAndUpdate_AttributionModel_IsSavedAuditedAndOpensTheMetricsPage()
    {
        var id = await CreateAsync(Form(configure: f => f.AttributionModel = AttributionModel.Linear));
        await using var db = _database.CreateContext();
        var time = new FixedTimeProvider(TestServices.Now);
        var reports = new CampaignReportService(db, new CampaignMetricsService(db, time, TestServices.Formatter()), time,
            TestServices.Formatter(), TestServices.Audit(db, time), TestServices.Localizer);

        Assert.Equal(AttributionModel.Linear, (await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == id)).AttributionModel);
        Assert.Equal(AttributionModel.Linear, (await reports.GetMetricsPageAsync(id, null, default))!.Model);
        Assert.Equal(AttributionModel.Linear, (await TestServices.Campaigns(db).GetForEditAsync(id, null, default))!.Form.AttributionModel);

        var updated = await TestServices.Campaigns(db).UpdateAsync(id, Form(configure: f =>
        {
            f.AttributionModel = AttributionModel.FirstTouch;
            f.Version = 1;
        }), Marketer, default);

        Assert.Equal(ActivityOutcome.Saved, updated.Outcome);
        var page = (await reports.GetMetricsPageAsync(id, null, default))!;
        Assert.Equal(AttributionModel.FirstTouch, page.Metrics.DefaultModel);
        Assert.Equal(AttributionModel.FirstTouch, page.Model);
        // The per-view override still wins over the saved default.
        Assert.Equal(AttributionModel.LastTouch, (await reports.GetMetricsPageAsync(id, AttributionModel.LastTouch, default))!.Model);
        Assert.Equal(AttributionModel.FirstTouch, (await TestServices.Campaigns(db).GetDetailsAsync(id, null, default))!.AttributionModel);
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.Update && e.EntityId == id.ToString()).SingleAsync();
        Assert.Contains(nameof(MarketingActivity.AttributionModel), audit.Changes, StringComparison.Ordinal);
        Assert.Contains(nameof(AttributionModel.Linear), audit.Changes, StringComparison.Ordinal);
        Assert.Contains(nameof(AttributionModel.FirstTouch), audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_OwnerWithoutMarketingRole_IsRefused()
    {
        await AddUserAsync("sales-1", "sales@test.local", Roles.Sales);
        await AddUserAsync("marketer-1", "marketer@test.local", Roles.Marketer);
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);

        var refused = await service.CreateAsync(Form(configure: f => f.OwnerUserId = "sales-1"), Marketer, default);
        var saved = await service.CreateAsync(Form(configure: f => f.OwnerUserId = "marketer-1"), Marketer, default);

        Assert.Equal(ActivityOutcome.UnknownOwner, refused.Outcome);
        Assert.Equal(ActivityOutcome.Saved, saved.Outcome);
        Assert.Equal("marketer@test.local", (await db.MarketingActivities.SingleAsync()).OwnerName);
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_IsAConflictAndKeepsTheOtherEdit()
    {
        var id = await CreateAsync(Form());
        await using (var first = _database.CreateContext())
        {
            Assert.Equal(ActivityOutcome.Saved, (await TestServices.Campaigns(first).UpdateAsync(id, Form("First edit", f => f.Version = 1), Marketer, default)).Outcome);
        }

        await using var db = _database.CreateContext();
        var stale = await TestServices.Campaigns(db).UpdateAsync(id, Form("Second edit", f => f.Version = 1), Marketer, default);

        Assert.Equal(ActivityOutcome.Conflict, stale.Outcome);
        Assert.Equal("First edit", (await db.MarketingActivities.AsNoTracking().SingleAsync()).Name);
    }

    [Fact]
    public async Task UpdateAsync_CompletedActivity_IsNotEditable()
    {
        var id = await CreateAsync(Form());
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);
        await service.SetStatusAsync(id, ActivityStatus.Cancelled, Marketer, default);
        var version = (await db.MarketingActivities.AsNoTracking().SingleAsync()).Version;

        var result = await service.UpdateAsync(id, Form("Renamed", f => f.Version = version), Marketer, default);

        Assert.Equal(ActivityOutcome.NotEditable, result.Outcome);
    }

    [Fact]
    public async Task Costs_BeyondBudget_ShowSpentRemainingAndOverspend()
    {
        var id = await CreateAsync(Form(configure: f => f.Budget = 500m));
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);
        await service.AddCostAsync(id, new CostFormModel { Date = new DateOnly(2026, 6, 2), Amount = 300.25m, Category = CostCategory.Media }, Marketer, default);
        await service.AddCostAsync(id, new CostFormModel { Date = new DateOnly(2026, 6, 3), Amount = 200m, Category = CostCategory.Media }, Marketer, default);
        await service.AddCostAsync(id, new CostFormModel { Date = new DateOnly(2026, 6, 4), Amount = 49.75m, Category = CostCategory.Creative }, Marketer, default);

        var details = (await service.GetDetailsAsync(id, null, default))!;

        Assert.Equal(550m, details.Spent);
        Assert.Equal(-50m, details.Remaining);
        Assert.True(details.IsOverspent);
        Assert.Equal(110.0m, details.SpentPercent);
        Assert.Equal([new CostByCategory(CostCategory.Media, 500.25m), new CostByCategory(CostCategory.Creative, 49.75m)], details.CostsByCategory);

        var creative = details.Costs.Single(c => c.Category == CostCategory.Creative);
        Assert.Equal(ActivityOutcome.Saved, (await service.RemoveCostAsync(id, creative.Id, Marketer, default)).Outcome);
        var after = (await service.GetDetailsAsync(id, null, default))!;
        Assert.Equal(500.25m, after.Spent);
        Assert.True(after.IsOverspent);
    }

    [Fact]
    public async Task RemoveCostAsync_CostOfAnotherActivity_IsNotFound()
    {
        var first = await CreateAsync(Form("A"));
        var second = await CreateAsync(Form("B"));
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);
        await service.AddCostAsync(first, new CostFormModel { Date = new DateOnly(2026, 6, 2), Amount = 10m }, Marketer, default);
        var costId = (await db.ActivityCosts.SingleAsync()).Id;

        Assert.Equal(ActivityOutcome.NotFound, (await service.RemoveCostAsync(second, costId, Marketer, default)).Outcome);
        Assert.Equal(1, await db.ActivityCosts.CountAsync());
    }

    [Fact]
    public async Task ListAsync_Filters_CombineAndSpentIsSummedPerActivity()
    {
        var june = await CreateAsync(Form("June mail"));
        await CreateAsync(Form("July event", f => { f.Type = ActivityType.OfflineEvent; f.StartDate = new DateOnly(2026, 7, 10); f.EndDate = new DateOnly(2026, 7, 12); }));
        await CreateAsync(Form("May sms", f => { f.Type = ActivityType.Sms; f.StartDate = new DateOnly(2026, 5, 1); f.EndDate = new DateOnly(2026, 5, 31); }));
        await using var db = _database.CreateContext();
        var service = TestServices.Campaigns(db);
        await service.AddCostAsync(june, new CostFormModel { Date = new DateOnly(2026, 6, 2), Amount = 70m }, Marketer, default);
        await service.AddCostAsync(june, new CostFormModel { Date = new DateOnly(2026, 6, 3), Amount = 30m }, Marketer, default);

        var overlapping = await service.ListAsync(new ActivityListQuery { From = new DateOnly(2026, 5, 31), To = new DateOnly(2026, 7, 10) }, default);
        var emails = await service.ListAsync(new ActivityListQuery { Type = ActivityType.Email }, default);
        var byName = await service.ListAsync(new ActivityListQuery { Q = "event" }, default);
        var drafts = await service.ListAsync(new ActivityListQuery { Status = ActivityStatus.Running }, default);

        Assert.Equal(["July event", "June mail", "May sms"], overlapping.Rows.Select(r => r.Name));
        Assert.Equal(100m, Assert.Single(emails.Rows).Spent);
        Assert.Equal("July event", Assert.Single(byName.Rows).Name);
        Assert.Empty(drafts.Rows);
    }

    [Fact]
    public async Task CalendarAsync_ActivityAcrossMonthEnd_AppearsOnEachOfItsDaysInAMondayFirstGrid()
    {
        await CreateAsync(Form("Week-long", f => { f.StartDate = new DateOnly(2026, 6, 29); f.EndDate = new DateOnly(2026, 7, 3); }));
        await using var db = _database.CreateContext();

        var july = await TestServices.Campaigns(db).CalendarAsync(2026, 7, default);

        var days = july.Weeks.SelectMany(w => w).ToList();
        Assert.All(july.Weeks, w => Assert.Equal(DayOfWeek.Monday, w[0].Date.DayOfWeek));
        Assert.Equal(new DateOnly(2026, 6, 29), days[0].Date);
        Assert.Equal(new DateOnly(2026, 8, 2), days[^1].Date);
        var withEntry = days.Where(d => d.Entries.Count > 0).Select(d => d.Date).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => new DateOnly(2026, 6, 29).AddDays(i)), withEntry);
        Assert.False(days[0].InMonth);
        Assert.Equal(new DateOnly(2026, 6, 1), july.Previous);
    }

    [Theory]
    [InlineData("end-before-start")]
    [InlineData("category-goal-without-category")]
    [InlineData("reach-on-email")]
    [InlineData("negative-budget")]
    [InlineData("holdout-too-large")]
    [InlineData("email-without-segment")]
    [InlineData("email-without-template")]
    [InlineData("ab-test-with-one-variant")]
    [InlineData("ab-test-on-sms")]
    [InlineData("ab-test-share-too-small")]
    [InlineData("undefined-attribution-model")]
    public void ActivityFormModel_InvalidPlan_IsRejected(string problem)
    {
        var form = Form(configure: f =>
        {
            f.SegmentId = 1;
            f.TemplateId = 1;
            switch (problem)
            {
                case "end-before-start": f.EndDate = new DateOnly(2026, 5, 31); break;
                case "category-goal-without-category": f.ConversionGoal = ConversionGoal.CategoryPurchase; break;
                case "reach-on-email": f.Reach = 100; break;
                case "negative-budget": f.Budget = -1m; break;
                case "holdout-too-large": f.HoldoutPercent = 60; break;
                case "email-without-segment": f.SegmentId = null; break;
                case "email-without-template": f.TemplateId = null; break;
                case "ab-test-with-one-variant": f.AbTest = true; f.VariantTemplateIds = [1, null, 1]; break;
                case "ab-test-on-sms": f.Type = ActivityType.Sms; f.AbTest = true; f.VariantTemplateIds = [1, 2]; break;
                case "ab-test-share-too-small": f.AbTest = true; f.VariantTemplateIds = [1, 2]; f.AbTestSharePercent = 5; break;
                case "undefined-attribution-model": f.AttributionModel = (AttributionModel)7; break;
            }
        });

        var results = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.NotEmpty(results);
        var good = Form(configure: f => { f.SegmentId = 1; f.AbTest = true; f.VariantTemplateIds = [1, null, 2]; });
        Assert.True(Validator.TryValidateObject(good, new ValidationContext(good), [], validateAllProperties: true));
    }
}
