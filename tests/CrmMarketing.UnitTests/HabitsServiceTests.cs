using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.ViewModels.Analytics;
using CrmMarketing.Web.ViewModels.Customers;

namespace CrmMarketing.UnitTests;

public class HabitsServiceTests : IDisposable
{
    private static readonly DateTime Now = TestServices.Now.UtcDateTime; // 2026-06-15 12:00 UTC, a Monday
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private HabitsService Service(Web.Data.CrmDbContext db, string zone = "UTC") =>
        new(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter(zone), TestServices.Localizer);

    private async Task<HabitsViewModel> HabitsAsync(RfmSegment? segment = null, string zone = "UTC")
    {
        await using var db = _database.CreateContext();
        return await Service(db, zone).GetHabitsAsync(new HabitsQuery { Segment = segment }, default);
    }

    private async Task<CohortsViewModel> CohortsAsync()
    {
        await using var db = _database.CreateContext();
        return await Service(db).GetCohortsAsync(default);
    }

    private async Task<CustomerHabitsViewModel> CustomerAsync(int id)
    {
        await using var db = _database.CreateContext();
        return await Service(db).GetCustomerHabitsAsync(id, default);
    }

    private static DateTime Utc(int year, int month, int day, int hour = 12, int minute = 0) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    private async Task BuyAsync(int customerId, DateTime at, decimal total, PurchaseChannel channel = PurchaseChannel.Online,
        params (Product Product, int Quantity, decimal Amount)[] lines)
    {
        await using var db = _database.CreateContext();
        db.Purchases.Add(new Purchase
        {
            OrderNumber = "T-" + Guid.NewGuid().ToString("N"),
            CustomerId = customerId,
            PurchasedAt = at,
            Channel = channel,
            Total = total,
            CreatedAt = at,
            Lines = [.. lines.Select(x => new PurchaseLine { ProductId = x.Product.Id, Quantity = x.Quantity, UnitPrice = x.Amount / x.Quantity, Amount = x.Amount })],
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task GetHabitsAsync_NoPurchases_ReturnsEmptyFigures()
    {
        await _database.AddCustomerAsync("Nobody");

        var vm = await HabitsAsync();

        Assert.Equal((0, 0, (decimal?)null, (decimal?)null), (vm.Buyers, vm.RepeatBuyers, vm.RepeatRate, vm.MedianGapDays));
        Assert.Empty(vm.CategoriesByRevenue);
        Assert.Empty(vm.ProductsByBuyers);
        Assert.Empty(vm.Channels);
        Assert.Equal(7 * 24, vm.Heatmap.Count);
        Assert.All(vm.Heatmap, c => Assert.Equal((0, 0), (c.Orders, c.Level)));
    }

    [Fact]
    public async Task GetHabitsAsync_RefundsAndArchived_AreNotOrders()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        var c = await _database.AddCustomerAsync("C");
        var archived = await _database.AddCustomerAsync("Archived", x => x.IsArchived = true);
        await BuyAsync(a.Id, Utc(2026, 5, 1), 10m);
        await BuyAsync(a.Id, Utc(2026, 5, 3), 10m);
        await BuyAsync(b.Id, Utc(2026, 5, 1), 10m);
        await BuyAsync(b.Id, Utc(2026, 5, 2), -10m); // a refund is not a second order
        await BuyAsync(c.Id, Utc(2026, 5, 2), -5m); // only a refund: not a buyer
        await BuyAsync(archived.Id, Utc(2026, 5, 1), 10m);
        await BuyAsync(archived.Id, Utc(2026, 5, 9), 10m);

        var vm = await HabitsAsync();

        Assert.Equal((2, 1, 0.5m), (vm.Buyers, vm.RepeatBuyers, vm.RepeatRate));
        Assert.Equal(2m, vm.MedianGapDays); // A's only gap; B's refund makes no gap
    }

    [Fact]
    public async Task GetHabitsAsync_OddNumberOfGaps_MedianIsMiddleGap()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        await BuyAsync(a.Id, Utc(2026, 1, 1), 10m);
        await BuyAsync(a.Id, Utc(2026, 1, 11), 10m);
        await BuyAsync(a.Id, Utc(2026, 1, 31), 10m);
        await BuyAsync(b.Id, Utc(2026, 3, 1), 10m);
        await BuyAsync(b.Id, Utc(2026, 3, 5), 10m);

        var vm = await HabitsAsync(); // gaps 10, 20, 4

        Assert.Equal(10m, vm.MedianGapDays);
    }

    [Fact]
    public async Task GetHabitsAsync_EvenNumberOfGaps_MedianIsMeanOfMiddleTwo()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        var c = await _database.AddCustomerAsync("C");
        await BuyAsync(a.Id, Utc(2026, 1, 1), 10m);
        await BuyAsync(a.Id, Utc(2026, 1, 11), 10m);
        await BuyAsync(a.Id, Utc(2026, 1, 31), 10m);
        await BuyAsync(b.Id, Utc(2026, 3, 1), 10m);
        await BuyAsync(b.Id, Utc(2026, 3, 5), 10m);
        await BuyAsync(c.Id, Utc(2026, 4, 1), 10m);
        await BuyAsync(c.Id, Utc(2026, 4, 8), 10m);

        var vm = await HabitsAsync(); // gaps 4, 7, 10, 20

        Assert.Equal(8.5m, vm.MedianGapDays);
    }

    [Fact]
    public async Task GetHabitsAsync_Heatmap_BucketsInDisplayZone()
    {
        var a = await _database.AddCustomerAsync("A");
        await BuyAsync(a.Id, Utc(2026, 6, 14, 20, 30), 10m); // Sunday 20:30 UTC = Monday 04:30 in Shanghai
        await BuyAsync(a.Id, Utc(2026, 6, 14, 20, 45), -3m); // refund: not an order

        var vm = await HabitsAsync(zone: "Asia/Shanghai");

        var cell = Assert.Single(vm.Heatmap, c => c.Orders > 0);
        Assert.Equal((DayOfWeek.Monday, 4, 1, 5), (cell.Day, cell.Hour, cell.Orders, cell.Level));
    }

    [Fact]
    public async Task GetHabitsAsync_Heatmap_UsesOffsetInForceAtEachPurchase()
    {
        var a = await _database.AddCustomerAsync("A");
        await BuyAsync(a.Id, Utc(2026, 1, 15, 15), 10m); // Thursday, EST (UTC−5): 10:00
        await BuyAsync(a.Id, Utc(2026, 7, 16, 15), 10m); // Thursday, EDT (UTC−4): 11:00

        var vm = await HabitsAsync(zone: "America/New_York");

        Assert.Equal([(DayOfWeek.Thursday, 10), (DayOfWeek.Thursday, 11)],
            vm.Heatmap.Where(c => c.Orders > 0).Select(c => (c.Day, c.Hour)));
    }

    [Fact]
    public async Task GetHabitsAsync_PurchasesBefore1970_BucketOnTheirOwnWeekdayAndHour()
    {
        var a = await _database.AddCustomerAsync("A");
        await BuyAsync(a.Id, Utc(1969, 12, 31, 23, 30), 10m); // a Wednesday, before the Unix epoch
        await BuyAsync(a.Id, Utc(1970, 1, 1, 0, 15), 10m); // a Thursday

        var vm = await HabitsAsync();

        Assert.Equal([(DayOfWeek.Wednesday, 23), (DayOfWeek.Thursday, 0)],
            vm.Heatmap.Where(c => c.Orders > 0).Select(c => (c.Day, c.Hour)));
    }

    [Fact]
    public async Task GetHabitsAsync_RefundOnlyChannelAndHour_ListedWithoutOrders()
    {
        var a = await _database.AddCustomerAsync("A");
        await BuyAsync(a.Id, Utc(2026, 6, 1, 9), 40m, PurchaseChannel.Online); // Monday 09:00
        await BuyAsync(a.Id, Utc(2026, 6, 2, 17), -15m, PurchaseChannel.Phone); // Tuesday 17:00, a refund by phone

        var vm = await HabitsAsync();

        Assert.Equal([(DayOfWeek.Monday, 9, 1, 5)], vm.Heatmap.Where(c => c.Orders > 0).Select(c => (c.Day, c.Hour, c.Orders, c.Level)));
        Assert.Equal(0, vm.Heatmap.Single(c => c.Day == DayOfWeek.Tuesday && c.Hour == 17).Orders);
        Assert.Equal(
            [(PurchaseChannel.Online, 1L, 40m, 1m), (PurchaseChannel.Phone, 0L, -15m, 0m)],
            vm.Channels.Select(c => (c.Channel, c.Orders, c.Revenue, c.OrderShare)));
    }

    [Fact]
    public async Task GetHabitsAsync_OrdersAtTheSameInstant_GapIsZero()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        await BuyAsync(a.Id, Utc(2026, 2, 1), 10m);
        await BuyAsync(a.Id, Utc(2026, 2, 1), 20m);
        await BuyAsync(a.Id, Utc(2026, 2, 7), 30m);
        await BuyAsync(b.Id, Utc(2026, 2, 1), 10m);
        await BuyAsync(b.Id, Utc(2026, 2, 4), 10m);

        var vm = await HabitsAsync(); // gaps 0, 6 and 3

        Assert.Equal((2, 2, 3m), (vm.Buyers, vm.RepeatBuyers, vm.MedianGapDays));
    }

    [Fact]
    public async Task GetHabitsAsync_EqualRevenue_RanksByLabel()
    {
        var b = await _database.AddProductAsync("B-1", 10m, "Beta");
        var a = await _database.AddProductAsync("A-1", 10m, "Alpha");
        var customer = await _database.AddCustomerAsync("A");
        await BuyAsync(customer.Id, Utc(2026, 5, 1), 20m, PurchaseChannel.Online, (b, 1, 10m), (a, 1, 10m));

        var vm = await HabitsAsync();

        Assert.Equal(["Alpha", "Beta"], vm.CategoriesByRevenue.Select(r => r.Label));
        Assert.Equal(["Product A-1 (A-1)", "Product B-1 (B-1)"], vm.ProductsByBuyers.Select(r => r.Label));
    }

    [Fact]
    public async Task GetHabitsAsync_TopItemsAndChannels_RankByRevenueAndBuyers()
    {
        var tea = await _database.AddProductAsync("TEA", 5m, "Drinks");
        var cake = await _database.AddProductAsync("CAKE", 50m, "Food");
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        await BuyAsync(a.Id, Utc(2026, 5, 1), 105m, PurchaseChannel.Online, (tea, 1, 5m), (cake, 2, 100m));
        await BuyAsync(b.Id, Utc(2026, 5, 2), 10m, PurchaseChannel.Store, (tea, 2, 10m));
        await BuyAsync(a.Id, Utc(2026, 5, 3), -50m, PurchaseChannel.Online, (cake, -1, -50m));

        var vm = await HabitsAsync();

        Assert.Equal([("Food", 50m, 1), ("Drinks", 15m, 2)], vm.CategoriesByRevenue.Select(r => (r.Label, r.Revenue, r.Buyers)));
        Assert.Equal(["Drinks", "Food"], vm.CategoriesByBuyers.Select(r => r.Label));
        Assert.Equal(["Product CAKE (CAKE)", "Product TEA (TEA)"], vm.ProductsByRevenue.Select(r => r.Label));
        Assert.Equal(["Product TEA (TEA)", "Product CAKE (CAKE)"], vm.ProductsByBuyers.Select(r => r.Label));
        Assert.Equal(
            [(PurchaseChannel.Online, 1L, 55m), (PurchaseChannel.Store, 1L, 10m)],
            vm.Channels.Select(c => (c.Channel, c.Orders, c.Revenue)));
        Assert.Equal(0.5m, vm.Channels[0].OrderShare);
    }

    [Fact]
    public async Task GetHabitsAsync_Segment_OnlyCustomersInTheSegment()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        await BuyAsync(a.Id, Utc(2026, 5, 1), 10m);
        await BuyAsync(a.Id, Utc(2026, 5, 2), 10m);
        await BuyAsync(b.Id, Utc(2026, 5, 1), 10m);
        await using (var db = _database.CreateContext())
        {
            db.CustomerRfm.Add(new CustomerRfm { CustomerId = b.Id, Segment = RfmSegment.Lost, ComputedAt = Now });
            await db.SaveChangesAsync();
        }

        var vm = await HabitsAsync(RfmSegment.Lost);

        Assert.Equal((1, 0), (vm.Buyers, vm.RepeatBuyers));
    }

    [Fact]
    public async Task GetCohortsAsync_ReturnInMonthTwoNotOne_CountsOnlyMonthTwo()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        var c = await _database.AddCustomerAsync("C");
        await BuyAsync(a.Id, Utc(2026, 4, 10), 30m);
        await BuyAsync(a.Id, Utc(2026, 5, 20), -5m); // refund in month 1: revenue, not retention
        await BuyAsync(a.Id, Utc(2026, 6, 2), 40m); // back in month 2
        await BuyAsync(b.Id, Utc(2026, 4, 20), 20m);
        await BuyAsync(b.Id, Utc(2026, 5, 5), 10m);
        await BuyAsync(c.Id, Utc(2026, 5, 1), -7m); // only a refund: in no cohort

        var vm = await CohortsAsync();

        Assert.Equal(12, vm.Cohorts.Count);
        Assert.Equal(new DateOnly(2026, 6, 1), vm.Cohorts[0].Month);
        Assert.Equal(new DateOnly(2025, 7, 1), vm.Cohorts[^1].Month);
        var april = Assert.Single(vm.Cohorts, r => r.Month == new DateOnly(2026, 4, 1));
        Assert.Equal(2, april.Customers);
        Assert.Equal(
            [(2, 1m, 50m), (1, 0.5m, 5m), (1, 0.5m, 40m)],
            april.Cells.Take(3).Select(x => (x!.Customers, x.Retention, x.Revenue)));
        Assert.All(april.Cells.Skip(3), Assert.Null); // July 2026 onwards is in the future
        var may = Assert.Single(vm.Cohorts, r => r.Month == new DateOnly(2026, 5, 1));
        Assert.Equal(0, may.Customers);
        Assert.Equal(0m, may.Cells[0]!.Retention);
    }

    [Fact]
    public async Task GetCohortsAsync_NoPurchases_EmptyCohorts()
    {
        var vm = await CohortsAsync();

        Assert.Equal(12, vm.Cohorts.Count);
        Assert.All(vm.Cohorts, r => Assert.Equal(0, r.Customers));
    }

    [Fact]
    public async Task GetCustomerHabitsAsync_FourOrders_PredictsMedianGapWithQuartiles()
    {
        var shoes = await _database.AddProductAsync("S", 10m, "Shoes");
        var hats = await _database.AddProductAsync("H", 10m, "Hats");
        var bags = await _database.AddProductAsync("B", 10m, "Bags");
        var socks = await _database.AddProductAsync("K", 10m, "Socks");
        var a = await _database.AddCustomerAsync("A");
        // Tuesdays at 09:00 UTC; gaps 14, 21 and 28 days.
        await BuyAsync(a.Id, Utc(2026, 1, 6, 9), 40m, PurchaseChannel.Online, (shoes, 4, 40m));
        await BuyAsync(a.Id, Utc(2026, 1, 20, 9), 30m, PurchaseChannel.Online, (hats, 3, 30m));
        await BuyAsync(a.Id, Utc(2026, 2, 10, 9), 25m, PurchaseChannel.Online, (bags, 1, 10m), (socks, 1, 15m));
        await BuyAsync(a.Id, Utc(2026, 3, 10, 9), 1m, PurchaseChannel.Online, (socks, 1, 1m));
        await BuyAsync(a.Id, Utc(2026, 3, 12, 20), -30m, PurchaseChannel.Online, (hats, -3, -30m)); // refund: no order, no gap

        var vm = await CustomerAsync(a.Id);

        Assert.Equal([("Shoes", 40m), ("Socks", 16m), ("Bags", 10m)], vm.FavouriteCategories.Select(f => (f.Category, f.Spent)));
        Assert.Equal(4, vm.Orders);
        Assert.Equal(DayOfWeek.Tuesday, vm.UsualDay);
        Assert.Equal(HourBand.Morning, vm.UsualHourBand);
        Assert.Equal(21m, vm.MedianGapDays);
        Assert.Equal(Utc(2026, 3, 31, 9), vm.ExpectedNextPurchase);
        Assert.Equal(Utc(2026, 3, 27, 21), vm.WindowFrom); // + 17.5 days (lower quartile)
        Assert.Equal(Utc(2026, 4, 3, 21), vm.WindowTo); // + 24.5 days (upper quartile)
    }

    [Fact]
    public async Task GetCustomerHabitsAsync_TwoOrders_NoPrediction()
    {
        var a = await _database.AddCustomerAsync("A");
        await BuyAsync(a.Id, Utc(2026, 1, 6, 9), 10m);
        await BuyAsync(a.Id, Utc(2026, 1, 16, 9), 10m);

        var vm = await CustomerAsync(a.Id);

        Assert.Equal(2, vm.Orders);
        Assert.Null(vm.ExpectedNextPurchase);
        Assert.Null(vm.WindowFrom);
        Assert.Null(vm.MedianGapDays);
    }

    [Fact]
    public async Task GetCustomerHabitsAsync_NoPurchases_Empty()
    {
        var a = await _database.AddCustomerAsync("A");

        var vm = await CustomerAsync(a.Id);

        Assert.Equal(0, vm.Orders);
        Assert.Empty(vm.FavouriteCategories);
        Assert.Null(vm.UsualDay);
        Assert.Null(vm.UsualHourBand);
        Assert.Null(vm.ExpectedNextPurchase);
    }

    [Fact]
    public async Task GetCustomerHabitsAsync_ArchivedCustomer_StillShowsOwnHabits()
    {
        var a = await _database.AddCustomerAsync("A", c => c.IsArchived = true);
        await BuyAsync(a.Id, Utc(2026, 1, 6, 20), 10m); // Tuesday evening

        var vm = await CustomerAsync(a.Id);

        Assert.Equal((1, DayOfWeek.Tuesday, HourBand.Evening), (vm.Orders, vm.UsualDay, vm.UsualHourBand));
    }

    [Fact]
    public void ZoneOffsets_NewYork_SplitsAtDaylightSavingTransitions()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var ranges = ZoneOffsets.Ranges(zone, Now);

        var spring = Assert.Single(ranges, r => r.FromUtc == Utc(2026, 3, 8, 7)); // 02:00 EST
        Assert.Equal(-240, spring.OffsetMinutes);
        Assert.Equal(Utc(2026, 11, 1, 6), spring.ToUtc); // 02:00 EDT
        Assert.Equal(-300, ranges.Single(r => r.FromUtc == Utc(2026, 11, 1, 6)).OffsetMinutes);
        Assert.Equal((DateTime.MinValue, DateTime.MaxValue), (ranges[0].FromUtc, ranges[^1].ToUtc));
    }

    [Fact]
    public void ZoneOffsets_Shanghai_OneRange()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

        var range = Assert.Single(ZoneOffsets.Ranges(zone, Now));

        Assert.Equal(480, range.OffsetMinutes);
    }
}
