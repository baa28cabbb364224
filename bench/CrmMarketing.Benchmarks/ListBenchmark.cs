using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace CrmMarketing.Benchmarks;

internal sealed record ListBenchmarkOptions(string DatabasePath, int Iterations, int Warmup, bool ShowPlans);

/// <summary>One list screen: the query the app receives and the hand-written SQL that returns the same rows.</summary>
/// <param name="Where">The baseline's filter; the count uses it too.</param>
/// <param name="Seek">The keyset predicate of a later page, added to <paramref name="Where"/> for the rows only.</param>
internal sealed record Scenario(string Name, CustomerListQuery Query, string Where, string OrderBy, Dictionary<string, Func<object>> Parameters, string? Seek = null);

internal sealed class BenchmarkFailedException(string message) : Exception(message);

internal sealed record Timing(double P50, double P95);

internal sealed record ScenarioResult(Scenario Scenario, Timing Service, Timing Raw, int Rows, int Count)
{
    public double Ratio => Service.P50 / Raw.P50;
}

/// <summary>Times the customer list through the app's own CustomerService against the simplest raw SQL
/// that returns the same page and the same capped count, on the same database file in the same process.</summary>
internal sealed class ListBenchmark(ListBenchmarkOptions options, TextWriter log)
{
    public const int PageSize = 25;
    private const int DeepPage = 2_000;
    private const double ServiceGoal = 2.0;
    private const double DeepPageGoal = 1.2;
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(15);
    private const string FirstPageName = "first page, by name";
    private const string DeepPageName = "page 2,000, by name";

    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly TimelineService _timeline = new([]);
    private readonly DisplayFormatter _formatter = new(Microsoft.Extensions.Options.Options.Create(new CrmOptions()));
    private readonly CommandRecorder _recorder = new();
    private PooledDbContextFactory<CrmDbContext> _contexts = null!;
    private SqliteConnection _raw = null!;

    public async Task RunAsync(CancellationToken ct)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(options.DatabasePath) }.ToString();
        // The same connection set-up as the app (AddCrmData); the recorder only when plans are wanted.
        var dbOptions = new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(options.ShowPlans ? [new SqlitePragmaInterceptor(), _recorder] : [new SqlitePragmaInterceptor()])
            .Options;
        // Pooled, as the app registers it (AddDbContextPool): a request rents a reset context.
        _contexts = new PooledDbContextFactory<CrmDbContext>(dbOptions);
        await using var raw = new SqliteConnection(connectionString);
        raw.Open();
        _raw = raw;

        var customers = Convert.ToInt64(Scalar("SELECT COUNT(*) FROM Customers"), CultureInfo.InvariantCulture);
        var purchases = Convert.ToInt64(Scalar("SELECT COUNT(*) FROM Purchases"), CultureInfo.InvariantCulture);
        log.WriteLine($"Database {options.DatabasePath}: {customers:N0} customers, {purchases:N0} purchases. "
            + $"{options.Warmup} warm-up rounds (at least {MinimumWarmup.TotalSeconds:F0} s) and {options.Iterations} timed runs per scenario; times in ms.");

        // The first call also loads the filter options, which the app then caches for five minutes.
        var started = Stopwatch.GetTimestamp();
        await ServiceListAsync(new CustomerListQuery(), ct);
        log.WriteLine($"First service call (builds the EF model, loads and caches the filter options): {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
        log.WriteLine();

        var scenarios = Scenarios().ToList();
        var baselines = scenarios.ToDictionary(s => s, s => new Baseline(_raw, s));
        try
        {
            // Check every scenario before timing anything: a fast wrong answer is worth nothing.
            var checkedCounts = new Dictionary<Scenario, (int Rows, int Count)>();
            foreach (var scenario in scenarios)
            {
                checkedCounts[scenario] = Verify(scenario, await ServiceListAsync(scenario.Query, ct), baselines[scenario].Run());
            }

            // Warm up round-robin, for a minimum time as well as a number of rounds: tiered compilation
            // promotes hot methods to optimized code only after a delay, and a long-running server
            // is measured in that steady state, not while half of EF still runs unoptimized code.
            var warmup = Stopwatch.StartNew();
            for (var i = 0; i < options.Warmup || (options.Warmup > 0 && warmup.Elapsed < MinimumWarmup); i++)
            {
                foreach (var scenario in scenarios)
                {
                    await ServiceListAsync(scenario.Query, ct);
                    baselines[scenario].Run();
                }
            }

            var results = new List<ScenarioResult>();
            foreach (var scenario in scenarios)
            {
                var (serviceTiming, rawTiming) = await MeasureAsync(scenario, baselines[scenario], ct);
                var (rows, count) = checkedCounts[scenario];
                results.Add(new ScenarioResult(scenario, serviceTiming, rawTiming, rows, count));
                if (options.ShowPlans)
                {
                    await ShowPlansAsync(scenario, baselines[scenario], ct);
                }
            }

            Report(results);
        }
        finally
        {
            foreach (var baseline in baselines.Values)
            {
                baseline.Dispose();
            }
        }
    }

    private IEnumerable<Scenario> Scenarios()
    {
        const string Active = "IsArchived = 0";
        const string ByName = "NameKey, Id";

        yield return new(FirstPageName, new CustomerListQuery(), Active, ByName, []);

        // Name search matches the name or the email by prefix, as the service does; a term with non-ASCII
        // letters cannot begin an email, so the simplest correct query searches names only.
        foreach (var term in new[] { "王", "li" })
        {
            var where = term.All(char.IsAscii)
                ? $"{Active} AND ((NameKey >= $key AND NameKey < $end) OR (EmailKey >= $key AND EmailKey < $end))"
                : $"{Active} AND NameKey >= $key AND NameKey < $end";
            yield return new($"search name '{term}'", new CustomerListQuery { Q = term }, where, ByName,
                new() { ["$key"] = () => term, ["$end"] = () => PrefixEnd(term) });
        }

        // Digits typed without a country code are a national number, as the forms read them (+86…).
        yield return new("search phone '13912'", new CustomerListQuery { Q = "13912" },
            $"{Active} AND Phone >= $prefix AND Phone < $prefixEnd", ByName,
            new() { ["$prefix"] = () => "+8613912", ["$prefixEnd"] = () => "+8613913" });

        yield return new("city + bought in 90 days", new CustomerListQuery { City = "上海", PurchasedWithinDays = 90 },
            $"{Active} AND City = $city AND LastPurchaseAt >= $since", ByName,
            new() { ["$city"] = () => "上海", ["$since"] = () => DateTime.UtcNow.AddDays(-90) });

        yield return new("by total spent, desc", new CustomerListQuery { Sort = CustomerSort.TotalSpent, Desc = true },
            Active, "TotalSpent DESC, Id DESC", []);

        // A funnel step of a launched activity (the campaign-metrics benchmark adds one): the customers who opened its
        // message (a non-bot open or click), and those who converted, through the metrics' own conversion statement.
        if (Scalar("SELECT MIN(ActivityId) FROM CampaignRecipients") is long activity)
        {
            yield return new("campaign step: opened", new CustomerListQuery { Activity = (int)activity, Reached = ActivityReach.Opened },
                $"""
                {Active} AND Id IN (SELECT r.CustomerId FROM CampaignRecipients r JOIN OutboxMessages o ON o.Id = r.OutboxMessageId AND o.CampaignId = r.ActivityId
                                    WHERE r.ActivityId = $activity AND EXISTS (SELECT 1 FROM MessageEvents e WHERE e.OutboxMessageId = o.Id
                                        AND e.IsSuspectedBot = 0 AND e.Type IN ({(int)MessageEventType.Open}, {(int)MessageEventType.Click})))
                """, ByName, new() { ["$activity"] = () => activity });
            yield return new("campaign step: converted", new CustomerListQuery { Activity = (int)activity, Reached = ActivityReach.Converted },
                $"{Active} AND Id IN ({CampaignMetricsService.ContactConvertersSql("$activity")})", ByName, new() { ["$activity"] = () => activity });
        }

        // Page 2,000 is reached by following "next" links: its cursor is the last row of page 1,999.
        var (key, id) = CursorAt(((DeepPage - 1) * PageSize) - 1);
        var cursor = new CustomerCursor(CustomerSort.Name, key, id).Encode();
        yield return new(DeepPageName, new CustomerListQuery { Page = DeepPage, After = cursor }, Active, ByName,
            new() { ["$afterKey"] = () => key, ["$afterId"] = () => id }, Seek: "(NameKey, Id) > ($afterKey, $afterId)");
    }

    private (string Key, int Id) CursorAt(int offset)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = "SELECT NameKey, Id FROM Customers WHERE IsArchived = 0 ORDER BY NameKey, Id LIMIT 1 OFFSET $offset";
        command.Parameters.AddWithValue("$offset", offset);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt32(1)) : throw new BenchmarkFailedException($"Fewer than {offset + 1:N0} active customers.");
    }

    private async Task<(Timing Service, Timing Raw)> MeasureAsync(Scenario scenario, Baseline baseline, CancellationToken ct)
    {
        var service = new List<double>();
        var raw = new List<double>();
        for (var i = 0; i < options.Iterations; i++)
        {
            // Alternate which side runs first so neither always finds the other's pages in the cache.
            if (i % 2 == 1)
            {
                raw.Add(Time(() => baseline.Run()));
            }

            var started = Stopwatch.GetTimestamp();
            await ServiceListAsync(scenario.Query, ct);
            service.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            if (i % 2 == 0)
            {
                raw.Add(Time(() => baseline.Run()));
            }
        }

        return (Percentiles(service), Percentiles(raw));
    }

    private async Task<CustomerListViewModel> ServiceListAsync(CustomerListQuery query, CancellationToken ct)
    {
        // A context per call, as per request in the app.
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var service = new CustomerService(db, _cache, TimeProvider.System, _timeline, new AuditService(db, TimeProvider.System, _formatter), _formatter);
        return await service.ListAsync(query, ct);
    }

    /// <summary>The service page is the raw page without its look-ahead row; both counts stop at the same cap.</summary>
    private static (int Rows, int Count) Verify(Scenario scenario, CustomerListViewModel service, (List<CustomerRowViewModel> Rows, int Count) raw)
    {
        var serviceIds = service.Rows.Select(r => r.Id).ToList();
        var rawIds = raw.Rows.Take(PageSize).Select(r => r.Id).ToList();
        if (!serviceIds.SequenceEqual(rawIds) || service.Count != raw.Count || !service.Rows.SequenceEqual(raw.Rows.Take(PageSize)))
        {
            throw new BenchmarkFailedException(
                $"Scenario '{scenario.Name}': the service and the baseline disagree.\n"
                + $"  service ids: [{string.Join(", ", serviceIds)}], count {service.Count}\n"
                + $"  raw ids:     [{string.Join(", ", rawIds)}], count {raw.Count}");
        }

        if (serviceIds.Count == 0)
        {
            throw new BenchmarkFailedException($"Scenario '{scenario.Name}' matched no rows; the measurement would be meaningless.");
        }

        return (serviceIds.Count, service.Count);
    }

    private void Report(List<ScenarioResult> results)
    {
        const string Header = "| Scenario                  | Rows | Count  | Service p50 | Service p95 | Raw p50 | Raw p95 | Service/raw (p50) | Goal ≤ 2× |";
        log.WriteLine(Header);
        log.WriteLine("|---------------------------|-----:|-------:|------------:|------------:|--------:|--------:|------------------:|-----------|");
        foreach (var r in results)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario.Name,-25} | {r.Rows,4} | {Capped(r.Count),6} | {r.Service.P50,11:F2} | {r.Service.P95,11:F2} | {r.Raw.P50,7:F2} | {r.Raw.P95,7:F2} | {r.Ratio,16:F2}× | {Verdict(r.Ratio <= ServiceGoal),-9} |"));
        }

        var first = results.Single(r => r.Scenario.Name == FirstPageName);
        var deep = results.Single(r => r.Scenario.Name == DeepPageName);
        var deepRatio = deep.Service.P50 / first.Service.P50;
        log.WriteLine();
        foreach (var r in results)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Scenario.Name}: service {r.Service.P50:F2} ms vs raw {r.Raw.P50:F2} ms at p50 = {r.Ratio:F2}× (goal ≤ {ServiceGoal:F0}×) {Verdict(r.Ratio <= ServiceGoal)}"));
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"page {DeepPage:N0} vs page 1 through the service: {deep.Service.P50:F2} ms vs {first.Service.P50:F2} ms at p50 = {deepRatio:F2}× (goal ≤ {DeepPageGoal:F1}×) {Verdict(deepRatio <= DeepPageGoal)}"));

        static string Capped(int count) => count > CustomerListViewModel.CountCap ? $">{CustomerListViewModel.CountCap / 1000}k" : count.ToString(CultureInfo.InvariantCulture);
        static string Verdict(bool met) => met ? "met" : "MISSED";
    }

    private static double Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static Timing Percentiles(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new Timing(Nearest(0.50), Nearest(0.95));

        double Nearest(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The smallest string above every string that starts with <paramref name="prefix"/> (binary collation).</summary>
    private static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private object? Scalar(string sql)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private async Task ShowPlansAsync(Scenario scenario, Baseline baseline, CancellationToken ct)
    {
        _recorder.Start();
        await ServiceListAsync(scenario.Query, ct);
        var serviceCommands = _recorder.Stop();

        log.WriteLine($"--- {scenario.Name}");
        foreach (var (sql, parameters) in serviceCommands)
        {
            log.WriteLine("service SQL: " + OneLine(sql));
            log.WriteLine("  parameters: " + string.Join(", ", parameters.Select(p => $"{p.Name}={Convert.ToString(p.Value is DateTime d ? d.ToString("O", CultureInfo.InvariantCulture) : p.Value, CultureInfo.InvariantCulture)}")));
            PrintPlan(sql, parameters);
        }

        foreach (var command in baseline.Commands)
        {
            log.WriteLine("raw SQL: " + command.CommandText);
            PrintPlan(command.CommandText, command.Parameters.Cast<SqliteParameter>().Select(p => (p.ParameterName, p.Value)).ToList());
        }

        log.WriteLine();
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
}

/// <summary>Records the statements EF sends while switched on, to explain their plans.</summary>
internal sealed class CommandRecorder : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
{
    private List<(string Sql, List<(string Name, object? Value)> Parameters)>? _recorded;

    public void Start() => _recorded = [];

    public List<(string Sql, List<(string Name, object? Value)> Parameters)> Stop()
    {
        var recorded = _recorded ?? [];
        _recorded = null;
        return recorded;
    }

    public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _recorded?.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
        return ValueTask.FromResult(result);
    }
}

/// <summary>The hand-written SQL for one scenario: the page (with one look-ahead row, as the service reads)
/// and the capped count, as prepared commands reused across runs.</summary>
internal sealed class Baseline : IDisposable
{
    private const string RowColumns = "Id, Name, Email, Phone, City, Region, Source, OrderCount, TotalSpent, LastPurchaseAt, CreatedAt, IsArchived";

    private readonly Scenario _scenario;
    private readonly SqliteCommand _page;
    private readonly SqliteCommand _count;

    public Baseline(SqliteConnection connection, Scenario scenario)
    {
        _scenario = scenario;
        _page = connection.CreateCommand();
        _page.CommandText = $"SELECT {RowColumns} FROM Customers WHERE {scenario.Where}{(scenario.Seek is null ? "" : " AND " + scenario.Seek)} "
            + $"ORDER BY {scenario.OrderBy} LIMIT {ListBenchmark.PageSize + 1}";
        _count = connection.CreateCommand();
        _count.CommandText = $"SELECT COUNT(*) FROM (SELECT 1 FROM Customers WHERE {scenario.Where} LIMIT {CustomerListViewModel.CountCap + 1})";
    }

    public IEnumerable<SqliteCommand> Commands
    {
        get
        {
            Bind(_page);
            Bind(_count);
            return [_page, _count];
        }
    }

    public (List<CustomerRowViewModel> Rows, int Count) Run()
    {
        Bind(_page);
        var rows = new List<CustomerRowViewModel>(ListBenchmark.PageSize + 1);
        using (var reader = _page.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(new CustomerRowViewModel(
                    reader.GetInt32(0), reader.GetString(1), NullableString(reader, 2), NullableString(reader, 3),
                    NullableString(reader, 4), NullableString(reader, 5), NullableString(reader, 6), reader.GetInt32(7),
                    Money.FromStored(reader.GetInt64(8)),
                    reader.IsDBNull(9) ? null : DateTime.SpecifyKind(reader.GetDateTime(9), DateTimeKind.Utc),
                    DateTime.SpecifyKind(reader.GetDateTime(10), DateTimeKind.Utc), reader.GetBoolean(11)));
            }
        }

        Bind(_count);
        return (rows, Convert.ToInt32(_count.ExecuteScalar(), CultureInfo.InvariantCulture));

        static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    private void Bind(SqliteCommand command)
    {
        // SQLite ignores parameters a statement does not use (the count has no keyset seek).
        command.Parameters.Clear();
        foreach (var (name, value) in _scenario.Parameters)
        {
            command.Parameters.AddWithValue(name, value());
        }
    }

    public void Dispose()
    {
        _page.Dispose();
        _count.Dispose();
    }
}
