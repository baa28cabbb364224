using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using CrmMarketing.Web.Data;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Segments;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.Benchmarks;

internal sealed record SegmentBenchmarkOptions(string DatabasePath, int Iterations, int Warmup, bool ShowPlans = false);

/// <summary>A three-condition segment preview (city in three cities AND total spent above the median AND bought
/// the busiest category within 90 days) through SegmentService.PreviewAsync against hand-written SQL returning
/// the same count and sample, on the same file in the same process. The file is opened read-only.</summary>
internal sealed class SegmentBenchmark(SegmentBenchmarkOptions options, TextWriter log)
{
    private const double Goal = 1.5;
    private const int Days = 90;

    private const string BaselineWhere = """
        FROM Customers AS c
        WHERE c.IsArchived = 0 AND c.City IN (@c1, @c2, @c3) AND c.TotalSpent > @spent
          AND EXISTS (SELECT 1 FROM Purchases AS p
                      JOIN PurchaseLines AS l ON l.PurchaseId = p.Id
                      JOIN Products AS pr ON pr.Id = l.ProductId
                      WHERE p.CustomerId = c.Id AND p.PurchasedAt >= @since AND l.Quantity > 0 AND pr.Category = @category)
        """;

    private readonly DisplayFormatter _formatter = new(Microsoft.Extensions.Options.Options.Create(new CrmOptions()));
    private readonly IStringLocalizer<SharedResource> _localizer = new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly CommandRecorder _recorder = new();
    private PooledDbContextFactory<CrmDbContext> _contexts = null!;
    private SqliteConnection _raw = null!;
    private TimeProvider _time = null!;

    public async Task RunAsync(CancellationToken ct)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(options.DatabasePath),
            Mode = SqliteOpenMode.ReadOnly,
        }.ToString();
        _contexts = new PooledDbContextFactory<CrmDbContext>(new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(options.ShowPlans ? [new SqlitePragmaInterceptor(), _recorder] : [new SqlitePragmaInterceptor()]).Options);
        await using var raw = new SqliteConnection(connectionString);
        raw.Open();
        _raw = raw;
        // The hand SQL runs with the app's connection set-up too.
        using (var pragmas = raw.CreateCommand())
        {
            pragmas.CommandText = SqlitePragmaInterceptor.Pragmas;
            pragmas.ExecuteNonQuery();
        }

        // "Now" is the newest purchase, so that "within 90 days" selects recent buyers of generated data of any age.
        var newest = DateTime.SpecifyKind(DateTime.Parse((string)Scalar("SELECT MAX(PurchasedAt) FROM Purchases"), CultureInfo.InvariantCulture), DateTimeKind.Utc);
        _time = new FixedTime(new DateTimeOffset(newest.AddHours(1)));
        var since = _time.GetUtcNow().UtcDateTime.AddDays(-Days);

        var cities = Strings("SELECT City FROM Customers WHERE City IS NOT NULL GROUP BY City ORDER BY COUNT(*) DESC, City LIMIT 3");
        var category = Strings("""
            SELECT pr.Category FROM PurchaseLines AS l JOIN Products AS pr ON pr.Id = l.ProductId
            WHERE pr.Category IS NOT NULL GROUP BY pr.Category ORDER BY COUNT(*) DESC, pr.Category LIMIT 1
            """)[0];
        var customers = Convert.ToInt64(Scalar("SELECT COUNT(*) FROM Customers"), CultureInfo.InvariantCulture);
        var medianStored = Convert.ToInt64(Scalar("SELECT TotalSpent FROM Customers ORDER BY TotalSpent LIMIT 1 OFFSET " + (customers / 2).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var spent = decimal.Round(Money.FromStored(medianStored), 0);

        var rule = JsonSerializer.Serialize(new
        {
            match = "all",
            conditions = new object[]
            {
                new { field = "city", @operator = "in", values = cities },
                new { field = "totalSpent", @operator = "gt", value = spent },
                new { field = "boughtCategory", @operator = "bought", value = category, days = Days },
            },
        });
        log.WriteLine($"Database {options.DatabasePath}: {customers:N0} customers. Rule: {rule}");
        log.WriteLine($"{options.Warmup} warm-up rounds and {options.Iterations} timed runs per side; times in ms.");

        var storedSpent = Money.ToStored(spent);
        (int Count, List<int> Sample) Baseline()
        {
            using var count = Command("SELECT COUNT(*) " + BaselineWhere, cities, storedSpent, since, category);
            var n = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            using var sample = Command("SELECT c.Id, c.Name, c.City, c.TotalSpent, c.LastPurchaseAt " + BaselineWhere + " ORDER BY c.Id LIMIT "
                + SegmentService.PreviewSampleSize.ToString(CultureInfo.InvariantCulture), cities, storedSpent, since, category);
            using var reader = sample.ExecuteReader();
            var ids = new List<int>();
            while (reader.Read())
            {
                ids.Add(reader.GetInt32(0));
            }

            return (n, ids);
        }

        var service = await PreviewAsync(rule, ct);
        var baseline = Baseline();
        if (options.ShowPlans)
        {
            _recorder.Start();
            await PreviewAsync(rule, ct);
            foreach (var (sql, parameters) in _recorder.Stop())
            {
                log.WriteLine("service SQL: " + OneLine(sql));
                log.WriteLine("  parameters: " + string.Join(", ", parameters.Select(p => $"{p.Name}={Convert.ToString(p.Value is DateTime d ? d.ToString("O", CultureInfo.InvariantCulture) : p.Value, CultureInfo.InvariantCulture)}")));
                PrintPlan(sql, parameters);
            }

            foreach (var sql in new[] { "SELECT COUNT(*) " + BaselineWhere, "SELECT c.Id " + BaselineWhere + " ORDER BY c.Id LIMIT 20" })
            {
                log.WriteLine("raw SQL: " + OneLine(sql));
                using var command = Command(sql, cities, storedSpent, since, category);
                PrintPlan(sql, command.Parameters.Cast<SqliteParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList());
            }
        }
        if (service.Count != baseline.Count || !service.Sample.SequenceEqual(baseline.Sample))
        {
            throw new BenchmarkFailedException($"The service and the baseline disagree: service {service.Count} [{string.Join(", ", service.Sample)}], "
                + $"raw {baseline.Count} [{string.Join(", ", baseline.Sample)}].");
        }

        if (service.Count == 0)
        {
            throw new BenchmarkFailedException("The segment matched nobody; the measurement would be meaningless.");
        }

        for (var i = 0; i < options.Warmup; i++)
        {
            await PreviewAsync(rule, ct);
            Baseline();
        }

        var serviceTimes = new List<double>();
        var rawTimes = new List<double>();
        for (var i = 0; i < options.Iterations; i++)
        {
            // Alternate which side runs first so neither always finds the other's pages in the cache.
            if (i % 2 == 1)
            {
                rawTimes.Add(Time(() => Baseline()));
            }

            var started = Stopwatch.GetTimestamp();
            await PreviewAsync(rule, ct);
            serviceTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (i % 2 == 0)
            {
                rawTimes.Add(Time(() => Baseline()));
            }
        }

        var s = Median(serviceTimes);
        var r = Median(rawTimes);
        var ratio = s / r;
        log.WriteLine("| Scenario | Members | Service p50 | Raw p50 | Service/raw | Goal ≤ 1.5× |");
        log.WriteLine("|---|---:|---:|---:|---:|---|");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| segment preview, 3 conditions | {service.Count:N0} | {s:F2} | {r:F2} | {ratio:F2}× | {(ratio <= Goal ? "met" : "NOT MET")} |"));
    }

    private async Task<(int Count, List<int> Sample)> PreviewAsync(string rule, CancellationToken ct)
    {
        // A context per call, as per request in the app.
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var audit = new AuditService(db, _time, _formatter);
        var customers = new CustomerService(db, _cache, _time, new TimelineService([]), audit, _formatter);
        var segments = new SegmentService(db, new SegmentRuleParser(_localizer), new SegmentRuleCompiler(db, _time), customers,
            new GroupStatsService(db, _time, _formatter, _localizer),
            new CustomerExportService(db, customers, audit, _time, _formatter, _localizer, NullLogger<CustomerExportService>.Instance),
            audit, _formatter, _time, _localizer, NullLogger<SegmentService>.Instance);
        var outcome = await segments.PreviewAsync(rule, ct);
        if (outcome.Preview is null)
        {
            throw new BenchmarkFailedException("The rule was refused: " + outcome.Error);
        }

        return (outcome.Preview.Count, outcome.Preview.Sample.Select(m => m.Id).ToList());
    }

    private SqliteCommand Command(string sql, IReadOnlyList<string> cities, long spent, DateTime since, string category)
    {
        var command = _raw.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@c1", cities[0]);
        command.Parameters.AddWithValue("@c2", cities.Count > 1 ? cities[1] : cities[0]);
        command.Parameters.AddWithValue("@c3", cities.Count > 2 ? cities[2] : cities[0]);
        command.Parameters.AddWithValue("@spent", spent);
        command.Parameters.AddWithValue("@since", since);
        command.Parameters.AddWithValue("@category", category);
        return command;
    }

    private object Scalar(string sql)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() ?? throw new BenchmarkFailedException("The database is empty: " + sql);
    }

    private List<string> Strings(string sql)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values.Count > 0 ? values : throw new BenchmarkFailedException("The database has no data for: " + sql);
    }

    private void PrintPlan(string sql, List<(string Name, object? Value)> parameters)
    {
        using var explain = _raw.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var depth = new Dictionary<long, int> { [0] = 0 };
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            var level = depth.GetValueOrDefault(reader.GetInt64(1)) + 1;
            depth[reader.GetInt64(0)] = level;
            log.WriteLine(new string(' ', 2 * level) + "plan: " + reader.GetString(3));
        }
    }

    private static string OneLine(string sql) => string.Join(" ", sql.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static double Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
