using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.ViewModels.Customers;

namespace CrmMarketing.UnitTests;

public class DashboardServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GetAsync_Purchases_AggregatesRevenueOrdersAndCities()
    {
        var shanghai = await _database.AddCustomerAsync("A", c => c.City = "上海");
        var beijing = await _database.AddCustomerAsync("B", c => c.City = "北京");
        await _database.AddCustomerAsync("C", c => { c.City = "北京"; c.IsArchived = true; });
        var product = await _database.AddProductAsync("P", 10.125m);
        var now = TestServices.Now.UtcDateTime;
        await using var db = _database.CreateContext();
        var purchases = TestServices.Purchases(db);

        async Task Buy(Customer c, DateTime at, int qty)
        {
            var form = new PurchaseFormModel
            {
                PurchasedAt = at,
                Lines = [new PurchaseLineFormModel { ProductId = product.Id, Quantity = qty }],
            };
            await purchases.RecordAsync(c.Id, form, TestServices.Actor, default);
        }

        await Buy(shanghai, now.AddDays(-3), 2);      // current 30 days: 20.25
        await Buy(beijing, now.AddDays(-10), 1);      // current: 10.125
        await Buy(beijing, now.AddDays(-12), -1);     // current return: -10.125, not an order
        await Buy(shanghai, now.AddDays(-45), 4);     // previous 30 days: 40.5
        await Buy(beijing, now.AddDays(-200), 1);     // older

        var vm = await new DashboardService(db, new FixedTimeProvider(TestServices.Now)).GetAsync(default);

        Assert.Equal(2, vm.ActiveCustomers);
        Assert.Equal(20.25m, vm.RevenueLast30Days);
        Assert.Equal(40.5m, vm.RevenuePrevious30Days);
        Assert.Equal(2, vm.OrdersLast30Days);
        Assert.Equal(12, vm.RevenueByMonth.Count);
        Assert.Equal(20.25m + 10.125m - 10.125m + 40.5m + 10.125m, vm.RevenueByMonth.Sum(m => m.Revenue));
        Assert.Equal(["上海", "北京"], vm.TopCities.Select(c => c.City));
        Assert.Equal(60.75m, vm.TopCities[0].Revenue);
        Assert.Equal(1, vm.TopCities[1].Customers);
    }
}
