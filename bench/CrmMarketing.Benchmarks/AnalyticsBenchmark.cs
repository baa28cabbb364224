using System.Diagnostics;
using System.Globalization;

using CrmMarketing.Web.Data;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Analytics;
using CrmMarketing.Web.ViewModels.Dashboard;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.Benchmarks;

internal sealed record AnalyticsBenchmarkOptions(string DatabasePath, int Iterations, int Warmup, IReadOnlyList<string> Scenarios);

/// <summary>Dashboard (one-year range), cohort table, RFM recompute and purchase habits through the app's services
/// against hand-written SQL on Microsoft.Data.Sqlite over the same file in the same run; the results must be equal.
/// The two sides alternate run by run (service first, then hand SQL first), so a change in the machine's load hits
/// both alike; each ratio is reported as the ratio of the medians and as the median and range of the per-pair ratios.</summary>
internal sealed class AnalyticsBenchmark(AnalyticsBenchmarkOptions options, TextWriter log)
{
    public static readonly string[] Scenarios = ["dashboard", "cohorts", "rfm", "habits"];

    // The display zone of the default configuration (Asia/Shanghai, UTC+8 all year) as a fixed offset in the hand SQL.
    private const string LocalOffset = "'+480 minutes'";
    private const string NotArchived = "CustomerId NOT IN (SELECT Id FROM Customers WHERE IsArchived <> 0)";

    private readonly DisplayFormatter _formatter = new(Microsoft.Extensions.Options.Options.Create(new CrmOptions()));
    private readonly IStringLocalizer<SharedResource> _localizer = new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
    private readonly AnalyticsOptions _analytics = new();
    private PooledDbContextFactory<CrmDbContext> _contexts = null!;
    private SqliteConnection _raw = null!;
    private TimeProvider _time = null!;

    public async Task RunAsync(CancellationToken ct)
    {
        var path = Path.GetFullPath(options.DatabasePath);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        var dbOptions = new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmaInterceptor())
            .Options;
        await using (var migrate = new CrmDbContext(dbOptions))
        {
            var pending = (await migrate.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
            {
                log.WriteLine($"Applying {pending.Count} pending migration(s): {string.Join(", ", pending)}");
                migrate.Database.SetCommandTimeout(TimeSpan.FromHours(1));
                var started = Stopwatch.GetTimestamp();
                await migrate.Database.MigrateAsync(ct);
                // New indexes have no statistics yet; the planner needs them to choose them.
                await migrate.Database.ExecuteSqlRawAsync("ANALYZE", ct);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Migrated and analysed in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s."));
            }
        }

        _contexts = new PooledDbContextFactory<CrmDbContext>(dbOptions);
        await using var raw = new SqliteConnection(connectionString);
        raw.Open();
        using (var pragma = raw.CreateCommand())
        {
            // The same connection set-up as the app's interceptor (synchronous, page cache, temporary storage).
            pragma.CommandText = SqlitePragmaInterceptor.Pragmas;
            pragma.ExecuteNonQuery();
        }

        _raw = raw;
        // One fixed "now" for both sides: the day after the newest purchase, so the year is full of data.
        var newest = Scalar("SELECT MAX(PurchasedAt) FROM Purchases") as string ?? DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var now = DateTime.SpecifyKind(DateTime.Parse(newest, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc).AddHours(1);
        _time = new FixedTime(now);
        log.WriteLine($"Database {options.DatabasePath}: {Scalar("SELECT COUNT(*) FROM Customers"):N0} customers, "
            + $"{Scalar("SELECT COUNT(*) FROM Purchases"):N0} purchases; now = {now:u}. {options.Warmup} warm-up and {options.Iterations} timed runs each; times in ms.");
        log.WriteLine();

        var results = new List<(string Name, Pair Pair, double Goal)>();
        foreach (var scenario in options.Scenarios)
        {
            results.Add(scenario switch
            {
                "dashboard" => await DashboardAsync(ct),
                "cohorts" => await CohortsAsync(ct),
                "rfm" => await RfmAsync(ct),
                _ => await HabitsAsync(ct),
            });
        }

        log.WriteLine();
        log.WriteLine("| Scenario | Service p50 | Hand SQL p50 | Service/SQL (p50s) | Per-pair ratios: median (min–max) | CPU p50 service / hand | Goal |");
        log.WriteLine("|---|---:|---:|---:|---|---|---|");
        foreach (var (name, pair, goal) in results)
        {
            var ratio = pair.Service / pair.Hand;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {pair.Service:F1} | {pair.Hand:F1} | {ratio:F2}× | {pair.RatioMedian:F2}× ({pair.RatioMin:F2}–{pair.RatioMax:F2}) | {pair.ServiceCpu:F0} / {pair.HandCpu:F0} | ≤ {goal:F1}× {(ratio <= goal ? "met" : "MISSED")} |"));
        }
    }

    // ---------------------------------------------------------------- dashboard

    private async Task<(string, Pair, double)> DashboardAsync(CancellationToken ct)
    {
        var query = new DashboardQuery { Days = 365 };
        var today = DateOnly.FromDateTime(_formatter.ToLocal(_time.GetUtcNow().UtcDateTime));
        var period = DashboardPeriod.Resolve(query, today);
        var (service, hand, pair) = await TimePairAsync("dashboard, 365 days", async () =>
        {
            await using var db = _contexts.CreateDbContext();
            return await new DashboardService(db, _time, _formatter).GetAsync(query, ct);
        }, () => HandDashboard(period));
        CompareDashboard(service, hand);
        log.WriteLine("  dashboard results equal: KPIs of both periods, " + hand.Series.Count + " monthly points, "
            + hand.Regions.Count + " regions, top cities, top products, RFM segments.");
        return ("Dashboard data, one-year range", pair, 1.5);
    }

    private sealed record HandDashboardResult(
        long[] Kpis, List<(string Bucket, long Revenue, long Orders)> Series, Dictionary<string, long> NewCustomers,
        List<(string? Key, long Revenue, long Orders, long Customers)> Regions, List<(string? Key, long Revenue, long Orders, long Customers)> Cities,
        List<(long ProductId, long Revenue, long Units, long Buyers)> Products, Dictionary<long, long> Segments);

    private HandDashboardResult HandDashboard(DashboardPeriod period)
    {
        var from = _formatter.StartOfDayUtc(period.From);
        var to = _formatter.EndOfDayUtc(period.To);
        var previous = _formatter.StartOfDayUtc(period.PreviousFrom);
        SqliteParameter[] P() => [new("@from", from), new("@to", to), new("@pfrom", previous)];

        // Per period: revenue, orders, active customers, customers with two or more orders.
        var kpis = new long[12];
        foreach (var r in Rows($"""
            SELECT PurchasedAt >= @from, SUM(Revenue), SUM(Orders), SUM(Orders > 0), SUM(Orders > 1)
            FROM (SELECT PurchasedAt, CustomerId, SUM(Total) AS Revenue, SUM(Total >= 0) AS Orders FROM Purchases
                  WHERE PurchasedAt >= @pfrom AND PurchasedAt < @to AND {NotArchived}
                  GROUP BY PurchasedAt >= @from, CustomerId)
            GROUP BY 1
            """, P()))
        {
            var offset = (long)r[0]! == 1 ? 0 : 4;
            for (var i = 0; i < 4; i++)
            {
                kpis[offset + i] = (long)r[i + 1]!;
            }
        }

        var counts = Rows("""
            SELECT TOTAL(CreatedAt < @to), TOTAL(CreatedAt < @from), TOTAL(FirstPurchaseAt >= @from AND FirstPurchaseAt < @to),
                   TOTAL(FirstPurchaseAt >= @pfrom AND FirstPurchaseAt < @from)
            FROM Customers WHERE IsArchived = 0
            """, P()).Single();
        for (var i = 0; i < 4; i++)
        {
            kpis[8 + i] = (long)(double)counts[i]!;
        }

        var series = Rows($"""
            SELECT strftime('%Y-%m-01', PurchasedAt, {LocalOffset}), SUM(Total), SUM(Total >= 0) FROM Purchases
            WHERE PurchasedAt >= @from AND PurchasedAt < @to AND {NotArchived} GROUP BY 1 ORDER BY 1
            """, P()).Select(r => ((string)r[0]!, (long)r[1]!, (long)r[2]!)).ToList();
        var newcomers = Rows($"""
            SELECT strftime('%Y-%m-01', FirstPurchaseAt, {LocalOffset}), COUNT(*) FROM Customers
            WHERE IsArchived = 0 AND FirstPurchaseAt >= @from AND FirstPurchaseAt < @to GROUP BY 1
            """, P()).ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        List<(string?, long, long, long)> Breakdown(string column, string limit) => Rows($"""
            SELECT c.{column}, SUM(p.Total) AS Revenue, SUM(p.Total >= 0), COUNT(DISTINCT p.CustomerId)
            FROM Purchases p JOIN Customers c ON c.Id = p.CustomerId
            WHERE p.PurchasedAt >= @from AND p.PurchasedAt < @to AND c.IsArchived = 0
            GROUP BY c.{column} ORDER BY Revenue DESC, c.{column} {limit}
            """, P()).Select(r => ((string?)r[0], (long)r[1]!, (long)r[2]!, (long)r[3]!)).ToList();
        var regions = Breakdown("Region", string.Empty);
        var cities = Breakdown("City", "LIMIT " + DashboardService.TopCities.ToString(CultureInfo.InvariantCulture));
        var products = Rows($"""
            SELECT l.ProductId, SUM(l.Amount) AS Revenue, SUM(l.Quantity), COUNT(DISTINCT CASE WHEN l.Quantity > 0 THEN p.CustomerId END)
            FROM Purchases p JOIN PurchaseLines l ON l.PurchaseId = p.Id
            WHERE p.PurchasedAt >= @from AND p.PurchasedAt < @to AND p.{NotArchived}
            GROUP BY l.ProductId ORDER BY Revenue DESC, l.ProductId LIMIT {DashboardService.TopProductCount}
            """, P()).Select(r => ((long)r[0]!, (long)r[1]!, (long)r[2]!, (long)r[3]!)).ToList();
        var segments = Rows("SELECT Segment, COUNT(*) FROM CustomerRfm GROUP BY Segment", [])
            .ToDictionary(r => (long)r[0]!, r => (long)r[1]!);
        return new HandDashboardResult(kpis, series, newcomers, regions, cities, products, segments);
    }

    private static void CompareDashboard(DashboardViewModel s, HandDashboardResult h)
    {
        var k = s.Kpis;
        Equal("revenue", Money.ToStored(k.Revenue.Current), h.Kpis[0]);
        Equal("orders", (long)k.Orders.Current, h.Kpis[1]);
        Equal("active customers", (long)k.ActiveCustomers.Current, h.Kpis[2]);
        Equal("repeat rate", k.RepeatPurchaseRate.Current, h.Kpis[2] == 0 ? null : (decimal)h.Kpis[3] / h.Kpis[2]);
        Equal("previous revenue", Money.ToStored(k.Revenue.Previous), h.Kpis[4]);
        Equal("previous orders", (long)k.Orders.Previous, h.Kpis[5]);
        Equal("previous active customers", (long)k.ActiveCustomers.Previous, h.Kpis[6]);
        Equal("customers", (long)k.Customers.Current, h.Kpis[8]);
        Equal("customers before", (long)k.Customers.Previous, h.Kpis[9]);
        Equal("new customers", (long)k.NewCustomers.Current, h.Kpis[10]);
        Equal("previous new customers", (long)k.NewCustomers.Previous, h.Kpis[11]);
        Equal("average order value", k.AverageOrderValue.Current, h.Kpis[1] == 0 ? null : decimal.Round(Money.FromStored(h.Kpis[0]) / h.Kpis[1], 4));

        var byMonth = h.Series.ToDictionary(x => x.Bucket);
        foreach (var t in s.Series)
        {
            var key = new DateOnly(t.Start.Year, t.Start.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var expected = byMonth.GetValueOrDefault(key);
            Equal("revenue of " + key, Money.ToStored(t.Revenue), expected.Revenue);
            Equal("orders of " + key, (long)t.Orders, expected.Orders);
            Equal("new customers of " + key, (long)t.NewCustomers, h.NewCustomers.GetValueOrDefault(key));
        }

        Equal("months with sales", s.Series.Count(t => t.Orders != 0 || t.Revenue != 0), h.Series.Count);
        Equal("regions", string.Join("|", s.Regions.Select(r => $"{(r.Filter is null ? null : r.Label)}:{Money.ToStored(r.Revenue)}:{r.Orders}:{r.Customers}")),
            string.Join("|", h.Regions.Select(r => $"{r.Key}:{r.Revenue}:{r.Orders}:{r.Customers}")));
        Equal("cities", string.Join("|", s.Cities.Select(r => $"{(r.Filter is null ? null : r.Label)}:{Money.ToStored(r.Revenue)}:{r.Orders}:{r.Customers}")),
            string.Join("|", h.Cities.Select(r => $"{r.Key}:{r.Revenue}:{r.Orders}:{r.Customers}")));
        Equal("products", string.Join("|", s.TopProducts.Select(r => $"{r.ProductId}:{Money.ToStored(r.Revenue)}:{r.Units}:{r.Buyers}")),
            string.Join("|", h.Products.Select(r => $"{r.ProductId}:{r.Revenue}:{r.Units}:{r.Buyers}")));
        Equal("segments", string.Join("|", s.Segments.Where(x => x.Customers > 0).Select(x => $"{(int)x.Segment}:{x.Customers}")),
            string.Join("|", h.Segments.OrderBy(x => x.Key).Select(x => $"{x.Key}:{x.Value}")));
    }

    // ---------------------------------------------------------------- cohorts

    private async Task<(string, Pair, double)> CohortsAsync(CancellationToken ct)
    {
        var local = _time.GetUtcNow().UtcDateTime.AddHours(8);
        var current = local.Year * 12 + local.Month - 1;
        var first = current - 11;
        var (serviceResult, handResult, pair) = await TimePairAsync("cohorts", async () =>
        {
            await using var db = _contexts.CreateDbContext();
            return await new HabitsService(db, _time, _formatter, _localizer).GetCohortsAsync(ct);
        }, () => Rows($"""
            WITH m AS (SELECT CustomerId, Total, CAST(strftime('%Y', PurchasedAt, {LocalOffset}) AS INTEGER) * 12
                              + CAST(strftime('%m', PurchasedAt, {LocalOffset}) AS INTEGER) - 1 AS M
                       FROM Purchases WHERE {NotArchived}),
                 f AS (SELECT CustomerId, MIN(M) AS Cohort FROM m WHERE Total >= 0 GROUP BY CustomerId HAVING MIN(M) >= @first)
            SELECT f.Cohort, m.M - f.Cohort, COUNT(DISTINCT CASE WHEN m.Total >= 0 THEN m.CustomerId END), SUM(m.Total)
            FROM f JOIN m ON m.CustomerId = f.CustomerId
            WHERE m.M >= f.Cohort AND m.M - f.Cohort < 12
            GROUP BY 1, 2
            """, [new SqliteParameter("@first", first)]).ToDictionary(r => ((long)r[0]!, (long)r[1]!), r => ((long)r[2]!, (long)r[3]!)));

        var cells = 0;
        foreach (var row in serviceResult.Cohorts)
        {
            var cohort = row.Month.Year * 12 + row.Month.Month - 1;
            foreach (var cell in row.Cells.Where(c => c is not null))
            {
                var expected = handResult.GetValueOrDefault((cohort, cell!.Offset));
                Equal($"cohort {row.Month:yyyy-MM} +{cell.Offset} customers", (long)cell.Customers, expected.Item1);
                Equal($"cohort {row.Month:yyyy-MM} +{cell.Offset} revenue", Money.ToStored(cell.Revenue), expected.Item2);
                cells++;
            }
        }

        Equal("cohort cells with data", serviceResult.Cohorts.SelectMany(r => r.Cells).Count(c => c is { Customers: > 0 } || c is { Revenue: not 0 }),
            handResult.Count(x => x.Value.Item1 > 0 || x.Value.Item2 != 0));
        log.WriteLine($"  cohort results equal: {cells} cells (customers and revenue).");
        return ("Cohort table, 12 months", pair, 1.5);
    }

    // ---------------------------------------------------------------- habits

    private sealed record HandHabitsResult(
        List<(string? Label, long Revenue, long Buyers)> Categories, List<(string? Label, long Revenue, long Buyers)> Products,
        Dictionary<long, long> Heat, List<(long Channel, long Orders, long Revenue)> Channels, long Buyers, long RepeatBuyers, double? MedianGap);

    private async Task<(string, Pair, double)> HabitsAsync(CancellationToken ct)
    {
        var (service, hand, pair) = await TimePairAsync("purchase habits", async () =>
        {
            await using var db = _contexts.CreateDbContext();
            return await new HabitsService(db, _time, _formatter, _localizer).GetHabitsAsync(new HabitsQuery(), ct);
        }, HandHabits);

        string Label(string? label) => string.IsNullOrEmpty(label) ? _localizer["Uncategorised"] : label;
        string Ranked(IEnumerable<(string? Label, long Revenue, long Buyers)> rows) =>
            string.Join("|", rows.Select(r => $"{Label(r.Label)}:{r.Revenue}:{r.Buyers}"));
        string Top(IEnumerable<RankedItem> rows) => string.Join("|", rows.Select(r => $"{r.Label}:{Money.ToStored(r.Revenue)}:{r.Buyers}"));
        IEnumerable<(string? Label, long Revenue, long Buyers)> ByRevenue(List<(string? Label, long Revenue, long Buyers)> rows) =>
            rows.OrderByDescending(r => r.Revenue).ThenBy(r => r.Label, StringComparer.Ordinal).Take(HabitsService.TopItems);
        IEnumerable<(string? Label, long Revenue, long Buyers)> ByBuyers(List<(string? Label, long Revenue, long Buyers)> rows) =>
            rows.OrderByDescending(r => r.Buyers).ThenBy(r => r.Label, StringComparer.Ordinal).Take(HabitsService.TopItems);

        Equal("categories by revenue", Top(service.CategoriesByRevenue), Ranked(ByRevenue(hand.Categories)));
        Equal("categories by buyers", Top(service.CategoriesByBuyers), Ranked(ByBuyers(hand.Categories)));
        Equal("products by revenue", Top(service.ProductsByRevenue), Ranked(ByRevenue(hand.Products)));
        Equal("products by buyers", Top(service.ProductsByBuyers), Ranked(ByBuyers(hand.Products)));
        Equal("heatmap", string.Join(",", service.Heatmap.Select(c => c.Orders)),
            string.Join(",", Enumerable.Range(0, 7 * 24).Select(i => hand.Heat.GetValueOrDefault((long)i))));
        Equal("channel mix", string.Join("|", service.Channels.Select(c => $"{(int)c.Channel}:{c.Orders}:{Money.ToStored(c.Revenue)}")),
            string.Join("|", hand.Channels.Select(c => $"{c.Channel}:{c.Orders}:{c.Revenue}")));
        Equal("buyers", (long)service.Buyers, hand.Buyers);
        Equal("repeat buyers", (long)service.RepeatBuyers, hand.RepeatBuyers);
        Equal("median days between orders", service.MedianGapDays, hand.MedianGap is { } m ? decimal.Round((decimal)m, 1) : null);
        log.WriteLine($"  habits results equal: top categories and products (revenue, buyers), {hand.Heat.Count} heatmap cells, "
            + $"{hand.Channels.Count} channels, {hand.Buyers:N0} buyers, {hand.RepeatBuyers:N0} repeat buyers, median gap {service.MedianGapDays} days.");
        return ("Purchase habits, all customers", pair, 1.5);
    }

    private HandHabitsResult HandHabits()
    {
        List<(string?, long, long)> Ranking(string sql) => Rows(sql, []).Select(r => ((string?)r[0], (long)r[1]!, (long)r[2]!)).ToList();
        var categories = Ranking($"""
            SELECT pr.Category, SUM(l.Amount), COUNT(DISTINCT CASE WHEN l.Quantity > 0 THEN p.CustomerId END)
            FROM Purchases p JOIN PurchaseLines l ON l.PurchaseId = p.Id JOIN Products pr ON pr.Id = l.ProductId
            WHERE p.{NotArchived} GROUP BY pr.Category
            """);
        var products = Ranking($"""
            SELECT pr.Name || ' (' || pr.Sku || ')', t.Revenue, t.Buyers
            FROM (SELECT l.ProductId, SUM(l.Amount) AS Revenue, COUNT(DISTINCT CASE WHEN l.Quantity > 0 THEN p.CustomerId END) AS Buyers
                  FROM Purchases p JOIN PurchaseLines l ON l.PurchaseId = p.Id WHERE p.{NotArchived} GROUP BY l.ProductId) t
            JOIN Products pr ON pr.Id = t.ProductId
            """);
        var heat = Rows($"""
            SELECT CAST(strftime('%w', PurchasedAt, {LocalOffset}) AS INTEGER) * 24 + CAST(strftime('%H', PurchasedAt, {LocalOffset}) AS INTEGER), COUNT(*)
            FROM Purchases WHERE Total >= 0 AND {NotArchived} GROUP BY 1
            """, []).ToDictionary(r => (long)r[0]!, r => (long)r[1]!);
        var channels = Rows($"SELECT Channel, SUM(Total >= 0), SUM(Total) FROM Purchases WHERE {NotArchived} GROUP BY Channel ORDER BY Channel", [])
            .Select(r => ((long)r[0]!, (long)r[1]!, (long)r[2]!)).ToList();
        var buyers = Rows($"""
            SELECT COUNT(*), TOTAL(Orders >= 2) FROM (SELECT COUNT(*) AS Orders FROM Purchases WHERE Total >= 0 AND {NotArchived} GROUP BY CustomerId)
            """, []).Single();
        const string gaps = $"""
            WITH g AS (SELECT julianday(PurchasedAt) - julianday(LAG(PurchasedAt) OVER (PARTITION BY CustomerId ORDER BY PurchasedAt)) AS Gap
                       FROM Purchases WHERE Total >= 0 AND {NotArchived})
            """;
        var n = (long)Scalar(gaps + " SELECT COUNT(*) FROM g WHERE Gap IS NOT NULL")!;
        var median = Rows(gaps + " SELECT AVG(Gap) FROM (SELECT Gap FROM g WHERE Gap IS NOT NULL ORDER BY Gap LIMIT @take OFFSET @skip)",
            [new SqliteParameter("@take", 2 - n % 2), new SqliteParameter("@skip", Math.Max(0, (n - 1) / 2))]).Single()[0] as double?;
        return new HandHabitsResult(categories, products, heat, channels, (long)buyers[0]!, (long)(double)buyers[1]!, median);
    }

    // ---------------------------------------------------------------- RFM

    private async Task<(string, Pair, double)> RfmAsync(CancellationToken ct)
    {
        // Both sides do the same work: in one transaction, delete every stored score and insert the new ones with one
        // INSERT … SELECT (the service also records the run). Each result is copied aside, untimed, for the comparison.
        var now = _time.GetUtcNow().UtcDateTime;
        const string columns = "CustomerId, RecencyScore, FrequencyScore, MonetaryScore, Segment, RecencyDays, Frequency, Monetary";
        var (service, hand, pair) = await TimePairAsync("RFM recompute", async () =>
        {
            await using var db = _contexts.CreateDbContext();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            return await new RfmService(db, _time, Microsoft.Extensions.Options.Options.Create(_analytics), NullLogger<RfmService>.Instance).RefreshAsync(ct);
        }, () =>
        {
            using var tx = _raw.BeginTransaction();
            Execute("DELETE FROM CustomerRfm", [], tx);
            var n = Execute($"""
                INSERT INTO CustomerRfm (CustomerId, RecencyScore, FrequencyScore, MonetaryScore, Segment, RecencyDays, Frequency, Monetary, ComputedAt)
                SELECT CustomerId, R, F, M, {HandSegmentCase()}, RecencyDays, Frequency, Monetary, @now
                FROM (SELECT CustomerId, RecencyDays, Frequency, Monetary,
                        1 + 5 * (RANK() OVER (ORDER BY RecencyDays DESC) - 1) / COUNT(*) OVER () AS R,
                        1 + 5 * (RANK() OVER (ORDER BY Frequency) - 1) / COUNT(*) OVER () AS F,
                        1 + 5 * (RANK() OVER (ORDER BY Monetary) - 1) / COUNT(*) OVER () AS M
                      FROM (SELECT p.CustomerId,
                              CAST(julianday(@now) - julianday(COALESCE(MAX(CASE WHEN p.Total >= 0 THEN p.PurchasedAt END), MAX(p.PurchasedAt))) AS INTEGER) AS RecencyDays,
                              SUM(p.Total >= 0) AS Frequency, SUM(p.Total) AS Monetary
                            FROM Purchases p JOIN Customers c ON c.Id = p.CustomerId
                            WHERE c.IsArchived = 0 AND p.PurchasedAt >= @from AND p.PurchasedAt <= @now
                            GROUP BY p.CustomerId))
                """, [new SqliteParameter("@now", now), new SqliteParameter("@from", now.AddDays(-_analytics.RfmWindowDays))], tx);
            tx.Commit();
            return n;
        },
        afterService: () => Execute($"DROP TABLE IF EXISTS temp.ServiceRfm; CREATE TEMP TABLE ServiceRfm AS SELECT {columns} FROM CustomerRfm;", []),
        afterHand: () => Execute($"DROP TABLE IF EXISTS temp.HandRfm; CREATE TEMP TABLE HandRfm AS SELECT {columns} FROM CustomerRfm;", []));

        Equal("scored customers", (long)service.Customers, hand);
        var differences = (long)Scalar($"""
            SELECT (SELECT COUNT(*) FROM (SELECT {columns} FROM temp.HandRfm EXCEPT SELECT {columns} FROM temp.ServiceRfm))
                 + (SELECT COUNT(*) FROM (SELECT {columns} FROM temp.ServiceRfm EXCEPT SELECT {columns} FROM temp.HandRfm))
            """)!;
        Equal("differing RFM rows", differences, 0L);
        Execute("DROP TABLE temp.ServiceRfm; DROP TABLE temp.HandRfm;", []);
        log.WriteLine($"  RFM results equal: {hand:N0} customers, every score, segment, recency, frequency and monetary value.");
        return ("RFM recompute", pair, 2.0);
    }

    /// <summary>The segment grid of docs/rfm.md written out by hand.</summary>
    private static string HandSegmentCase() => """
        CASE
            WHEN R = 5 AND F >= 4 THEN 1
            WHEN (R IN (3, 4) AND F >= 4) OR (R = 3 AND F = 5) THEN 2
            WHEN R IN (4, 5) AND F IN (2, 3) THEN 3
            WHEN R = 5 AND F = 1 THEN 4
            WHEN R = 4 AND F = 1 THEN 5
            WHEN R = 3 AND F = 3 THEN 6
            WHEN R = 3 AND F <= 2 THEN 7
            WHEN R <= 2 AND F IN (3, 4) THEN 8
            WHEN R <= 2 AND F = 5 THEN 9
            WHEN (R = 2 AND F <= 2) OR (R = 1 AND F = 2) THEN 10
            ELSE 11
        END
        """;

    // ---------------------------------------------------------------- plumbing

    /// <summary>Medians of both sides in ms (elapsed and CPU), and the median, smallest and largest elapsed-time ratio of the
    /// runs taken together. CPU time (user + system of the process) depends much less on other load on the machine.</summary>
    private sealed record Pair(double Service, double Hand, double RatioMedian, double RatioMin, double RatioMax, double ServiceCpu, double HandCpu);

    /// <summary>Warm-up runs, then timed pairs, the service first in even pairs and the hand SQL first in odd ones;
    /// the optional callbacks run untimed after each run of their side. Returns the last result of each side.</summary>
    private async Task<(TS Service, TH Hand, Pair Pair)> TimePairAsync<TS, TH>(string name, Func<Task<TS>> service, Func<TH> hand,
        Action? afterService = null, Action? afterHand = null)
    {
        TS serviceResult = default!;
        TH handResult = default!;
        var serviceCpu = new List<double>(options.Iterations);
        var handCpu = new List<double>(options.Iterations);
        var process = Process.GetCurrentProcess();
        double Cpu()
        {
            process.Refresh();
            return process.TotalProcessorTime.TotalMilliseconds;
        }

        async Task<double> RunServiceAsync()
        {
            var cpu = Cpu();
            var started = Stopwatch.GetTimestamp();
            serviceResult = await service();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            serviceCpu.Add(Cpu() - cpu);
            afterService?.Invoke();
            return elapsed;
        }

        double RunHand()
        {
            var cpu = Cpu();
            var started = Stopwatch.GetTimestamp();
            handResult = hand();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            handCpu.Add(Cpu() - cpu);
            afterHand?.Invoke();
            return elapsed;
        }

        for (var i = 0; i < options.Warmup; i++)
        {
            await RunServiceAsync();
            RunHand();
        }

        serviceCpu.Clear();
        handCpu.Clear();

        var serviceTimes = new List<double>(options.Iterations);
        var handTimes = new List<double>(options.Iterations);
        var ratios = new List<double>(options.Iterations);
        for (var i = 0; i < options.Iterations; i++)
        {
            double s, h;
            if (i % 2 == 0)
            {
                s = await RunServiceAsync();
                h = RunHand();
            }
            else
            {
                h = RunHand();
                s = await RunServiceAsync();
            }

            serviceTimes.Add(s);
            handTimes.Add(h);
            ratios.Add(s / h);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name} run {i + 1}: service {s:F1} (CPU {serviceCpu[^1]:F0}), hand SQL {h:F1} (CPU {handCpu[^1]:F0}), ratio {s / h:F2}"));
        }

        var pair = new Pair(Median(serviceTimes), Median(handTimes), Median(ratios), ratios.Min(), ratios.Max(), Median(serviceCpu), Median(handCpu));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} service p50 {pair.Service,10:F1}   hand SQL p50 {pair.Hand,10:F1}   ratio {pair.Service / pair.Hand:F2}   CPU p50 {pair.ServiceCpu:F0} / {pair.HandCpu:F0}"));
        return (serviceResult, handResult, pair);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void Equal<T>(string what, T actual, T expected)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
        {
            throw new BenchmarkFailedException($"{what}: service {actual}, hand SQL {expected}.");
        }
    }

    private object? Scalar(string sql)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private int Execute(string sql, SqliteParameter[] parameters, SqliteTransaction? tx = null)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        command.CommandTimeout = 3600;
        command.Parameters.AddRange(parameters);
        return command.ExecuteNonQuery();
    }

    private List<object?[]> Rows(string sql, SqliteParameter[] parameters)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 3600;
        command.Parameters.AddRange(parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private sealed class FixedTime(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now, TimeSpan.Zero);
    }
}
