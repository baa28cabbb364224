using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using CrmMarketing.Web.ViewModels.Dashboard;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests;

public class DashboardServiceTests : IDisposable
{
    private static readonly DateTime Now = TestServices.Now.UtcDateTime; // 2026-06-15 12:00 UTC
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now);
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static DashboardService Service(CrmDbContext db) =>
        new(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter());

    private async Task BuyAsync(Customer customer, Product product, DateTime at, int quantity)
    {
        await using var db = _database.CreateContext();
        var form = new PurchaseFormModel
        {
            PurchasedAt = at,
            Lines = [new PurchaseLineFormModel { ProductId = product.Id, Quantity = quantity }],
        };
        await TestServices.Purchases(db).RecordAsync(customer.Id, form, TestServices.Actor, default);
    }

    private async Task<(Customer A, Customer B, Product P)> SeedAsync()
    {
        var a = await _database.AddCustomerAsync("A", c => { c.City = "上海"; c.Region = "上海市"; });
        var b = await _database.AddCustomerAsync("B", c => { c.City = "北京"; c.Region = "北京市"; });
        var archived = await _database.AddCustomerAsync("C", c => { c.City = "北京"; c.Region = "北京市"; });
        var p = await _database.AddProductAsync("P", 10.125m);
        await BuyAsync(a, p, Now.AddDays(-3), 2);        // range: 20.25
        await BuyAsync(a, p, Now.AddDays(-45), 1);       // previous range: 10.125; A's first purchase
        await BuyAsync(b, p, Now.AddDays(-12), -1);      // range: a return of −10.125, not an order
        await BuyAsync(b, p, Now.AddDays(-10), 1);       // range: 10.125; B's first order
        await BuyAsync(archived, p, Now.AddDays(-5), 7); // archived: left out everywhere
        await using var db = _database.CreateContext();
        await db.Customers.Where(c => c.Id == archived.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsArchived, true));
        return (a, b, p);
    }

    [Fact]
    public async Task GetAsync_HandComputedPurchases_KpisAgainstThePreviousPeriod()
    {
        await SeedAsync();
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetAsync(new DashboardQuery { Days = 30 }, default);

        Assert.Equal(new DashboardPeriod(Today.AddDays(-29), Today), vm.Period);
        Assert.Equal(30, vm.Preset);
        var k = vm.Kpis;
        Assert.Equal(new Kpi(2, 2), k.Customers);
        Assert.Equal(0m, k.Customers.Change);
        Assert.Equal(new Kpi(1, 1), k.NewCustomers);
        Assert.Equal(new Kpi(2, 1), k.ActiveCustomers);
        Assert.Equal(new Kpi(20.25m, 10.125m), k.Revenue);
        Assert.Equal(1m, k.Revenue.Change);
        Assert.Equal(new Kpi(2, 1), k.Orders);
        Assert.Equal(new RatioKpi(10.125m, 10.125m), k.AverageOrderValue);
        Assert.Equal(0m, k.AverageOrderValue.Change);
        Assert.Equal(new RatioKpi(0m, 0m), k.RepeatPurchaseRate);
        Assert.Null(k.RepeatPurchaseRate.Change);
    }

    [Fact]
    public async Task GetAsync_Series_DailyBucketsSumToTheKpis()
    {
        await SeedAsync();
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetAsync(new DashboardQuery { Days = 30 }, default);

        Assert.Equal(30, vm.Series.Count);
        Assert.All(vm.Series, t => Assert.Equal(t.Start, t.End));
        Assert.Equal(20.25m, vm.Series.Sum(t => t.Revenue));
        Assert.Equal(2, vm.Series.Sum(t => t.Orders));
        Assert.Equal(-10.125m, vm.Series.Single(t => t.Start == Today.AddDays(-12)).Revenue);
        // A return is not a first purchase: B's first order is 10 days ago.
        Assert.Equal(1, vm.Series.Single(t => t.Start == Today.AddDays(-10)).NewCustomers);
        Assert.Equal(20.25m, vm.Series.Single(t => t.Start == Today.AddDays(-3)).Revenue);
    }

    [Fact]
    public async Task GetAsync_Breakdowns_RegionsCitiesProductsAndTheirFilters()
    {
        var (a, b, p) = await SeedAsync();
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetAsync(new DashboardQuery { Days = 30 }, default);

        Assert.Equal(["上海市", "北京市"], vm.Regions.Select(r => r.Label));
        Assert.Equal([20.25m, 0m], vm.Regions.Select(r => r.Revenue));
        Assert.Equal([1, 1], vm.Regions.Select(r => r.Orders));
        var product = Assert.Single(vm.TopProducts);
        Assert.Equal(p.Id, product.ProductId);
        Assert.Equal(20.25m, product.Revenue);
        Assert.Equal(2, product.Units);
        Assert.Equal(2, product.Buyers);
        Assert.Equal(p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), product.Filter["product"]);
        Assert.Equal("北京市", vm.Regions[1].Filter!["region"]);
        Assert.Equal(vm.Period.From.ToString("yyyy-MM-dd"), vm.Regions[1].Filter!["purchasedFrom"]);
    }

    [Fact]
    public async Task GetAsync_DrillDownFilters_SelectExactlyTheCustomersBehindTheBar()
    {
        var (a, b, _) = await SeedAsync();
        await using var db = _database.CreateContext();
        var vm = await Service(db).GetAsync(new DashboardQuery { Days = 30 }, default);
        var customers = TestServices.Customers(db);

        async Task<int[]> ListAsync(IReadOnlyDictionary<string, string> filter)
        {
            var q = new CustomerListQuery
            {
                Region = filter.GetValueOrDefault("region"),
                PurchasedFrom = filter.TryGetValue("purchasedFrom", out var pf) ? DateOnly.Parse(pf, System.Globalization.CultureInfo.InvariantCulture) : null,
                PurchasedTo = filter.TryGetValue("purchasedTo", out var pt) ? DateOnly.Parse(pt, System.Globalization.CultureInfo.InvariantCulture) : null,
                FirstPurchaseFrom = filter.TryGetValue("firstPurchaseFrom", out var ff) ? DateOnly.Parse(ff, System.Globalization.CultureInfo.InvariantCulture) : null,
                FirstPurchaseTo = filter.TryGetValue("firstPurchaseTo", out var ft) ? DateOnly.Parse(ft, System.Globalization.CultureInfo.InvariantCulture) : null,
                Product = filter.TryGetValue("product", out var pr) ? int.Parse(pr, System.Globalization.CultureInfo.InvariantCulture) : null,
                Size = 100,
            };
            return (await customers.ListAsync(q, default)).Rows.Select(r => r.Id).Order().ToArray();
        }

        Assert.Equal([b.Id], await ListAsync(vm.Regions.Single(r => r.Label == "北京市").Filter!));
        Assert.Equal([b.Id], await ListAsync(vm.NewCustomersFilter));
        Assert.Equal(new[] { a.Id, b.Id }.Order(), await ListAsync(vm.PurchasedFilter));
        Assert.Equal([a.Id], await ListAsync(vm.Series.Single(t => t.Start == Today.AddDays(-3)).PurchasedFilter));
        Assert.Equal(new[] { a.Id, b.Id }.Order(), await ListAsync(vm.TopProducts[0].Filter));
    }

    [Fact]
    public async Task GetAsync_NoPurchases_ZerosAndUndefinedRatios()
    {
        await _database.AddCustomerAsync("Only");
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetAsync(new DashboardQuery(), default);

        Assert.Equal(30, vm.Period.Days);
        Assert.Equal(new Kpi(1, 1), vm.Kpis.Customers);
        Assert.Equal(new Kpi(0, 0), vm.Kpis.Revenue);
        Assert.Null(vm.Kpis.Revenue.Change);
        Assert.Null(vm.Kpis.AverageOrderValue.Current);
        Assert.Null(vm.Kpis.RepeatPurchaseRate.Current);
        Assert.Equal(30, vm.Series.Count);
        Assert.All(vm.Series, t => Assert.Equal(0m, t.Revenue));
        Assert.Empty(vm.Regions);
        Assert.Empty(vm.TopProducts);
        Assert.All(vm.Segments, s => Assert.Equal(0, s.Customers));
    }

    [Fact]
    public async Task GetAsync_OneCustomerTwoOrders_RepeatRateIsOne()
    {
        var a = await _database.AddCustomerAsync("A");
        var p = await _database.AddProductAsync("P", 5m);
        await BuyAsync(a, p, Now.AddDays(-2), 1);
        await BuyAsync(a, p, Now.AddDays(-1), 3);
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetAsync(new DashboardQuery { Days = 7 }, default);

        Assert.Equal(1m, vm.Kpis.RepeatPurchaseRate.Current);
        Assert.Null(vm.Kpis.RepeatPurchaseRate.Previous);
        Assert.Equal(10m, vm.Kpis.AverageOrderValue.Current);
        Assert.Equal(new Kpi(1, 0), vm.Kpis.NewCustomers);
        Assert.Null(vm.Kpis.NewCustomers.Change);
    }

    [Fact]
    public async Task GetAsync_RefundsOnly_NegativeRevenueWithoutOrders()
    {
        var a = await _database.AddCustomerAsync("A");
        var p = await _database.AddProductAsync("P", 5m);
        await BuyAsync(a, p, Now.AddDays(-40), 2);
        await BuyAsync(a, p, Now.AddDays(-2), -2);
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetAsync(new DashboardQuery { Days = 30 }, default);

        Assert.Equal(new Kpi(-10m, 10m), vm.Kpis.Revenue);
        Assert.Equal(-2m, vm.Kpis.Revenue.Change);
        Assert.Equal(new Kpi(0, 1), vm.Kpis.Orders);
        Assert.Equal(new Kpi(0, 1), vm.Kpis.ActiveCustomers);
        Assert.Equal(-1m, vm.Kpis.ActiveCustomers.Change);
        Assert.Null(vm.Kpis.AverageOrderValue.Current);
        Assert.Null(vm.Kpis.AverageOrderValue.Change);
        Assert.Equal(-2, Assert.Single(vm.TopProducts).Units);
    }

    [Fact]
    public async Task GetAsync_YearRange_MonthlyBucketsClippedToTheRange()
    {
        var a = await _database.AddCustomerAsync("A");
        var p = await _database.AddProductAsync("P", 1m);
        await BuyAsync(a, p, Now.AddDays(-300), 1);
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetAsync(new DashboardQuery { Days = 365 }, default);

        Assert.Equal(Granularity.Month, vm.Period.Granularity);
        Assert.Equal(13, vm.Series.Count);
        Assert.Equal(vm.Period.From, vm.Series[0].Start);
        Assert.Equal(Today, vm.Series[^1].End);
        Assert.Equal(1m, vm.Series.Sum(t => t.Revenue));
    }

    [Theory]
    [InlineData(1, Granularity.Day)]
    [InlineData(31, Granularity.Day)]
    [InlineData(32, Granularity.Week)]
    [InlineData(183, Granularity.Week)]
    [InlineData(184, Granularity.Month)]
    [InlineData(365, Granularity.Month)]
    public void GranularityFor_RangeLength_PicksBucketSize(int days, Granularity expected) =>
        Assert.Equal(expected, DashboardPeriod.GranularityFor(days));

    [Fact]
    public void Buckets_Weeks_StartOnMondayAndAreClipped()
    {
        // 2026-06-03 is a Wednesday; 40 days end on 2026-07-12, a Sunday.
        var period = new DashboardPeriod(new DateOnly(2026, 6, 3), new DateOnly(2026, 7, 12));

        var buckets = DashboardService.Buckets(period).ToList();

        Assert.Equal(6, buckets.Count);
        Assert.Equal((new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 3), new DateOnly(2026, 6, 7)), buckets[0]);
        Assert.Equal((new DateOnly(2026, 7, 6), new DateOnly(2026, 7, 6), new DateOnly(2026, 7, 12)), buckets[^1]);
    }

    [Fact]
    public void Resolve_Variants_PresetRangeAndDefaults()
    {
        Assert.Equal(new DashboardPeriod(Today.AddDays(-6), Today), DashboardPeriod.Resolve(new DashboardQuery { Days = 7 }, Today));
        Assert.Equal(new DashboardPeriod(Today.AddDays(-29), Today), DashboardPeriod.Resolve(new DashboardQuery(), Today));
        var from = new DateOnly(2026, 1, 1);
        Assert.Equal(new DashboardPeriod(from, new DateOnly(2026, 1, 30)), DashboardPeriod.Resolve(new DashboardQuery { From = from }, Today));
        Assert.Equal(new DashboardPeriod(from, new DateOnly(2026, 2, 10)),
            DashboardPeriod.Resolve(new DashboardQuery { From = from, To = new DateOnly(2026, 2, 10) }, Today));
        var p = new DashboardPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 10));
        Assert.Equal((new DateOnly(2026, 2, 19), new DateOnly(2026, 2, 28)), (p.PreviousFrom, p.PreviousTo));
    }

    [Theory]
    [InlineData(10, 5, 1)]
    [InlineData(5, 10, -0.5)]
    [InlineData(0, 4, -1)]
    [InlineData(-5, 10, -1.5)]
    [InlineData(5, -10, 1.5)]
    public void KpiChange_AgainstPrevious_IsRelativeToItsMagnitude(int current, int previous, double expected) =>
        Assert.Equal((decimal)expected, new Kpi(current, previous).Change);

    [Fact]
    public void KpiChange_PreviousZero_IsUndefined()
    {
        Assert.Null(new Kpi(7, 0).Change);
        Assert.Null(new Kpi(0, 0).Change);
        Assert.Null(new RatioKpi(3m, null).Change);
        Assert.Null(new RatioKpi(3m, 0m).Change);
    }

    [Fact]
    public async Task GetSalesHomeAsync_OnlyTheUsersOwnCallsAndFeedback()
    {
        var mine = await _database.AddCustomerAsync("Mine");
        var theirs = await _database.AddCustomerAsync("Theirs");
        await using var db = _database.CreateContext();
        db.CustomerCalls.Add(new CustomerCall { CustomerId = mine.Id, CalledAt = Now.AddHours(-2), CreatedByUserId = "sales-1", CreatedByName = "S", FollowUpOn = Today.AddDays(2) });
        db.CustomerCalls.Add(new CustomerCall { CustomerId = theirs.Id, CalledAt = Now.AddHours(-1), CreatedByUserId = "sales-2", CreatedByName = "T", FollowUpOn = Today });
        db.Feedback.Add(new Web.Domain.Feedback { CustomerId = mine.Id, Content = "ok", Score = 4, CreatedAt = Now.AddHours(-3), UpdatedAt = Now, CreatedByUserId = "sales-1" });
        db.Feedback.Add(new Web.Domain.Feedback { CustomerId = theirs.Id, Content = "no", Score = 1, CreatedAt = Now.AddHours(-3), UpdatedAt = Now, CreatedByUserId = "sales-2" });
        await db.SaveChangesAsync();

        var vm = await Service(db).GetSalesHomeAsync("sales-1", default);

        Assert.Equal([mine.Id], vm.Calls.Select(c => c.CustomerId));
        Assert.Equal([mine.Id], vm.FollowUps.Select(c => c.CustomerId));
        Assert.Equal([mine.Id], vm.Feedback.Select(f => f.CustomerId));
        var customer = Assert.Single(vm.Customers);
        Assert.Equal(2, customer.Contacts);
        Assert.Equal(Now.AddHours(-2), customer.LastContact);
    }
}
