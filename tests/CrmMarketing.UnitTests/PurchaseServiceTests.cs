using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests;

public class PurchaseServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static PurchaseFormModel Order(DateTime at, params (int ProductId, int Quantity, decimal? Price)[] lines) => new()
    {
        PurchasedAt = at,
        Channel = PurchaseChannel.Store,
        Lines = lines.Select(l => new PurchaseLineFormModel { ProductId = l.ProductId, Quantity = l.Quantity, UnitPrice = l.Price }).ToList(),
    };

    [Fact]
    public async Task RecordAsync_Purchases_KeepAggregatesExact()
    {
        var customer = await _database.AddCustomerAsync("Wu Hao");
        var tea = await _database.AddProductAsync("TEA", 12.345m);
        var cup = await _database.AddProductAsync("CUP", 0.10m);
        await using var db = _database.CreateContext();
        var service = TestServices.Purchases(db);
        var day1 = new DateTime(2026, 3, 1, 10, 0, 0);
        var day2 = new DateTime(2026, 4, 2, 18, 30, 0);

        Assert.Equal(PurchaseOutcome.Saved, (await service.RecordAsync(customer.Id, Order(day2, (tea.Id, 3, null), (cup.Id, 7, null)), TestServices.Actor, default)).Outcome);
        Assert.Equal(PurchaseOutcome.Saved, (await service.RecordAsync(customer.Id, Order(day1, (cup.Id, 1, 0.333m)), TestServices.Actor, default)).Outcome);
        // A return lowers the total spent but is not an order and does not move the purchase dates.
        Assert.Equal(PurchaseOutcome.Saved, (await service.RecordAsync(customer.Id, Order(day2.AddDays(5), (tea.Id, -1, null)), TestServices.Actor, default)).Outcome);

        var saved = await db.Customers.AsNoTracking().SingleAsync();
        Assert.Equal(2, saved.OrderCount);
        Assert.Equal((3 * 12.345m) + (7 * 0.10m) + 0.333m - 12.345m, saved.TotalSpent);
        Assert.Equal(day1, saved.FirstPurchaseAt);
        Assert.Equal(day2, saved.LastPurchaseAt);
        var totals = await db.Purchases.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Total).ToListAsync();
        Assert.Equal([37.735m, 0.333m, -12.345m], totals);
    }

    [Fact]
    public async Task RecordAsync_TimeInDisplayZone_IsStoredAsUtc()
    {
        var customer = await _database.AddCustomerAsync("Guo Jing");
        var product = await _database.AddProductAsync("P1", 5m);
        await using var db = _database.CreateContext();
        var service = new PurchaseService(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter("Asia/Shanghai"), TestServices.Audit(db));

        await service.RecordAsync(customer.Id, Order(new DateTime(2026, 5, 1, 9, 0, 0), (product.Id, 1, null)), TestServices.Actor, default);

        Assert.Equal(new DateTime(2026, 5, 1, 1, 0, 0, DateTimeKind.Utc), (await db.Purchases.AsNoTracking().SingleAsync()).PurchasedAt);
    }

    [Fact]
    public async Task RecordAsync_DuplicateOrderNumber_IsRefusedWithoutChanges()
    {
        var customer = await _database.AddCustomerAsync("Huang Rong");
        var product = await _database.AddProductAsync("P1", 5m);
        await using var db = _database.CreateContext();
        var service = TestServices.Purchases(db);
        var order = Order(new DateTime(2026, 5, 1), (product.Id, 1, null));
        order.OrderNumber = "SO-1";

        Assert.Equal(PurchaseOutcome.Saved, (await service.RecordAsync(customer.Id, order, TestServices.Actor, default)).Outcome);
        Assert.Equal(PurchaseOutcome.DuplicateOrderNumber, (await service.RecordAsync(customer.Id, order, TestServices.Actor, default)).Outcome);

        Assert.Equal(1, await db.Purchases.CountAsync());
        Assert.Equal(5m, (await db.Customers.AsNoTracking().SingleAsync()).TotalSpent);
    }

    [Fact]
    public async Task RecordAsync_UnknownProductOrCustomer_IsRefused()
    {
        var customer = await _database.AddCustomerAsync("Yang Guo");
        await using var db = _database.CreateContext();
        var service = TestServices.Purchases(db);

        Assert.Equal(PurchaseOutcome.UnknownProduct, (await service.RecordAsync(customer.Id, Order(new DateTime(2026, 5, 1), (999, 1, 1m)), TestServices.Actor, default)).Outcome);
        Assert.Equal(PurchaseOutcome.CustomerNotFound, (await service.RecordAsync(12345, Order(new DateTime(2026, 5, 1), (999, 1, 1m)), TestServices.Actor, default)).Outcome);
        Assert.Equal(0, await db.Purchases.CountAsync());
    }

    [Fact]
    public async Task Timeline_MergesKindsNewestFirst_AndPagesOlder()
    {
        var customer = await _database.AddCustomerAsync("Xiao Long");
        var product = await _database.AddProductAsync("P1", 5m);
        await using var db = _database.CreateContext();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 20; i++)
        {
            db.CustomerEvents.Add(new CustomerEvent { CustomerId = customer.Id, Type = CustomerEventTypes.PageView, OccurredAt = start.AddHours(i * 3) });
            db.CustomerNotes.Add(new CustomerNote { CustomerId = customer.Id, Body = "note " + i, CreatedAt = start.AddHours((i * 3) + 1) });
        }

        await db.SaveChangesAsync();
        var purchases = TestServices.Purchases(db);
        for (var i = 0; i < 20; i++)
        {
            await purchases.RecordAsync(customer.Id, Order(start.AddHours((i * 3) + 2), (product.Id, 1, null)), TestServices.Actor, default);
        }

        var timeline = TestServices.Timeline(db);
        var first = await timeline.GetAsync(customer.Id, null, default);
        Assert.Equal(TimelineService.PageSize, first.Entries.Count);
        Assert.Equal(first.Entries.OrderByDescending(e => e.At), first.Entries);
        Assert.Equal(["purchase", "note", "event"], first.Entries.Take(3).Select(e => e.Kind));
        Assert.NotNull(first.OlderThan);

        var second = await timeline.GetAsync(customer.Id, first.OlderThan, default);
        Assert.Equal(30, second.Entries.Count);
        Assert.Null(second.OlderThan);
        Assert.True(second.Entries[0].At < first.Entries[^1].At);
        Assert.Equal(60, first.Entries.Concat(second.Entries).Select(e => (e.At, e.Kind)).Distinct().Count());
    }
}
