using System.Globalization;
using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.ViewModels.Analytics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>A product recommended to one customer, with the bought product that suggests it.</summary>
/// <param name="Reason">Localized in the current UI culture: "Bought X; customers who buy X buy this 3.2× more often".</param>
public sealed record ProductRecommendation(
    int Position, int ProductId, string ProductName, string? Category,
    int BecauseProductId, string BecauseProductName, double Confidence, double Lift, string Reason);

public sealed record AssociationRefreshResult(int Customers, int Rules, long DurationMs);

/// <summary>Item-to-item co-purchase recommendations (docs/recommendations.md): the association rules are computed
/// set-based in the database into ProductAssociations, and each customer is offered the consequents of the products
/// they bought that they have not bought themselves.</summary>
public sealed partial class RecommendationService(
    CrmDbContext db,
    TimeProvider time,
    IOptions<AnalyticsOptions> options,
    IStringLocalizer<SharedResource> l,
    ILogger<RecommendationService> logger)
{
    public const int MaxAssociationsShown = 200;

    // A basket is a customer: every product they bought (a line with a positive quantity) at any time.
    // Pairs are counted once (X < Y) and turned into both rules; every threshold is a parameter.
    private const string RecomputeSql = """
        WITH cp AS MATERIALIZED (
            SELECT DISTINCT p.CustomerId, l.ProductId
            FROM Purchases AS p JOIN PurchaseLines AS l ON l.PurchaseId = p.Id
            WHERE l.Quantity > 0 AND p.CustomerId NOT IN (SELECT Id FROM Customers WHERE IsArchived <> 0)
        ),
        n AS (SELECT COUNT(DISTINCT CustomerId) AS Total FROM cp),
        buyers AS (SELECT ProductId, COUNT(*) AS Buyers FROM cp GROUP BY ProductId),
        pairs AS (
            SELECT a.ProductId AS X, b.ProductId AS Y, COUNT(*) AS Together
            FROM cp AS a JOIN cp AS b ON b.CustomerId = a.CustomerId AND b.ProductId > a.ProductId
            GROUP BY a.ProductId, b.ProductId
            HAVING COUNT(*) >= @minPair AND COUNT(*) >= @minSupport * (SELECT Total FROM n)
        ),
        rules AS (SELECT X AS A, Y AS C, Together FROM pairs UNION ALL SELECT Y, X, Together FROM pairs),
        scored AS (
            SELECT r.A, r.C, r.Together, CAST(r.Together AS REAL) / n.Total AS Support,
                CAST(r.Together AS REAL) / ba.Buyers AS Confidence,
                CAST(r.Together AS REAL) * n.Total / (CAST(ba.Buyers AS REAL) * bc.Buyers) AS Lift
            FROM rules AS r JOIN buyers AS ba ON ba.ProductId = r.A JOIN buyers AS bc ON bc.ProductId = r.C CROSS JOIN n
        )
        INSERT INTO ProductAssociations (AntecedentId, ConsequentId, PairCustomers, Support, Confidence, Lift, ComputedAt)
        SELECT A, C, Together, Support, Confidence, Lift, @now FROM scored
        WHERE Confidence >= @minConfidence AND Lift >= @minLift
        """;

    private const string CustomersSql = """
        SELECT COUNT(DISTINCT p.CustomerId) AS Value
        FROM Purchases AS p JOIN PurchaseLines AS l ON l.PurchaseId = p.Id
        WHERE l.Quantity > 0 AND p.CustomerId NOT IN (SELECT Id FROM Customers WHERE IsArchived <> 0)
        """;

    // For each customer: candidate = a rule from a product they bought to one they have not bought (and still sold);
    // a candidate keeps its strongest rule (confidence, then lift); candidates are ranked the same way.
    private const string RecommendSql = """
        WITH ids AS (SELECT DISTINCT CAST(value AS INTEGER) AS CustomerId FROM json_each(@ids)),
        mine AS MATERIALIZED (
            SELECT DISTINCT p.CustomerId, l.ProductId
            FROM ids JOIN Purchases AS p ON p.CustomerId = ids.CustomerId JOIN PurchaseLines AS l ON l.PurchaseId = p.Id
            WHERE l.Quantity > 0
        ),
        cand AS (
            SELECT m.CustomerId, a.ConsequentId, a.AntecedentId, a.Confidence, a.Lift,
                ROW_NUMBER() OVER (PARTITION BY m.CustomerId, a.ConsequentId ORDER BY a.Confidence DESC, a.Lift DESC, a.AntecedentId) AS Best
            FROM mine AS m
            JOIN ProductAssociations AS a ON a.AntecedentId = m.ProductId
            JOIN Products AS c ON c.Id = a.ConsequentId AND c.IsActive = 1
            WHERE NOT EXISTS (SELECT 1 FROM mine AS o WHERE o.CustomerId = m.CustomerId AND o.ProductId = a.ConsequentId)
        ),
        ranked AS (
            SELECT CustomerId, ConsequentId, AntecedentId, Confidence, Lift,
                ROW_NUMBER() OVER (PARTITION BY CustomerId ORDER BY Confidence DESC, Lift DESC, ConsequentId) AS Position
            FROM cand WHERE Best = 1
        )
        SELECT r.CustomerId, r.Position, r.ConsequentId AS ProductId, pc.Name AS ProductName, pc.Category,
            r.AntecedentId AS BecauseProductId, pa.Name AS BecauseProductName, r.Confidence, r.Lift
        FROM ranked AS r JOIN Products AS pc ON pc.Id = r.ConsequentId JOIN Products AS pa ON pa.Id = r.AntecedentId
        WHERE r.Position <= @top
        ORDER BY r.CustomerId, r.Position
        """;

    /// <summary>Replaces every association rule with a fresh computation over all purchases.</summary>
    public async Task<AssociationRefreshResult> RefreshAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        var settings = options.Value;

        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.ProductAssociations.ExecuteDeleteAsync(ct);
            var rules = await db.Database.ExecuteSqlRawAsync(RecomputeSql,
            [
                new SqliteParameter("@now", now),
                new SqliteParameter("@minPair", settings.AssociationMinPairCustomers),
                new SqliteParameter("@minSupport", settings.AssociationMinSupport),
                new SqliteParameter("@minConfidence", settings.AssociationMinConfidence),
                new SqliteParameter("@minLift", settings.AssociationMinLift),
            ], ct);
            var customers = await db.Database.SqlQueryRaw<int>(CustomersSql).SingleAsync(ct);
            var duration = (long)time.GetElapsedTime(started).TotalMilliseconds;
            db.ProductAssociationRuns.Add(new ProductAssociationRun
            {
                ComputedAt = now,
                DurationMs = duration,
                Customers = customers,
                Rules = rules,
                MinSupport = settings.AssociationMinSupport,
                MinConfidence = settings.AssociationMinConfidence,
                MinLift = settings.AssociationMinLift,
                MinPairCustomers = settings.AssociationMinPairCustomers,
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new AssociationRefreshResult(customers, rules, duration);
        });

        LogRecomputed(logger, result.Rules, result.Customers, result.DurationMs);
        return result;
    }

    /// <summary>When the rules were last computed; null when never.</summary>
    public async Task<DateTime?> LastComputedAtAsync(CancellationToken ct) =>
        await db.ProductAssociationRuns.AsNoTracking().OrderByDescending(r => r.Id).Select(r => (DateTime?)r.ComputedAt).FirstOrDefaultAsync(ct);

    /// <summary>The top products one customer has not bought yet, best first, each with its reason.</summary>
    /// <param name="top">How many; the configured <see cref="AnalyticsOptions.RecommendationsPerCustomer"/> when null.</param>
    public async Task<IReadOnlyList<ProductRecommendation>> GetForCustomerAsync(int customerId, int? top, CancellationToken ct)
    {
        var all = await GetForCustomersAsync([customerId], top ?? options.Value.RecommendationsPerCustomer, ct);
        return all.TryGetValue(customerId, out var list) ? list : [];
    }

    /// <summary>The top <paramref name="top"/> recommendations of each of the given customers in one query, for
    /// message templates and batch evaluation. Customers without any recommendation are absent from the result.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<ProductRecommendation>>> GetForCustomersAsync(
        IReadOnlyCollection<int> customerIds, int top, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (customerIds.Count == 0)
        {
            return new Dictionary<int, IReadOnlyList<ProductRecommendation>>();
        }

        var rows = await db.Database.SqlQueryRaw<RecommendationSqlRow>(RecommendSql,
            new SqliteParameter("@ids", JsonSerializer.Serialize(customerIds)),
            new SqliteParameter("@top", top)).ToListAsync(ct);
        return rows.GroupBy(r => r.CustomerId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<ProductRecommendation>)g.Select(r => new ProductRecommendation(
                (int)r.Position, r.ProductId, r.ProductName, r.Category, r.BecauseProductId, r.BecauseProductName,
                r.Confidence, r.Lift, Reason(r.BecauseProductName, r.Lift))).ToList());
    }

    /// <summary>The strongest rules, by lift then confidence, for the associations page.</summary>
    public async Task<AssociationsViewModel> GetStrongestAsync(CancellationToken ct)
    {
        var run = await db.ProductAssociationRuns.AsNoTracking().OrderByDescending(r => r.Id)
            .Select(r => new AssociationRunSummary(r.ComputedAt, r.DurationMs, r.Customers, r.Rules, r.MinSupport, r.MinConfidence, r.MinLift, r.MinPairCustomers))
            .FirstOrDefaultAsync(ct);
        var rows = await (
            from a in db.ProductAssociations.AsNoTracking()
            join x in db.Products on a.AntecedentId equals x.Id
            join y in db.Products on a.ConsequentId equals y.Id
            orderby a.Lift descending, a.Confidence descending, a.AntecedentId, a.ConsequentId
            select new AssociationRow(a.AntecedentId, x.Name, a.ConsequentId, y.Name, a.PairCustomers, a.Support, a.Confidence, a.Lift))
            .Take(MaxAssociationsShown)
            .ToListAsync(ct);
        var total = await db.ProductAssociations.CountAsync(ct);
        var settings = options.Value;
        return new AssociationsViewModel
        {
            LastRun = run,
            Rows = rows,
            TotalRules = total,
            MinSupport = settings.AssociationMinSupport,
            MinConfidence = settings.AssociationMinConfidence,
            MinLift = settings.AssociationMinLift,
            MinPairCustomers = settings.AssociationMinPairCustomers,
        };
    }

    private string Reason(string because, double lift) =>
        l["Bought {0}; customers who buy {0} buy this {1}× more often", because, lift.ToString("0.0", CultureInfo.CurrentCulture)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Product associations recomputed: {Rules} rules from {Customers} customers in {DurationMs} ms")]
    private static partial void LogRecomputed(ILogger logger, int rules, int customers, long durationMs);

    private sealed class RecommendationSqlRow
    {
        public int CustomerId { get; set; }
        public long Position { get; set; }
        public int ProductId { get; set; }
        public string ProductName { get; set; } = string.Empty;
        public string? Category { get; set; }
        public int BecauseProductId { get; set; }
        public string BecauseProductName { get; set; } = string.Empty;
        public double Confidence { get; set; }
        public double Lift { get; set; }
    }
}
