using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests;

public class RecommendationServiceTests : IDisposable
{
    private static readonly DateTime Now = TestServices.Now.UtcDateTime;
    private readonly TestDatabase _database = new();
    private readonly Dictionary<string, Product> _products = [];
    private readonly Dictionary<string, int> _customers = [];

    public void Dispose() => _database.Dispose();

    private static RecommendationService Service(CrmDbContext db, AnalyticsOptions? options = null) =>
        new(db, new FixedTimeProvider(TestServices.Now),
            Microsoft.Extensions.Options.Options.Create(options ?? Open()),
            TestServices.Localizer, NullLogger<RecommendationService>.Instance);

    /// <summary>No thresholds except a lift of at least 1.</summary>
    private static AnalyticsOptions Open() => new()
    {
        AssociationMinPairCustomers = 1,
        AssociationMinSupport = 0,
        AssociationMinConfidence = 0,
        AssociationMinLift = 1,
    };

    private async Task BuyAsync(string customer, params (string Sku, int Quantity)[] lines)
    {
        if (!_customers.TryGetValue(customer, out var id))
        {
            id = (await _database.AddCustomerAsync(customer)).Id;
            _customers[customer] = id;
        }

        foreach (var (sku, _) in lines.Where(l => !_products.ContainsKey(l.Sku)))
        {
            _products[sku] = await _database.AddProductAsync(sku, 10m);
        }

        await using var db = _database.CreateContext();
        var form = new PurchaseFormModel
        {
            PurchasedAt = Now.AddDays(-10),
            Lines = lines.Select(l => new PurchaseLineFormModel { ProductId = _products[l.Sku].Id, Quantity = l.Quantity }).ToList(),
        };
        await TestServices.Purchases(db).RecordAsync(id, form, TestServices.Actor, default);
    }

    /// <summary>Five buying customers: A+B, A+B, A+C, B+D, D. Buyers: A 3, B 3, C 1, D 2.
    /// Pairs: A·B 2, A·C 1, B·D 1.</summary>
    private async Task SeedBasketsAsync()
    {
        await BuyAsync("c1", ("A", 1), ("B", 1));
        await BuyAsync("c2", ("A", 1));
        await BuyAsync("c2", ("B", 2));
        await BuyAsync("c3", ("A", 1), ("C", 1));
        await BuyAsync("c4", ("B", 1), ("D", 1));
        await BuyAsync("c5", ("D", 3));
    }

    private async Task<Dictionary<(string, string), ProductAssociation>> RefreshAndReadAsync(AnalyticsOptions? options = null)
    {
        await using (var db = _database.CreateContext())
        {
            await Service(db, options).RefreshAsync(default);
        }

        var sku = _products.ToDictionary(p => p.Value.Id, p => p.Key);
        await using var read = _database.CreateContext();
        return (await read.ProductAssociations.AsNoTracking().ToListAsync())
            .ToDictionary(a => (sku[a.AntecedentId], sku[a.ConsequentId]));
    }

    [Fact]
    public async Task RefreshAsync_HandComputedBaskets_StoresSupportConfidenceAndLift()
    {
        await SeedBasketsAsync();

        var rules = await RefreshAndReadAsync();

        // B·D has lift 1·5/(3·2) = 5/6 < 1, so only A↔B and A↔C remain.
        Assert.Equal([("A", "B"), ("A", "C"), ("B", "A"), ("C", "A")], rules.Keys.Order());
        var ab = rules[("A", "B")];
        Assert.Equal(2, ab.PairCustomers);
        Assert.Equal(2.0 / 5, ab.Support, 12);
        Assert.Equal(2.0 / 3, ab.Confidence, 12);
        Assert.Equal(10.0 / 9, ab.Lift, 12);
        Assert.Equal(Now, ab.ComputedAt);
        var ca = rules[("C", "A")];
        Assert.Equal(1.0 / 5, ca.Support, 12);
        Assert.Equal(1.0, ca.Confidence, 12);
        Assert.Equal(5.0 / 3, ca.Lift, 12);
        Assert.Equal(1.0 / 3, rules[("A", "C")].Confidence, 12);
        Assert.Equal(5.0 / 3, rules[("A", "C")].Lift, 12);

        await using var db = _database.CreateContext();
        var run = Assert.Single(await db.ProductAssociationRuns.ToListAsync());
        Assert.Equal(5, run.Customers);
        Assert.Equal(4, run.Rules);
    }

    [Fact]
    public async Task RefreshAsync_MinimumPairCustomers_DropsRarePairs()
    {
        await SeedBasketsAsync();

        var rules = await RefreshAndReadAsync(new AnalyticsOptions
        {
            AssociationMinPairCustomers = 2,
            AssociationMinSupport = 0,
            AssociationMinConfidence = 0,
            AssociationMinLift = 1,
        });

        Assert.Equal([("A", "B"), ("B", "A")], rules.Keys.Order());
    }

    [Fact]
    public async Task RefreshAsync_MinimumSupport_ComparesWithTheShareOfBuyingCustomers()
    {
        await SeedBasketsAsync();

        // A·C is 1 of 5 customers (0.2), A·B 2 of 5 (0.4).
        var rules = await RefreshAndReadAsync(new AnalyticsOptions
        {
            AssociationMinPairCustomers = 1,
            AssociationMinSupport = 0.3,
            AssociationMinConfidence = 0,
            AssociationMinLift = 1,
        });

        Assert.Equal([("A", "B"), ("B", "A")], rules.Keys.Order());
    }

    [Fact]
    public async Task RefreshAsync_MinimumConfidence_IsPerDirection()
    {
        await SeedBasketsAsync();

        // A→C has confidence 1/3, C→A 1.
        var rules = await RefreshAndReadAsync(new AnalyticsOptions
        {
            AssociationMinPairCustomers = 1,
            AssociationMinSupport = 0,
            AssociationMinConfidence = 0.5,
            AssociationMinLift = 1,
        });

        Assert.Equal([("A", "B"), ("B", "A"), ("C", "A")], rules.Keys.Order());
    }

    [Fact]
    public async Task RefreshAsync_MinimumLift_KeepsOnlyStrongerRules()
    {
        await SeedBasketsAsync();

        var rules = await RefreshAndReadAsync(new AnalyticsOptions
        {
            AssociationMinPairCustomers = 1,
            AssociationMinSupport = 0,
            AssociationMinConfidence = 0,
            AssociationMinLift = 1.5,
        });

        Assert.Equal([("A", "C"), ("C", "A")], rules.Keys.Order());
    }

    [Fact]
    public async Task RefreshAsync_ReturnsAndArchivedCustomers_DoNotCount()
    {
        await SeedBasketsAsync();
        // A returned C (a negative line) does not make C bought; an archived customer's basket is ignored.
        await BuyAsync("c6", ("B", 1), ("C", -1));
        await BuyAsync("c7", ("B", 1), ("C", 1));
        await using (var db = _database.CreateContext())
        {
            await db.Customers.Where(c => c.Id == _customers["c7"]).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsArchived, true));
        }

        var rules = await RefreshAndReadAsync();

        // Six buying customers now (c6 bought B): B has 4 buyers, A 3, C 1.
        Assert.False(rules.ContainsKey(("B", "C")));
        Assert.Equal(6.0 * 2 / (3 * 4), rules[("A", "B")].Lift, 12);
    }

    [Fact]
    public async Task RefreshAsync_SecondRun_ReplacesTheRules()
    {
        await SeedBasketsAsync();
        await RefreshAndReadAsync();

        var rules = await RefreshAndReadAsync(new AnalyticsOptions
        {
            AssociationMinPairCustomers = 2,
            AssociationMinSupport = 0,
            AssociationMinConfidence = 0,
            AssociationMinLift = 1,
        });

        Assert.Equal(2, rules.Count);
    }

    [Fact]
    public async Task GetForCustomerAsync_ExcludesProductsAlreadyBought()
    {
        await SeedBasketsAsync();
        await RefreshAndReadAsync();
        await using var db = _database.CreateContext();
        var service = Service(db);

        var c1 = await service.GetForCustomerAsync(_customers["c1"], null, default);
        var c3 = await service.GetForCustomerAsync(_customers["c3"], null, default);

        // c1 has A and B: of A→B, A→C, B→A only C is new.
        var only = Assert.Single(c1);
        Assert.Equal(_products["C"].Id, only.ProductId);
        Assert.Equal(_products["A"].Id, only.BecauseProductId);
        Assert.Equal(1, only.Position);
        Assert.Equal(5.0 / 3, only.Lift, 12);
        // c3 has A and C: A→B is the one rule to a product not bought.
        Assert.Equal([_products["B"].Id], c3.Select(r => r.ProductId));
    }

    [Fact]
    public async Task GetForCustomerAsync_Reason_NamesTheBoughtProductAndTheLift()
    {
        await SeedBasketsAsync();
        await RefreshAndReadAsync();
        await using var db = _database.CreateContext();

        using var culture = new CultureScope("en-US");
        var c4 = await Service(db).GetForCustomerAsync(_customers["c4"], null, default);

        var only = Assert.Single(c4);
        Assert.Equal(_products["A"].Id, only.ProductId);
        Assert.Equal("Bought Product B; customers who buy Product B buy this 1.1× more often", only.Reason);
    }

    [Fact]
    public async Task GetForCustomersAsync_RanksByConfidenceAndCapsAtTop()
    {
        // x bought P; the others bought P with Q (3 of 4), R (2 of 4), S (1 of 4), and T, U without P.
        await BuyAsync("x", ("P", 1));
        await BuyAsync("y1", ("P", 1), ("Q", 1), ("R", 1), ("S", 1));
        await BuyAsync("y2", ("P", 1), ("Q", 1), ("R", 1));
        await BuyAsync("y3", ("P", 1), ("Q", 1));
        await BuyAsync("z1", ("T", 1));
        await BuyAsync("z2", ("U", 1));
        await RefreshAndReadAsync();
        await using var db = _database.CreateContext();

        var all = await Service(db).GetForCustomersAsync([_customers["x"], _customers["z1"]], 2, default);

        Assert.Equal([_products["Q"].Id, _products["R"].Id], all[_customers["x"]].Select(r => r.ProductId));
        Assert.Equal([1, 2], all[_customers["x"]].Select(r => r.Position));
        Assert.False(all.ContainsKey(_customers["z1"]));
    }

    [Fact]
    public async Task GetForCustomerAsync_InactiveProduct_IsNotRecommended()
    {
        await SeedBasketsAsync();
        await RefreshAndReadAsync();
        await using var db = _database.CreateContext();
        await db.Products.Where(p => p.Id == _products["C"].Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.IsActive, false));

        var c1 = await Service(db).GetForCustomerAsync(_customers["c1"], null, default);

        Assert.Empty(c1);
    }

    [Fact]
    public async Task GetStrongestAsync_OrdersByLift()
    {
        await SeedBasketsAsync();
        await RefreshAndReadAsync();
        await using var db = _database.CreateContext();

        var vm = await Service(db).GetStrongestAsync(default);

        Assert.Equal(4, vm.TotalRules);
        Assert.Equal([5.0 / 3, 5.0 / 3, 10.0 / 9, 10.0 / 9], vm.Rows.Select(r => r.Lift), new DoubleTolerance());
        Assert.Equal("Product C", vm.Rows[0].Antecedent);
        Assert.NotNull(vm.LastRun);
    }

    private sealed class DoubleTolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
