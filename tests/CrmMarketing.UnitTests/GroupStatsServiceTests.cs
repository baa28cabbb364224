using System.Text;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.ViewModels.Analytics;

namespace CrmMarketing.UnitTests;

public class GroupStatsServiceTests : IDisposable
{
    private static readonly DateTime Now = TestServices.Now.UtcDateTime; // 2026-06-15 12:00 UTC
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<GroupsViewModel> GroupAsync(GroupDimension dimension, DateOnly? from = null, DateOnly? to = null)
    {
        await using var db = _database.CreateContext();
        var service = new GroupStatsService(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter(), TestServices.Localizer);
        return await service.GetAsync(new GroupsQuery { Dimension = dimension, From = from, To = to }, default);
    }

    private Task<Customer> BuyerAsync(string name, string? city, decimal spent, int orders, int daysSinceLast, Action<Customer>? more = null) =>
        _database.AddCustomerAsync(name, c =>
        {
            c.City = city;
            c.TotalSpent = spent;
            c.OrderCount = orders;
            c.LastPurchaseAt = orders == 0 ? null : Now.AddDays(-daysSinceLast);
            c.FirstPurchaseAt = c.LastPurchaseAt;
            more?.Invoke(c);
        });

    [Fact]
    public async Task GetAsync_City_UsesCachedAggregatesPerGroup()
    {
        await BuyerAsync("A", "上海", 100m, 2, 10);
        await BuyerAsync("B", "上海", 50m, 1, 20);
        await BuyerAsync("C", "北京", 30m, 3, 4);
        await BuyerAsync("D", null, 0m, 0, 0);
        await BuyerAsync("E", "北京", 999m, 9, 1, c => c.IsArchived = true);

        var vm = await GroupAsync(GroupDimension.City);

        Assert.Equal(4, vm.TotalCustomers);
        var shanghai = vm.Rows[0];
        Assert.Equal(("上海", 2, 0.5m, 150m, 3L, 50m, 15m), (shanghai.Key, shanghai.Customers, shanghai.Share, shanghai.Revenue, shanghai.Orders, shanghai.AverageOrderValue, shanghai.AverageDaysSinceLastPurchase));
        Assert.Equal("上海", shanghai.Filter!["city"]);
        var beijing = vm.Rows.Single(r => r.Key == "北京");
        Assert.Equal((1, 30m, 3L, 10m, 4m), (beijing.Customers, beijing.Revenue, beijing.Orders, beijing.AverageOrderValue, beijing.AverageDaysSinceLastPurchase));
        var unknown = vm.Rows.Single(r => r.Key is null);
        Assert.Equal(("Unknown", 1, (decimal?)null, (decimal?)null, (IReadOnlyDictionary<string, string>?)null),
            (unknown.Label, unknown.Customers, unknown.AverageOrderValue, unknown.AverageDaysSinceLastPurchase, unknown.Filter));
    }

    [Fact]
    public async Task GetAsync_AgeBand_BandsByBirthdayRelativeToToday()
    {
        var today = new DateOnly(2026, 6, 15);
        await _database.AddCustomerAsync("24", c => c.BirthDate = today.AddYears(-25).AddDays(1));
        await _database.AddCustomerAsync("25", c => c.BirthDate = today.AddYears(-25));
        await _database.AddCustomerAsync("34", c => c.BirthDate = today.AddYears(-35).AddDays(1));
        await _database.AddCustomerAsync("35", c => c.BirthDate = today.AddYears(-35));
        await _database.AddCustomerAsync("50", c => c.BirthDate = today.AddYears(-50));
        await _database.AddCustomerAsync("64", c => c.BirthDate = today.AddYears(-65).AddDays(1));
        await _database.AddCustomerAsync("65", c => c.BirthDate = today.AddYears(-65));
        await _database.AddCustomerAsync("90", c => c.BirthDate = today.AddYears(-90));
        await _database.AddCustomerAsync("none");

        var vm = await GroupAsync(GroupDimension.AgeBand);

        Assert.Equal(["<25", "25-34", "35-44", "45-54", "55-64", "65+", null], vm.Rows.Select(r => r.Key));
        Assert.Equal([1, 2, 1, 1, 1, 2, 1], vm.Rows.Select(r => r.Customers));
        Assert.Equal("Under 25", vm.Rows[0].Label);
        Assert.All(vm.Rows, r => Assert.Null(r.Filter));
    }

    [Fact]
    public async Task GetAsync_DateRange_CountsOnlyBuyersAndPurchasesInTheRange()
    {
        var a = await BuyerAsync("A", "上海", 1000m, 10, 1);
        var b = await BuyerAsync("B", "北京", 1000m, 10, 1);
        await BuyerAsync("C", "上海", 1000m, 10, 1);                    // bought only outside the range
        await _database.AddPurchaseAsync(a.Id, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), 100m);
        await _database.AddPurchaseAsync(a.Id, new DateTime(2026, 3, 31, 23, 0, 0, DateTimeKind.Utc), -40m); // a return: revenue, not an order
        await _database.AddPurchaseAsync(a.Id, new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc), 500m);   // after the range
        await _database.AddPurchaseAsync(b.Id, new DateTime(2026, 3, 15, 0, 0, 0, DateTimeKind.Utc), 70m);
        await _database.AddPurchaseAsync(b.Id, new DateTime(2026, 3, 16, 0, 0, 0, DateTimeKind.Utc), 30m);

        var vm = await GroupAsync(GroupDimension.City, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

        Assert.Equal(2, vm.TotalCustomers);
        var shanghai = vm.Rows.Single(r => r.Key == "上海");
        Assert.Equal((1, 0.5m, 60m, 1L, 60m), (shanghai.Customers, shanghai.Share, shanghai.Revenue, shanghai.Orders, shanghai.AverageOrderValue));
        var beijing = vm.Rows.Single(r => r.Key == "北京");
        Assert.Equal((1, 100m, 2L, 50m), (beijing.Customers, beijing.Revenue, beijing.Orders, beijing.AverageOrderValue));
    }

    [Fact]
    public async Task GetAsync_Tag_CountsACustomerInEveryTagGroupAndUntaggedOnce()
    {
        var a = await _database.AddCustomerAsync("A", c => c.Tags = [new CustomerTag { Tag = "vip" }, new CustomerTag { Tag = "b2b" }]);
        await _database.AddCustomerAsync("B", c => c.Tags = [new CustomerTag { Tag = "vip" }]);
        await _database.AddCustomerAsync("C");

        var vm = await GroupAsync(GroupDimension.Tag);

        Assert.Equal(3, vm.TotalCustomers);
        Assert.Equal(2, vm.Rows.Single(r => r.Key == "vip").Customers);
        Assert.Equal(1, vm.Rows.Single(r => r.Key == "b2b").Customers);
        Assert.Equal(1, vm.Rows.Single(r => r.Key is null).Customers);
        Assert.Equal("vip", vm.Rows.Single(r => r.Key == "vip").Filter!["tag"]);
        Assert.True(a.Id > 0);
    }

    [Fact]
    public async Task GetAsync_GenderConsentMonthAndRfm_LabelsKeysAndLinksWhereTheListFilters()
    {
        await BuyerAsync("A", null, 10m, 1, 3, c => { c.Gender = Gender.Female; c.EmailConsent = ConsentState.OptedIn; });
        await BuyerAsync("B", null, 10m, 1, 40, c => { c.Gender = Gender.Female; c.EmailConsent = ConsentState.OptedOut; });
        await BuyerAsync("C", null, 0m, 0, 0);
        await using (var db = _database.CreateContext())
        {
            var first = db.Customers.Single(c => c.Name == "A").Id;
            db.CustomerRfm.Add(new CustomerRfm { CustomerId = first, RecencyScore = 5, FrequencyScore = 5, MonetaryScore = 5, Segment = RfmSegment.Champions, ComputedAt = Now });
            await db.SaveChangesAsync();
        }

        var gender = await GroupAsync(GroupDimension.Gender);
        var consent = await GroupAsync(GroupDimension.EmailConsent);
        var months = await GroupAsync(GroupDimension.FirstPurchaseMonth);
        var rfm = await GroupAsync(GroupDimension.RfmSegment);

        Assert.Equal([(1, "gender:Unknown"), (2, "gender:Female")], gender.Rows.Select(r => (r.Customers, r.Key == "0" ? "gender:Unknown" : "gender:Female")));
        Assert.Equal("EmailOptedIn", consent.Rows.Single(r => r.Key == "1").Filter!["consent"]);
        Assert.Null(consent.Rows.Single(r => r.Key == "2").Filter);
        Assert.Equal(["2026-05", "2026-06", null], months.Rows.Select(r => r.Key));
        Assert.Equal(("Champions", "Champions"), (rfm.Rows[0].Label, rfm.Rows[0].Filter!["rfm"]));
        Assert.Equal(("Not scored", 2), (rfm.Rows[1].Label, rfm.Rows[1].Customers));
    }

    [Fact]
    public async Task ExportCsvAsync_FormulaInAGroupName_IsNeutralisedAndFileHasBom()
    {
        await BuyerAsync("A", "=HYPERLINK(\"x\")", 12.5m, 1, 2);
        await using var db = _database.CreateContext();
        var service = new GroupStatsService(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter(), TestServices.Localizer);

        var bytes = await service.ExportCsvAsync(new GroupsQuery { Dimension = GroupDimension.City }, default);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("City,Customers,Share %,Revenue,Orders,Average order value,Average days since last purchase", lines[0]);
        Assert.Equal("\"'=HYPERLINK(\"\"x\"\")\",1,100,12.5,1,12.5,2", lines[1]);
    }
}
