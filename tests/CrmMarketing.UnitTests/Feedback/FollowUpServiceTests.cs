using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.Customers;
using CrmMarketing.Web.ViewModels.Feedback;
using CrmMarketing.Web.ViewModels.FollowUps;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Feedback;

public sealed class FollowUpServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static FeedbackViewer Sales(string id) => new(id, id + "@test.local", IsAdmin: false, IsMarketer: false);

    private static readonly FeedbackViewer Marketer = new("marketer", "m@test.local", IsAdmin: false, IsMarketer: true);

    private async Task<string> AddUserAsync(string email)
    {
        await using var db = _database.CreateContext();
        var user = new ApplicationUser { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), DisplayName = email, CreatedAt = DateTime.UtcNow };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<int> LogAsync(int customerId, int score, FeedbackOptions? options = null, FixedTimeProvider? time = null, string content = "Late again")
    {
        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db, time, options: options).CreateAsync(
            new FeedbackFormModel { CustomerId = customerId, Score = score, Content = content }, Sales("logger"), default);
        Assert.Equal(FeedbackOutcome.Saved, result.Outcome);
        return result.Id;
    }

    [Fact]
    public async Task CreateFeedback_LowCsat_OpensTaskForOwner_HighDoesNot()
    {
        var owner = await AddUserAsync("owner@test.local");
        var customer = await _database.AddCustomerAsync("Li Lei", c => c.OwnerUserId = owner);

        var low = await LogAsync(customer.Id, 2);
        await LogAsync(customer.Id, 3);

        await using var db = _database.CreateContext();
        var task = await db.FollowUpTasks.AsNoTracking().SingleAsync();
        Assert.Equal((low, owner, "CSAT 2/5 (feedback)"), (task.FeedbackId!.Value, task.AssigneeUserId, task.Reason));
    }

    [Fact]
    public async Task CreateFeedback_NoOwner_AssignsConfiguredDefaultUser()
    {
        var fallback = await AddUserAsync("care@test.local");
        var customer = await _database.AddCustomerAsync("Li Lei");

        await LogAsync(customer.Id, 1, new FeedbackOptions { DefaultAssigneeEmail = "Care@Test.local", FollowUpDueDays = 5 });

        await using var db = _database.CreateContext();
        var task = await db.FollowUpTasks.AsNoTracking().SingleAsync();
        Assert.Equal(fallback, task.AssigneeUserId);
        Assert.Equal(TestServices.Now.UtcDateTime.AddDays(5), task.DueAt);
    }

    [Fact]
    public async Task CreateFeedback_ConfiguredThreshold_OpensTaskForThree()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");

        await LogAsync(customer.Id, 3, new FeedbackOptions { CsatLowThreshold = 3 });

        await using var db = _database.CreateContext();
        Assert.Equal(1, await db.FollowUpTasks.CountAsync());
    }

    [Fact]
    public async Task CreateFeedback_EmailAssigneeOn_QueuesMailToAssignee()
    {
        var owner = await AddUserAsync("owner@test.local");
        var customer = await _database.AddCustomerAsync("Li Lei", c => c.OwnerUserId = owner);

        await LogAsync(customer.Id, 1, new FeedbackOptions { EmailAssignee = true });

        await using var db = _database.CreateContext();
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync();
        Assert.Equal("owner@test.local", message.ToAddress);
        Assert.DoesNotContain("Late again", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_OverdueTasksFlaggedAndMineOnlyForSales()
    {
        var owner = await AddUserAsync("owner@test.local");
        var other = await AddUserAsync("other@test.local");
        var mine = await _database.AddCustomerAsync("Mine", c => c.OwnerUserId = owner);
        var theirs = await _database.AddCustomerAsync("Theirs", c => c.OwnerUserId = other);
        await LogAsync(mine.Id, 1, time: new FixedTimeProvider(TestServices.Now.AddDays(-10)));
        await LogAsync(mine.Id, 2);
        await LogAsync(theirs.Id, 1);

        await using var db = _database.CreateContext();
        var service = TestServices.FollowUps(db);
        var list = await service.ListAsync(new FollowUpListQuery { All = true }, Sales(owner), default);
        var all = await service.ListAsync(new FollowUpListQuery { All = true }, Marketer, default);

        Assert.Equal(2, list.Rows.Count);
        Assert.All(list.Rows, r => Assert.Equal("Mine", r.CustomerName));
        Assert.Equal([true, false], list.Rows.Select(r => r.IsOverdue));
        Assert.Equal(1, list.OverdueCount);
        Assert.False(list.Query.All);
        Assert.Equal(3, all.Rows.Count);
    }

    [Fact]
    public async Task ResolveAsync_ByAssignee_ClosesTaskResolvesFeedbackAndShowsOnTimeline()
    {
        var owner = await AddUserAsync("owner@test.local");
        var customer = await _database.AddCustomerAsync("Li Lei", c => c.OwnerUserId = owner);
        var feedbackId = await LogAsync(customer.Id, 1);
        await using var db = _database.CreateContext();
        var taskId = (await db.FollowUpTasks.AsNoTracking().SingleAsync()).Id;

        var outcome = await TestServices.FollowUps(db).ResolveAsync(taskId, new FollowUpResolveFormModel { Resolution = "Called, sent a voucher" }, Sales(owner), default);

        Assert.Equal(FollowUpOutcome.Saved, outcome);
        var task = await db.FollowUpTasks.AsNoTracking().SingleAsync();
        Assert.Equal((FollowUpStatus.Done, "Called, sent a voucher"), (task.Status, task.Resolution));
        Assert.Equal(FeedbackStatus.Resolved, (await db.Feedback.AsNoTracking().SingleAsync(f => f.Id == feedbackId)).Status);
        var timeline = await new FollowUpTimelineSource(db, TestServices.Localizer).GetAsync(customer.Id, null, 10, default);
        Assert.Contains(timeline, e => e.Kind == FollowUpTimelineSource.Kind && e.Detail == "Called, sent a voucher");
    }

    [Fact]
    public async Task ResolveAsync_SalesOnSomeoneElsesTask_IsForbidden()
    {
        var owner = await AddUserAsync("owner@test.local");
        var customer = await _database.AddCustomerAsync("Li Lei", c => c.OwnerUserId = owner);
        await LogAsync(customer.Id, 1);
        await using var db = _database.CreateContext();
        var taskId = (await db.FollowUpTasks.AsNoTracking().SingleAsync()).Id;

        var outcome = await TestServices.FollowUps(db).ResolveAsync(taskId, new FollowUpResolveFormModel { Resolution = "x" }, Sales("intruder"), default);

        Assert.Equal(FollowUpOutcome.Forbidden, outcome);
        Assert.Equal(FollowUpStatus.Open, (await db.FollowUpTasks.AsNoTracking().SingleAsync()).Status);
    }

    [Fact]
    public async Task SetOwnerAsync_UnknownUser_IsRefused_KnownUserSaved()
    {
        var owner = await AddUserAsync("owner@test.local");
        var customer = await _database.AddCustomerAsync("Li Lei");
        await using var db = _database.CreateContext();
        var service = TestServices.FollowUps(db);

        Assert.Equal(FollowUpOutcome.UnknownUser, await service.SetOwnerAsync(customer.Id, "nobody", TestServices.Actor, default));
        Assert.Equal(FollowUpOutcome.Saved, await service.SetOwnerAsync(customer.Id, owner, TestServices.Actor, default));
        Assert.Equal(owner, (await db.Customers.AsNoTracking().SingleAsync()).OwnerUserId);
    }
}
