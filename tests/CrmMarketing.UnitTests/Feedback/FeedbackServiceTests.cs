using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.Customers;
using CrmMarketing.Web.ViewModels.Feedback;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Feedback;

public sealed class FeedbackServiceTests : IDisposable
{
    private static readonly FeedbackViewer SalesA = new("sales-a", "a@test.local", IsAdmin: false, IsMarketer: false);
    private static readonly FeedbackViewer SalesB = new("sales-b", "b@test.local", IsAdmin: false, IsMarketer: false);
    private static readonly FeedbackViewer Marketer = new("marketer", "m@test.local", IsAdmin: false, IsMarketer: true);
    private static readonly FeedbackViewer Admin = new("admin", "admin@test.local", IsAdmin: true, IsMarketer: false);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static FeedbackFormModel Form(int customerId, int score = 5, string content = "Great service",
        FeedbackCategory category = FeedbackCategory.Service, FeedbackChannel channel = FeedbackChannel.Phone) =>
        new() { CustomerId = customerId, Score = score, Content = content, Category = category, Channel = channel };

    private async Task<int> LogAsync(FeedbackViewer viewer, int customerId, FixedTimeProvider? time = null, int score = 5,
        string content = "Great service", FeedbackCategory category = FeedbackCategory.Service, FeedbackChannel channel = FeedbackChannel.Phone)
    {
        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db, time).CreateAsync(Form(customerId, score, content, category, channel), viewer, default);
        Assert.Equal(FeedbackOutcome.Saved, result.Outcome);
        return result.Id;
    }

    [Fact]
    public async Task CreateAsync_ValidForm_StoresEntryWithAuthorAndAudit()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        await using var db = _database.CreateContext();
        var form = Form(customer.Id, 4, "  Fast delivery  ");
        form.Tags = "Late, late, box";

        var result = await TestServices.Feedback(db).CreateAsync(form, SalesA, default);

        Assert.Equal(FeedbackOutcome.Saved, result.Outcome);
        var saved = await db.Feedback.AsNoTracking().SingleAsync(f => f.Id == result.Id);
        Assert.Equal("Fast delivery", saved.Content);
        Assert.Equal("late,box", saved.Tags);
        Assert.Equal(FeedbackStatus.New, saved.Status);
        Assert.Equal("sales-a", saved.CreatedByUserId);
        Assert.Equal(TestServices.Now.UtcDateTime, saved.CreatedAt);
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.EntityType == AuditEntityTypes.Feedback);
        Assert.DoesNotContain("Fast delivery", audit.Changes ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_UnknownCustomer_ReturnsUnknownCustomer()
    {
        await using var db = _database.CreateContext();

        var result = await TestServices.Feedback(db).CreateAsync(Form(999), SalesA, default);

        Assert.Equal(FeedbackOutcome.UnknownCustomer, result.Outcome);
        Assert.Equal(0, await db.Feedback.CountAsync());
    }

    [Fact]
    public async Task UpdateAsync_OwnEntryWithin24Hours_Saves()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var time = new FixedTimeProvider(TestServices.Now);
        var id = await LogAsync(SalesA, customer.Id, time);
        time.Now = TestServices.Now.AddHours(23).AddMinutes(59);

        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db, time).UpdateAsync(id, Form(customer.Id, 2, "Changed my mind"), SalesA, default);

        Assert.Equal(FeedbackOutcome.Saved, result.Outcome);
        Assert.Equal(2, (await db.Feedback.AsNoTracking().SingleAsync(f => f.Id == id)).Score);
    }

    [Fact]
    public async Task UpdateAsync_OwnEntryAfter24Hours_ReturnsEditWindowClosed()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var time = new FixedTimeProvider(TestServices.Now);
        var id = await LogAsync(SalesA, customer.Id, time);
        time.Now = TestServices.Now.AddHours(24);

        await using var db = _database.CreateContext();
        var service = TestServices.Feedback(db, time);
        var result = await service.UpdateAsync(id, Form(customer.Id, 1), SalesA, default);
        var (editOutcome, model) = await service.GetForEditAsync(id, SalesA, default);

        Assert.Equal(FeedbackOutcome.EditWindowClosed, result.Outcome);
        Assert.Equal(FeedbackOutcome.EditWindowClosed, editOutcome);
        Assert.Null(model);
        Assert.Equal(5, (await db.Feedback.AsNoTracking().SingleAsync(f => f.Id == id)).Score);
    }

    [Fact]
    public async Task UpdateAsync_OtherSalesUsersEntry_ReturnsForbidden()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var id = await LogAsync(SalesA, customer.Id);

        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db).UpdateAsync(id, Form(customer.Id, 1), SalesB, default);

        Assert.Equal(FeedbackOutcome.Forbidden, result.Outcome);
    }

    [Fact]
    public async Task UpdateAsync_AdminAfter24Hours_Saves()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var time = new FixedTimeProvider(TestServices.Now);
        var id = await LogAsync(SalesA, customer.Id, time);
        time.Now = TestServices.Now.AddDays(30);

        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db, time).UpdateAsync(id, Form(customer.Id, 3), Admin, default);

        Assert.Equal(FeedbackOutcome.Saved, result.Outcome);
    }

    [Fact]
    public async Task UpdateAsync_MarketerOnOthersEntry_ReturnsForbidden()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var id = await LogAsync(SalesA, customer.Id);

        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db).UpdateAsync(id, Form(customer.Id, 3), Marketer, default);

        Assert.Equal(FeedbackOutcome.Forbidden, result.Outcome);
    }

    [Fact]
    public async Task SetStatusAsync_Marketer_ChangesStatus()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var id = await LogAsync(SalesA, customer.Id);

        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db).SetStatusAsync(id, FeedbackStatus.Resolved, Marketer, default);

        Assert.Equal(FeedbackOutcome.Saved, result.Outcome);
        Assert.Equal(FeedbackStatus.Resolved, (await db.Feedback.AsNoTracking().SingleAsync(f => f.Id == id)).Status);
    }

    [Fact]
    public async Task SetStatusAsync_Sales_ReturnsForbidden()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var id = await LogAsync(SalesA, customer.Id);

        await using var db = _database.CreateContext();
        var result = await TestServices.Feedback(db).SetStatusAsync(id, FeedbackStatus.Resolved, SalesA, default);

        Assert.Equal(FeedbackOutcome.Forbidden, result.Outcome);
        Assert.Equal(FeedbackStatus.New, (await db.Feedback.AsNoTracking().SingleAsync(f => f.Id == id)).Status);
    }

    [Fact]
    public async Task ListAsync_Sales_SeesOnlyOwnEntriesEvenWhenFilteringByAnotherUser()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var own = await LogAsync(SalesA, customer.Id, content: "mine");
        await LogAsync(SalesB, customer.Id, content: "theirs");

        await using var db = _database.CreateContext();
        var service = TestServices.Feedback(db);
        var list = await service.ListAsync(new FeedbackListQuery(), SalesA, default);
        var filtered = await service.ListAsync(new FeedbackListQuery { Staff = "sales-b" }, SalesA, default);
        var analytics = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, SalesA, TestServices.Localizer, default);

        Assert.Equal([own], list.Rows.Select(r => r.Id));
        Assert.Equal(1, list.TotalCount);
        Assert.Empty(list.Staff);
        Assert.Equal([own], filtered.Rows.Select(r => r.Id));
        Assert.Equal(1, analytics.Overall.Count);
    }

    [Fact]
    public async Task ListAsync_Marketer_SeesAllAndFiltersByStaff()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        await LogAsync(SalesA, customer.Id);
        var theirs = await LogAsync(SalesB, customer.Id);

        await using var db = _database.CreateContext();
        var service = TestServices.Feedback(db);
        var all = await service.ListAsync(new FeedbackListQuery(), Marketer, default);
        var filtered = await service.ListAsync(new FeedbackListQuery { Staff = "sales-b" }, Marketer, default);

        Assert.Equal(2, all.TotalCount);
        Assert.Equal(2, all.Staff.Count);
        Assert.All(all.Rows, r => Assert.False(r.CanEdit));
        Assert.All(all.Rows, r => Assert.True(r.CanChangeStatus));
        Assert.Equal([theirs], filtered.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task ListAsync_TextSearchWithWildcardCharacters_MatchesLiterally()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var hit = await LogAsync(SalesA, customer.Id, content: "Discount of 50% was wrong");
        await LogAsync(SalesA, customer.Id, content: "Discount of 50 was wrong");

        await using var db = _database.CreateContext();
        var list = await TestServices.Feedback(db).ListAsync(new FeedbackListQuery { Q = "50%" }, Admin, default);

        Assert.Equal([hit], list.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task ListAsync_ScoreAndCategoryFilters_Combine()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var hit = await LogAsync(SalesA, customer.Id, score: 2, category: FeedbackCategory.Delivery);
        await LogAsync(SalesA, customer.Id, score: 2, category: FeedbackCategory.Price);
        await LogAsync(SalesA, customer.Id, score: 5, category: FeedbackCategory.Delivery);

        await using var db = _database.CreateContext();
        var list = await TestServices.Feedback(db).ListAsync(
            new FeedbackListQuery { Score = 2, Category = FeedbackCategory.Delivery }, Admin, default);

        Assert.Equal([hit], list.Rows.Select(r => r.Id));
    }

    [Fact]
    public void CsatStats_NoFeedback_HasNoAverageOrPercent()
    {
        var stats = new CsatStats(0, 0, 0);

        Assert.Null(stats.Average);
        Assert.Null(stats.SatisfiedPercent);
    }

    [Fact]
    public async Task GetAnalyticsAsync_NoFeedback_ReturnsEmptyStats()
    {
        await using var db = _database.CreateContext();

        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default);

        Assert.Equal(0, vm.Overall.Count);
        Assert.Null(vm.Overall.Average);
        Assert.Null(vm.Overall.SatisfiedPercent);
        Assert.Empty(vm.ByMonth);
        Assert.Equal([0, 0, 0, 0, 0], vm.Distribution);
        Assert.All(vm.ByCategory, g => Assert.Equal(0, g.Stats.Count));
    }

    [Fact]
    public async Task GetAnalyticsAsync_MixedScores_ComputesCsatAndBreakdowns()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var may = new FixedTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero));
        await LogAsync(SalesA, customer.Id, may, score: 5, category: FeedbackCategory.Product);
        await LogAsync(SalesA, customer.Id, may, score: 4, category: FeedbackCategory.Product, channel: FeedbackChannel.Email);
        await LogAsync(SalesB, customer.Id, score: 3, category: FeedbackCategory.Delivery);
        await LogAsync(SalesB, customer.Id, score: 1, category: FeedbackCategory.Delivery);

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default);

        Assert.Equal(4, vm.Overall.Count);
        Assert.Equal(2, vm.Overall.Satisfied);
        Assert.Equal(3.25, vm.Overall.Average);
        Assert.Equal(50.0, vm.Overall.SatisfiedPercent);
        Assert.Equal([1, 0, 1, 1, 1], vm.Distribution);
        Assert.Equal(["2026-05", "2026-06"], vm.ByMonth.Select(m => m.Key));
        Assert.Equal(100.0, vm.ByMonth[0].Stats.SatisfiedPercent);
        Assert.Equal(0.0, vm.ByMonth[1].Stats.SatisfiedPercent);
        var product = vm.ByCategory.Single(c => c.Key == nameof(FeedbackCategory.Product));
        Assert.Equal(4.5, product.Stats.Average);
        var email = vm.ByChannel.Single(c => c.Key == nameof(FeedbackChannel.Email));
        Assert.Equal(1, email.Stats.Count);
        Assert.Equal(2, vm.ByStaff.Count);
        Assert.Equal(2.0, vm.ByStaff.Single(s => s.Key == "sales-b").Stats.Average);
        Assert.Single(vm.RecentLow);
    }

    [Fact]
    public async Task GetAnalyticsAsync_DateRange_CountsOnlyEntriesInRange()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        var may = new FixedTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero));
        await LogAsync(SalesA, customer.Id, may, score: 1);
        await LogAsync(SalesA, customer.Id, score: 5);

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), Admin, TestServices.Localizer, default);

        Assert.Equal(1, vm.Overall.Count);
        Assert.Equal(5.0, vm.Overall.Average);
    }

    [Fact]
    public async Task GetAnalyticsAsync_LateEveningUtc_CountsInTheConfiguredZonesMonth()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        // 31 May 20:00 UTC is 1 June 04:00 in Shanghai.
        await LogAsync(SalesA, customer.Id, new FixedTimeProvider(new DateTimeOffset(2026, 5, 31, 20, 0, 0, TimeSpan.Zero)));

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db, zone: "Asia/Shanghai").GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default);

        Assert.Equal(["2026-06"], vm.ByMonth.Select(m => m.Key));
    }

    [Fact]
    public async Task Timeline_CustomerWithFeedback_ShowsFeedbackEntry()
    {
        var customer = await _database.AddCustomerAsync("Li Lei");
        await LogAsync(SalesA, customer.Id, content: "Loved the packaging");

        await using var db = _database.CreateContext();
        var timeline = await TestServices.Timeline(db).GetAsync(customer.Id, null, default);

        var entry = Assert.Single(timeline.Entries);
        Assert.Equal(TimelineKinds.Feedback, entry.Kind);
        Assert.Equal("Loved the packaging", entry.Detail);
        Assert.Equal("a@test.local", entry.Author);
    }

    [Fact]
    public async Task LookupAsync_ManyMatches_ReturnsAtMostTenWithMaskedContact()
    {
        for (var i = 0; i < 12; i++)
        {
            var n = i;
            await _database.AddCustomerAsync($"Zhang {n:D2}", c =>
            {
                c.Phone = $"+861380000{n:D4}";
                c.Email = $"zhang{n}@example.com";
                c.EmailKey = Web.Domain.Customer.KeyOf(c.Email);
            });
        }

        await using var db = _database.CreateContext();
        var matches = await TestServices.Customers(db).LookupAsync("zhang", default);

        Assert.Equal(10, matches.Count);
        Assert.Equal("Zhang 00", matches[0].Name);
        Assert.Equal("•••• 0000", matches[0].Contact);
        Assert.DoesNotContain(matches, m => m.Contact!.Contains("138", StringComparison.Ordinal));
    }

    [Fact]
    public void MaskEmail_NormalAddress_KeepsFirstCharacterAndDomain()
    {
        Assert.Equal("w•••@example.com", Web.Services.Customers.CustomerService.MaskEmail("wang@example.com"));
    }
}
