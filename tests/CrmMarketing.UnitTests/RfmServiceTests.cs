using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests;

public class RfmServiceTests : IDisposable
{
    private static readonly DateTime Now = TestServices.Now.UtcDateTime;
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static RfmService Service(CrmDbContext db, int windowDays = 730) =>
        new(db, new FixedTimeProvider(TestServices.Now),
            Microsoft.Extensions.Options.Options.Create(new AnalyticsOptions { RfmWindowDays = windowDays }),
            NullLogger<RfmService>.Instance);

    private async Task<int> CustomerWithAsync(string name, params (int DaysAgo, decimal Total)[] purchases)
    {
        var customer = await _database.AddCustomerAsync(name);
        foreach (var (daysAgo, total) in purchases)
        {
            await _database.AddPurchaseAsync(customer.Id, Now.AddDays(-daysAgo), total);
        }

        return customer.Id;
    }

    private async Task<Dictionary<int, CustomerRfm>> RefreshAndReadAsync(int windowDays = 730)
    {
        await using (var db = _database.CreateContext())
        {
            await Service(db, windowDays).RefreshAsync(default);
        }

        await using var read = _database.CreateContext();
        return await read.CustomerRfm.AsNoTracking().ToDictionaryAsync(r => r.CustomerId);
    }

    [Fact]
    public async Task RefreshAsync_NoPurchases_StoresNoScoresButRecordsTheRun()
    {
        await _database.AddCustomerAsync("No purchases");

        var scores = await RefreshAndReadAsync();

        Assert.Empty(scores);
        await using var db = _database.CreateContext();
        var run = Assert.Single(await db.RfmRuns.ToListAsync());
        Assert.Equal(0, run.Customers);
        Assert.Equal(730, run.WindowDays);
        Assert.Equal(Now, run.ComputedAt);
    }

    [Fact]
    public async Task RefreshAsync_OneCustomer_ScoresOneInEveryDimension()
    {
        var id = await CustomerWithAsync("Only", (3, 100m), (10, 50m));

        var r = Assert.Single(await RefreshAndReadAsync()).Value;

        Assert.Equal(id, r.CustomerId);
        Assert.Equal((1, 1, 1), (r.RecencyScore, r.FrequencyScore, r.MonetaryScore));
        Assert.Equal(RfmSegment.Lost, r.Segment);
        Assert.Equal((3, 2, 150m), (r.RecencyDays, r.Frequency, r.Monetary));
        Assert.Equal(Now, r.ComputedAt);
    }

    [Fact]
    public async Task RefreshAsync_FiveDistinctCustomers_ScoresOneToFive()
    {
        // A is the oldest, least frequent and smallest buyer; E the most recent, most frequent and largest.
        var a = await CustomerWithAsync("A", (50, 10m));
        var b = await CustomerWithAsync("B", (40, 10m), (45, 10m));
        var c = await CustomerWithAsync("C", (30, 10m), (31, 10m), (32, 10m));
        var d = await CustomerWithAsync("D", (20, 10m), (21, 10m), (22, 10m), (23, 10m));
        var e = await CustomerWithAsync("E", (10, 10m), (11, 10m), (12, 10m), (13, 10m), (14, 100m));

        var scores = await RefreshAndReadAsync();

        Assert.Equal(5, scores.Count);
        int[] ids = [a, b, c, d, e];
        for (var i = 0; i < ids.Length; i++)
        {
            var s = scores[ids[i]];
            Assert.Equal((i + 1, i + 1, i + 1), (s.RecencyScore, s.FrequencyScore, s.MonetaryScore));
        }

        Assert.Equal(RfmSegment.Lost, scores[a].Segment);
        Assert.Equal(RfmSegment.Hibernating, scores[b].Segment);
        Assert.Equal(RfmSegment.NeedAttention, scores[c].Segment);
        Assert.Equal(RfmSegment.Loyal, scores[d].Segment);
        Assert.Equal(RfmSegment.Champions, scores[e].Segment);
        Assert.Equal((50, 1, 10m), (scores[a].RecencyDays, scores[a].Frequency, scores[a].Monetary));
        Assert.Equal((10, 5, 140m), (scores[e].RecencyDays, scores[e].Frequency, scores[e].Monetary));
    }

    [Fact]
    public async Task RefreshAsync_TiesAtQuintileBorders_EqualValuesShareTheLowerScore()
    {
        // Frequencies 1, 1, 2, 3, 3 rank 1, 1, 3, 4, 4 of 5 → scores 1, 1, 3, 4, 4 (NTILE would split the pairs).
        // All bought 5 days ago, so every recency ties at rank 1 → score 1; monetary 10, 20, 20, 20, 50 → 1, 2, 2, 2, 5.
        var p = await CustomerWithAsync("P", (5, 10m));
        var q = await CustomerWithAsync("Q", (5, 20m));
        var r = await CustomerWithAsync("R", (5, 10m), (6, 10m));
        var s = await CustomerWithAsync("S", (5, 10m), (6, 5m), (7, 5m));
        var t = await CustomerWithAsync("T", (5, 10m), (6, 20m), (7, 20m));

        var scores = await RefreshAndReadAsync();

        Assert.Equal([1, 1, 3, 4, 4], new[] { p, q, r, s, t }.Select(id => scores[id].FrequencyScore));
        Assert.Equal([1, 2, 2, 2, 5], new[] { p, q, r, s, t }.Select(id => scores[id].MonetaryScore));
        Assert.All(scores.Values, x => Assert.Equal(1, x.RecencyScore));
        Assert.Equal(RfmSegment.AtRisk, scores[r].Segment);
    }

    [Fact]
    public async Task RefreshAsync_Refunds_CountInMonetaryButNotAsOrders()
    {
        var buyer = await CustomerWithAsync("Buyer", (20, 100m), (5, -30m));
        var refundOnly = await CustomerWithAsync("Refund only", (3, -40m));

        var scores = await RefreshAndReadAsync();

        Assert.Equal((1, 70m, 20), (scores[buyer].Frequency, scores[buyer].Monetary, scores[buyer].RecencyDays));
        // With no order in the window, recency falls back to the refund.
        Assert.Equal((0, -40m, 3), (scores[refundOnly].Frequency, scores[refundOnly].Monetary, scores[refundOnly].RecencyDays));
        // Two customers: rank 1 scores 1 + 5·0/2 = 1, rank 2 scores 1 + 5·1/2 = 3.
        Assert.Equal((1, 3, 3), (scores[buyer].RecencyScore, scores[buyer].FrequencyScore, scores[buyer].MonetaryScore));
        Assert.Equal((3, 1, 1), (scores[refundOnly].RecencyScore, scores[refundOnly].FrequencyScore, scores[refundOnly].MonetaryScore));
    }

    [Fact]
    public async Task RefreshAsync_WindowArchivedAndFuture_OnlyPurchasesInTheWindowOfActiveCustomersCount()
    {
        var inside = await CustomerWithAsync("Inside", (99, 10m), (150, 500m));
        await CustomerWithAsync("Too old", (101, 10m));
        await CustomerWithAsync("Future", (-2, 10m));
        var archived = await _database.AddCustomerAsync("Archived", c => c.IsArchived = true);
        await _database.AddPurchaseAsync(archived.Id, Now.AddDays(-1), 10m);

        var scores = await RefreshAndReadAsync(windowDays: 100);

        var only = Assert.Single(scores).Value;
        Assert.Equal(inside, only.CustomerId);
        Assert.Equal((99, 1, 10m), (only.RecencyDays, only.Frequency, only.Monetary));
    }

    [Fact]
    public async Task RefreshAsync_RunTwice_ReplacesThePreviousScores()
    {
        var id = await CustomerWithAsync("A", (5, 10m));
        await RefreshAndReadAsync();
        await using (var db = _database.CreateContext())
        {
            await db.Customers.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.IsArchived, true));
        }

        var scores = await RefreshAndReadAsync();

        Assert.Empty(scores);
        await using var read = _database.CreateContext();
        Assert.Equal(2, await read.RfmRuns.CountAsync());
    }

    [Fact]
    public async Task GetOverviewAsync_Computed_CountsSegmentsAndHeatmapCells()
    {
        await CustomerWithAsync("A", (50, 10m));
        await CustomerWithAsync("B", (40, 10m), (45, 10m));
        await CustomerWithAsync("C", (30, 10m), (31, 10m), (32, 10m));
        await CustomerWithAsync("D", (20, 10m), (21, 10m), (22, 10m), (23, 10m));
        await CustomerWithAsync("E", (10, 10m), (11, 10m), (12, 10m), (13, 10m), (14, 100m));
        await RefreshAndReadAsync();
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetOverviewAsync(default);

        Assert.NotNull(vm.LastRun);
        Assert.Equal(5, vm.LastRun.Customers);
        Assert.Equal(RfmSegments.All.Count, vm.Segments.Count);
        Assert.Equal(5, vm.TotalCustomers);
        Assert.Equal(240m, vm.TotalRevenue);
        var champions = vm.Segments.Single(s => s.Segment == RfmSegment.Champions);
        Assert.Equal((1, 140m, 0.2m), (champions.Customers, champions.Revenue, champions.Share));
        Assert.Equal(0, vm.Segments.Single(s => s.Segment == RfmSegment.AtRisk).Customers);
        Assert.Equal(5, vm.Grid[0][0].Recency);
        var top = vm.Grid[0][4];
        Assert.Equal((5, 5, 1, 140m, RfmSegment.Champions), (top.Recency, top.Frequency, top.Customers, top.AverageMonetary, top.Segment));
        Assert.Equal(0, vm.Grid[0][0].Customers);
        Assert.Equal(0, vm.Grid[0][0].Level);
        Assert.Equal(5, top.Level);
    }

    [Fact]
    public async Task GetOverviewAsync_NeverComputed_EmptySegmentsAndNoRun()
    {
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetOverviewAsync(default);

        Assert.Null(vm.LastRun);
        Assert.All(vm.Segments, s => Assert.Equal(0, s.Customers));
        Assert.Equal(25, vm.Grid.Sum(r => r.Count));
    }

    [Fact]
    public async Task CustomerList_RfmFilter_ListsOnlyThatSegment()
    {
        await CustomerWithAsync("Old", (50, 10m));
        await CustomerWithAsync("Mid", (30, 10m), (31, 10m), (32, 10m));
        var best = await CustomerWithAsync("Best", (10, 10m), (11, 10m), (12, 10m), (13, 10m), (14, 100m));
        await CustomerWithAsync("Second", (20, 10m), (21, 10m), (22, 10m), (23, 10m));
        await CustomerWithAsync("Two", (40, 10m), (45, 10m));
        await RefreshAndReadAsync();
        await using var db = _database.CreateContext();

        var list = await TestServices.Customers(db).ListAsync(new CustomerListQuery { Rfm = RfmSegment.Champions }, default);

        Assert.Equal(best, Assert.Single(list.Rows).Id);
    }

    [Theory]
    [InlineData(5, 5, RfmSegment.Champions)]
    [InlineData(5, 4, RfmSegment.Champions)]
    [InlineData(4, 5, RfmSegment.Loyal)]
    [InlineData(3, 4, RfmSegment.Loyal)]
    [InlineData(5, 2, RfmSegment.PotentialLoyalist)]
    [InlineData(4, 3, RfmSegment.PotentialLoyalist)]
    [InlineData(5, 1, RfmSegment.NewCustomers)]
    [InlineData(4, 1, RfmSegment.Promising)]
    [InlineData(3, 3, RfmSegment.NeedAttention)]
    [InlineData(3, 2, RfmSegment.AboutToSleep)]
    [InlineData(3, 1, RfmSegment.AboutToSleep)]
    [InlineData(2, 4, RfmSegment.AtRisk)]
    [InlineData(1, 3, RfmSegment.AtRisk)]
    [InlineData(1, 5, RfmSegment.CantLoseThem)]
    [InlineData(2, 5, RfmSegment.CantLoseThem)]
    [InlineData(2, 2, RfmSegment.Hibernating)]
    [InlineData(1, 2, RfmSegment.Hibernating)]
    [InlineData(2, 1, RfmSegment.Hibernating)]
    [InlineData(1, 1, RfmSegment.Lost)]
    public void Of_RecencyAndFrequency_MapsToTheGridSegment(int r, int f, RfmSegment expected) =>
        Assert.Equal(expected, RfmSegments.Of(r, f));

    [Fact]
    public void Of_EveryCell_UsesEverySegment()
    {
        var used = Enumerable.Range(1, 5).SelectMany(r => Enumerable.Range(1, 5).Select(f => RfmSegments.Of(r, f))).ToHashSet();

        Assert.Equal(RfmSegments.All.ToHashSet(), used);
        Assert.Throws<ArgumentOutOfRangeException>(() => RfmSegments.Of(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => RfmSegments.Of(3, 6));
    }
}
