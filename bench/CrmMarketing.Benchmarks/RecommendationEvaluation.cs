using System.Globalization;

using CrmMarketing.Web.Data;
using CrmMarketing.Web.Data.DemoData;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.Benchmarks;

internal sealed record RecommendationEvaluationOptions(string OutputPath, int Customers, int Top);

/// <summary>Leave-last-purchase-out evaluation of the co-purchase recommendations on the app's deterministic demo
/// data: the rules are recomputed by <see cref="RecommendationService"/> from every purchase but each customer's
/// last one, and a customer counts as a hit when one of the top recommendations is a product of that purchase
/// that they had not bought before. The baseline recommends the most-bought products the customer has not bought.</summary>
internal sealed class RecommendationEvaluation(RecommendationEvaluationOptions options, TextWriter log)
{
    /// <summary>A fixed clock, so that the demo data (and the result) are the same on every run.</summary>
    private static readonly DateTime Now = new(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc);

    public async Task<bool> RunAsync(CancellationToken ct)
    {
        var path = Path.GetFullPath(options.OutputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            File.Delete(file);
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        var dbOptions = new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(connectionString).AddInterceptors(new SqlitePragmaInterceptor()).Options;
        await using (var db = new CrmDbContext(dbOptions))
        {
            await db.Database.MigrateAsync(ct);
        }

        await using var connection = new SqliteConnection(connectionString);
        connection.Open();
        await SeedAsync(connection, ct);

        // Hold out each customer's last order (by time, then id) when they have at least two orders.
        Execute(connection, """
            CREATE TABLE EvalHoldout AS
            SELECT CustomerId, Id AS PurchaseId FROM (
                SELECT CustomerId, Id, ROW_NUMBER() OVER (PARTITION BY CustomerId ORDER BY PurchasedAt DESC, Id DESC) AS n,
                       COUNT(*) OVER (PARTITION BY CustomerId) AS Orders
                FROM Purchases WHERE Total >= 0)
            WHERE n = 1 AND Orders >= 2;
            CREATE TABLE EvalHeldOutProducts AS
            SELECT DISTINCT h.CustomerId, l.ProductId FROM EvalHoldout h JOIN PurchaseLines l ON l.PurchaseId = h.PurchaseId WHERE l.Quantity > 0;
            DELETE FROM PurchaseLines WHERE PurchaseId IN (SELECT PurchaseId FROM EvalHoldout);
            DELETE FROM Purchases WHERE Id IN (SELECT PurchaseId FROM EvalHoldout);
            """);

        var bought = Rows(connection, "SELECT DISTINCT p.CustomerId, l.ProductId FROM Purchases p JOIN PurchaseLines l ON l.PurchaseId = p.Id WHERE l.Quantity > 0")
            .GroupBy(r => r.A).ToDictionary(g => g.Key, g => g.Select(r => r.B).ToHashSet());
        var heldOut = Rows(connection, "SELECT CustomerId, ProductId FROM EvalHeldOutProducts")
            .GroupBy(r => r.A).ToDictionary(g => g.Key, g => g.Select(r => r.B).ToHashSet());
        // Only customers whose last order holds a product new to them can be hit by either recommender.
        var targets = heldOut
            .Select(kv => (Customer: kv.Key, New: kv.Value.Where(p => !bought.GetValueOrDefault(kv.Key, []).Contains(p)).ToHashSet()))
            .Where(t => t.New.Count > 0)
            .ToDictionary(t => t.Customer, t => t.New);
        var popular = Rows(connection, """
            SELECT ProductId, COUNT(DISTINCT p.CustomerId) AS Buyers FROM Purchases p JOIN PurchaseLines l ON l.PurchaseId = p.Id
            JOIN Products pr ON pr.Id = l.ProductId
            WHERE l.Quantity > 0 AND pr.IsActive = 1 GROUP BY ProductId ORDER BY Buyers DESC, ProductId
            """).Select(r => r.A).ToList();

        var analytics = new AnalyticsOptions();
        AssociationRefreshResult refresh;
        var recommended = new Dictionary<int, IReadOnlyList<ProductRecommendation>>();
        var localizer = new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
            Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
        await using (var db = new CrmDbContext(dbOptions))
        {
            var service = new RecommendationService(db, new FixedTime(Now), Microsoft.Extensions.Options.Options.Create(analytics),
                localizer, NullLogger<RecommendationService>.Instance);
            refresh = await service.RefreshAsync(ct);
            foreach (var chunk in targets.Keys.Order().Chunk(2_000))
            {
                foreach (var (customer, list) in await service.GetForCustomersAsync(chunk, options.Top, ct))
                {
                    recommended[customer] = list;
                }
            }
        }

        int hits = 0, baselineHits = 0, covered = 0;
        foreach (var (customer, wanted) in targets)
        {
            var mine = bought.GetValueOrDefault(customer, []);
            var list = recommended.GetValueOrDefault(customer, []);
            covered += list.Count > 0 ? 1 : 0;
            hits += list.Any(r => wanted.Contains(r.ProductId)) ? 1 : 0;
            baselineHits += popular.Where(p => !mine.Contains(p)).Take(options.Top).Any(wanted.Contains) ? 1 : 0;
        }

        var n = targets.Count;
        double Rate(int h) => n == 0 ? 0 : (double)h / n;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Demo data: {options.Customers:N0} customers (seed {DemoDataSeeder.RandomSeed}, generated as of {Now:yyyy-MM-dd}).
            Held out: the last order of {heldOut.Count:N0} customers with two or more orders; {n:N0} of them bought a product new to them in it.
            Rules: {refresh.Rules:N0} from {refresh.Customers:N0} customers (min pair customers {analytics.AssociationMinPairCustomers}, support {analytics.AssociationMinSupport}, confidence {analytics.AssociationMinConfidence}, lift {analytics.AssociationMinLift}) in {refresh.DurationMs} ms.
            Customers with at least one recommendation: {covered:N0} of {n:N0}.

            | Recommender | Hits | Hit rate @{options.Top} |
            |---|---:|---:|
            | Co-purchase (RecommendationService) | {hits:N0} | {Rate(hits):P1} |
            | Most popular not yet bought | {baselineHits:N0} | {Rate(baselineHits):P1} |

            Co-purchase / popular: {(baselineHits == 0 ? double.PositiveInfinity : (double)hits / baselineHits):F2}×
            """));
        return hits > baselineHits;
    }

    private async Task SeedAsync(SqliteConnection connection, CancellationToken ct)
    {
        var catalog = DemoCatalog.For(DemoCatalog.ChineseLocale);
        using var tx = connection.BeginTransaction();
        var writer = new DemoDataWriter(connection, tx);
        var ids = await writer.ReadIdBaseAsync(ct);
        var generator = new DemoDataGenerator(catalog, DemoDataSeeder.RandomSeed, Now);
        var authors = catalog.Accounts.Select(a => new DemoNoteAuthor(null, a.DisplayName, 1)).ToList();
        var data = generator.Generate(options.Customers, ids, authors, await writer.ReadProductSkusAsync(ct));
        writer.Write(data, ct);
        await writer.RecomputeAggregatesAsync(ids.Customer + 1, ids.Customer + data.Customers.Count, ct);
        tx.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<(int A, int B)> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(int, int)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return rows;
    }

    private sealed class FixedTime(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }
}
