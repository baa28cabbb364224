using System.ComponentModel.DataAnnotations;
using System.Text;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests.Campaigns;

/// <summary>The customer list filtered on an activity's funnel step lists exactly the customers the activity's
/// metrics count at that step; the fixtures are written as a launch and the dispatcher would have left them.</summary>
public class CustomerListActivityFilterTests : IDisposable
{
    private static readonly DateTime Launch = CampaignFixture.Launch;
    private readonly TestDatabase _database;
    private readonly CampaignFixture _fixture;

    public CustomerListActivityFilterTests()
    {
        _database = new TestDatabase();
        _fixture = new CampaignFixture(_database);
    }

    public void Dispose() => _database.Dispose();

    private Task<int> AddActivityAsync(string name, Action<MarketingActivity>? configure = null) => _fixture.ActivityAsync(name, configure);

    /// <summary>A recipient; with a <paramref name="state"/> it gets an outbox message in that state (sent at
    /// <paramref name="sentAt"/>, or at launch, when delivered).</summary>
    private Task<long?> AddRecipientAsync(int activityId, int customerId, OutboxState? state,
        RecipientGroup group = RecipientGroup.Treatment, DateTime? sentAt = null, DateTime? contactedAt = null) =>
        _fixture.RecipientAsync(activityId, customerId, state, sentAt ?? Launch, group, contactedAt);

    private Task AddEventAsync(long? messageId, MessageEventType type, bool bot = false) => _fixture.EventAsync(messageId!.Value, type, bot);

    private Task AddPurchaseAsync(int customerId, DateTime at, decimal total, string? coupon = null, int? productId = null) =>
        _fixture.PurchaseAsync(customerId, at, total, coupon, productId);

    private async Task<int> CustomerAsync(string name) => (await _database.AddCustomerAsync(name)).Id;

    private async Task<ActivityMetrics> MetricsAsync(int activityId)
    {
        await using var db = _database.CreateContext();
        return (await new CampaignMetricsService(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter())
            .ComputeAsync(activityId, default))!;
    }

    private async Task<(int Count, List<int> Ids)> ListAsync(int? activityId, ActivityReach? reached)
    {
        await using var db = _database.CreateContext();
        var vm = await TestServices.Customers(db).ListAsync(new CustomerListQuery { Activity = activityId, Reached = reached, Size = 100 }, default);
        return (vm.Count, vm.Rows.Select(r => r.Id).Order().ToList());
    }

    private static int Figure(ActivityMetrics m, ActivityReach reached) => reached switch
    {
        ActivityReach.Audience => m.Audience,
        ActivityReach.Holdout => m.Holdout,
        ActivityReach.Contacted => m.Contacted,
        ActivityReach.Sent => m.Sent,
        ActivityReach.Delivered => m.Delivered,
        ActivityReach.Opened => m.UniqueOpens,
        ActivityReach.Clicked => m.UniqueClicks,
        ActivityReach.Converted => m.ContactConverters,
        _ => throw new ArgumentOutOfRangeException(nameof(reached)),
    };

    /// <summary>For every step: the list's count is the metrics figure and its rows are the expected customers.</summary>
    private async Task AssertStepsAsync(int activityId, IReadOnlyDictionary<ActivityReach, int[]> expected)
    {
        var m = await MetricsAsync(activityId);
        foreach (var reached in Enum.GetValues<ActivityReach>())
        {
            var (count, ids) = await ListAsync(activityId, reached);
            Assert.True(Figure(m, reached) == count, $"{reached}: metrics {Figure(m, reached)}, list {count}");
            Assert.True(expected[reached].Order().SequenceEqual(ids), $"{reached}: expected [{string.Join(",", expected[reached].Order())}], listed [{string.Join(",", ids)}]");
        }
    }

    /// <summary>An email activity with a coupon and every kind of recipient; returns the activity and the customers.</summary>
    private async Task<(int Id, Dictionary<string, int> C)> EmailFixtureAsync()
    {
        var other = await AddActivityAsync("Other", a => a.CouponCode = "OTHER5");
        var id = await AddActivityAsync("Spring mail", a => a.CouponCode = "SPRING10");
        var c = new Dictionary<string, int>();
        foreach (var name in new[] { "opener", "clicker", "bot", "failed", "queued", "holdout", "buyer", "late", "othercoupon", "owncoupon",
                     "unknowncoupon", "early", "couponOnly", "otherOnly" })
        {
            c[name] = await CustomerAsync(name);
        }

        await AddEventAsync(await AddRecipientAsync(id, c["opener"], OutboxState.Sent), MessageEventType.Open);
        // A click without an open event (images blocked) still counts as opened.
        await AddEventAsync(await AddRecipientAsync(id, c["clicker"], OutboxState.Sent), MessageEventType.Click);
        var bot = await AddRecipientAsync(id, c["bot"], OutboxState.Sent);
        await AddEventAsync(bot, MessageEventType.Open, bot: true);
        await AddEventAsync(bot, MessageEventType.Click, bot: true);
        await AddRecipientAsync(id, c["failed"], OutboxState.Failed);
        await AddRecipientAsync(id, c["queued"], OutboxState.Queued);
        await AddRecipientAsync(id, c["holdout"], null, RecipientGroup.Holdout);
        await AddPurchaseAsync(c["holdout"], Launch.AddDays(2), 80m);
        await AddRecipientAsync(id, c["buyer"], OutboxState.Sent);
        await AddPurchaseAsync(c["buyer"], Launch.AddDays(14), 50m);                       // the window's last instant
        await AddRecipientAsync(id, c["late"], OutboxState.Sent);
        await AddPurchaseAsync(c["late"], Launch.AddDays(14).AddSeconds(1), 50m);
        await AddRecipientAsync(id, c["othercoupon"], OutboxState.Sent);
        await AddPurchaseAsync(c["othercoupon"], Launch.AddDays(1), 40m, coupon: "OTHER5");  // the other activity's conversion
        await AddRecipientAsync(id, c["owncoupon"], OutboxState.Sent);
        await AddPurchaseAsync(c["owncoupon"], Launch.AddDays(1), 30m, coupon: "SPRING10");
        await AddRecipientAsync(id, c["unknowncoupon"], OutboxState.Sent);
        await AddPurchaseAsync(c["unknowncoupon"], Launch.AddDays(1), 20m, coupon: "NOSUCHCODE");
        await AddRecipientAsync(id, c["early"], OutboxState.Sent);
        await AddPurchaseAsync(c["early"], Launch.AddSeconds(-1), 90m);
        // Not a recipient: the coupon converts them for the activity, but not as a contacted recipient.
        await AddPurchaseAsync(c["couponOnly"], Launch.AddDays(3), 25m, coupon: "SPRING10");
        // A recipient of another activity only, who opened and bought: never listed for this one.
        await AddEventAsync(await AddRecipientAsync(other, c["otherOnly"], OutboxState.Sent), MessageEventType.Click);
        await AddPurchaseAsync(c["otherOnly"], Launch.AddDays(1), 60m);
        return (id, c);
    }

    [Fact]
    public async Task ListAsync_EmailActivityEveryStep_ListsExactlyTheCustomersTheMetricsCount()
    {
        var (id, c) = await EmailFixtureAsync();
        string[] delivered = ["opener", "clicker", "bot", "buyer", "late", "othercoupon", "owncoupon", "unknowncoupon", "early"];
        int[] Ids(IEnumerable<string> names) => names.Select(n => c[n]).ToArray();

        await AssertStepsAsync(id, new Dictionary<ActivityReach, int[]>
        {
            [ActivityReach.Audience] = Ids(delivered.Concat(["failed", "queued", "holdout"])),
            [ActivityReach.Holdout] = Ids(["holdout"]),
            [ActivityReach.Contacted] = Ids(delivered),
            [ActivityReach.Sent] = Ids(delivered.Append("failed")),
            [ActivityReach.Delivered] = Ids(delivered),
            [ActivityReach.Opened] = Ids(["opener", "clicker"]),
            [ActivityReach.Clicked] = Ids(["clicker"]),
            [ActivityReach.Converted] = Ids(["buyer", "owncoupon", "unknowncoupon"]),
        });
    }

    [Fact]
    public async Task ListAsync_PhoneActivityWithCategoryGoal_ConvertedFollowsContactAndCategory()
    {
        var shoes = await _database.AddProductAsync("SH-1", 100m, "Shoes");
        var socks = await _database.AddProductAsync("SO-1", 5m, "Socks");
        var id = await AddActivityAsync("Call round", a =>
        {
            a.Type = ActivityType.Phone;
            a.ConversionGoal = ConversionGoal.CategoryPurchase;
            a.GoalCategory = "shoes";
            a.ConversionWindowDays = 7;
        });
        var called = await CustomerAsync("called shoes");
        var calledSocks = await CustomerAsync("called socks");
        var calledLate = await CustomerAsync("called later");
        var notCalled = await CustomerAsync("not called");
        var holdout = await CustomerAsync("holdout");
        await AddRecipientAsync(id, called, null, contactedAt: Launch.AddDays(1));
        await AddPurchaseAsync(called, Launch.AddDays(3), 100m, productId: shoes.Id);
        await AddRecipientAsync(id, calledSocks, null, contactedAt: Launch.AddDays(1));
        await AddPurchaseAsync(calledSocks, Launch.AddDays(3), 5m, productId: socks.Id);
        // Called ten days after launch: a purchase on day five came before the contact.
        await AddRecipientAsync(id, calledLate, null, contactedAt: Launch.AddDays(10));
        await AddPurchaseAsync(calledLate, Launch.AddDays(5), 100m, productId: shoes.Id);
        await AddRecipientAsync(id, notCalled, null);
        await AddPurchaseAsync(notCalled, Launch.AddDays(2), 100m, productId: shoes.Id);
        await AddRecipientAsync(id, holdout, null, RecipientGroup.Holdout);
        await AddPurchaseAsync(holdout, Launch.AddDays(2), 100m, productId: shoes.Id);

        await AssertStepsAsync(id, new Dictionary<ActivityReach, int[]>
        {
            [ActivityReach.Audience] = [called, calledSocks, calledLate, notCalled, holdout],
            [ActivityReach.Holdout] = [holdout],
            [ActivityReach.Contacted] = [called, calledSocks, calledLate],
            [ActivityReach.Sent] = [],
            [ActivityReach.Delivered] = [],
            [ActivityReach.Opened] = [],
            [ActivityReach.Clicked] = [],
            [ActivityReach.Converted] = [called],
        });
    }

    [Fact]
    public async Task ListAsync_ActivityFilter_CombinesWithTheOtherFilters()
    {
        var (id, c) = await EmailFixtureAsync();
        await using var db = _database.CreateContext();

        var vm = await TestServices.Customers(db).ListAsync(
            new CustomerListQuery { Activity = id, Reached = ActivityReach.Delivered, Q = "o", Size = 100 }, default);

        Assert.Equal([c["opener"], c["othercoupon"], c["owncoupon"]], vm.Rows.Select(r => r.Id).Order());
        Assert.Equal("Spring mail", vm.ActivityName);
    }

    [Fact]
    public async Task ListAsync_UnknownActivity_ListsNobody()
    {
        await EmailFixtureAsync();

        var (count, ids) = await ListAsync(9999, ActivityReach.Audience);

        Assert.Equal(0, count);
        Assert.Empty(ids);
    }

    [Fact]
    public async Task ListAsync_ReachedWithoutActivity_IsIgnored()
    {
        await EmailFixtureAsync();

        var (count, _) = await ListAsync(null, ActivityReach.Converted);

        Assert.Equal(14, count);
    }

    [Fact]
    public void Validate_UndefinedReach_IsAnError()
    {
        var query = new CustomerListQuery { Activity = 1, Reached = (ActivityReach)99 };

        var errors = query.Validate(new ValidationContext(query)).ToList();

        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(CustomerListQuery.Reached)));
    }

    [Fact]
    public void ToRouteValues_ActivityStep_IsCarriedAndDroppedWithoutActivity()
    {
        var values = new CustomerListQuery { Activity = 7, Reached = ActivityReach.Opened }.ToRouteValues();
        var orphan = new CustomerListQuery { Reached = ActivityReach.Opened }.ToRouteValues();

        Assert.Equal("7", values["activity"]);
        Assert.Equal("opened", values["reached"]);
        Assert.False(orphan.ContainsKey("reached"));
    }

    [Fact]
    public async Task WriteCsvAsync_ActivityStep_ExportsExactlyThoseCustomers()
    {
        var (id, c) = await EmailFixtureAsync();
        await using var db = _database.CreateContext();
        var export = new CustomerExportService(db, TestServices.Customers(db), TestServices.Audit(db), new FixedTimeProvider(TestServices.Now),
            TestServices.Formatter(), TestServices.Localizer, NullLogger<CustomerExportService>.Instance);
        using var stream = new MemoryStream();

        var count = await export.WriteCsvAsync(new CustomerListQuery { Activity = id, Reached = ActivityReach.Converted }, stream, default);

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(3, count);
        Assert.Equal([c["buyer"], c["owncoupon"], c["unknowncoupon"]], lines.Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).Order());
    }
}
