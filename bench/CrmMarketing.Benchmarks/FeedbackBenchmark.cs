using System.Diagnostics;
using System.Globalization;

using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Messaging;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CrmMarketing.Benchmarks;

internal sealed record FeedbackBenchmarkOptions(string DatabasePath, int Rows, int Iterations, int Seed, bool Reuse);

/// <summary>NPS and CSAT by month, by RFM segment and by saved segment over a large feedback table: the app's
/// FeedbackAnalyticsService against hand-written SQL for the same numbers, on the same file in the same run.</summary>
internal sealed class FeedbackBenchmark(FeedbackBenchmarkOptions options, TextWriter log)
{
    private const double Goal = 1.5;
    private const int BatchSize = 100_000;
    private const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    /// <summary>The saved segments the load creates: the share of customers in each (a customer may be in several).</summary>
    private static readonly double[] SegmentShares = [0.02, 0.05, 0.10, 0.20, 0.35, 0.50];

    private static readonly FeedbackViewer Admin = new("bench", "bench", IsAdmin: true, IsMarketer: false);

    private readonly DisplayFormatter _formatter = new(MsOptions.Create(new CrmOptions()));

    public async Task RunAsync(CancellationToken ct)
    {
        var path = Path.GetFullPath(options.DatabasePath);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        await using var raw = new SqliteConnection(connectionString);
        raw.Open();

        var existing = Convert.ToInt64(Scalar(raw, "SELECT COUNT(*) FROM Feedback"), CultureInfo.InvariantCulture);
        if (!options.Reuse || existing != options.Rows)
        {
            Load(raw);
        }

        var dbOptions = new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmaInterceptor()).Options;
        var contexts = new PooledDbContextFactory<CrmDbContext>(dbOptions);
        var offsetMinutes = (int)_formatter.TimeZone.GetUtcOffset(DateTimeOffset.UtcNow).TotalMinutes;
        log.WriteLine($"{Scalar(raw, "SELECT COUNT(*) FROM Feedback"):N0} feedback rows, {Scalar(raw, "SELECT COUNT(*) FROM CustomerRfm"):N0} RFM rows, {Scalar(raw, "SELECT COUNT(*) FROM SegmentMembers"):N0} members of {Scalar(raw, "SELECT COUNT(*) FROM Segments"):N0} saved segments; months in UTC{offsetMinutes / 60.0:+0.##;-0.##}; {options.Iterations} timed runs, times in ms.");

        var scenarios = new (string Name, Func<FeedbackAnalyticsService, Task<List<string>>> Service, Func<List<string>> Hand)[]
        {
            ("NPS/CSAT by month", async s => Rows(await s.ByMonthAsync(s.Set(null, null, Admin), ct), k => $"{k.Year:D4}-{k.Month:D2}"),
                () => Hand(raw, MonthSql(offsetMinutes))),
            ("NPS/CSAT by RFM segment", async s => Rows(await s.BySegmentAsync(s.Set(null, null, Admin), ct), k => k is null ? "-" : ((int)k).ToString(CultureInfo.InvariantCulture)),
                () => Hand(raw, SegmentSql)),
            ("NPS/CSAT by saved segment", async s => Rows(await s.BySavedSegmentAsync(s.Set(null, null, Admin), ct), k => k.ToString(CultureInfo.InvariantCulture)),
                () => Hand(raw, SavedSegmentSql)),
        };

        var failed = false;
        log.WriteLine($"{"scenario",-26} {"groups",7} {"service p50",12} {"hand SQL p50",13} {"ratio",7}  goal ≤ {Goal:0.0}×");
        foreach (var (name, service, hand) in scenarios)
        {
            // Equal answers first; then warm both paths once and time them alternately.
            var serviceRows = await WithServiceAsync(contexts, service);
            var handRows = hand();
            if (!serviceRows.SequenceEqual(handRows))
            {
                throw new BenchmarkFailedException($"{name}: the service and the hand SQL disagree.\nservice: {string.Join(" | ", serviceRows)}\nhand:    {string.Join(" | ", handRows)}");
            }

            var serviceTimes = new List<double>();
            var handTimes = new List<double>();
            for (var i = 0; i < options.Iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await WithServiceAsync(contexts, service);
                serviceTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                hand();
                handTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var s50 = Median(serviceTimes);
            var h50 = Median(handTimes);
            var ratio = s50 / h50;
            failed |= ratio > Goal;
            log.WriteLine($"{name,-26} {serviceRows.Count,7} {s50,12:F1} {h50,13:F1} {ratio,6:F2}×  {(ratio <= Goal ? "ok" : "OVER GOAL")}");
        }

        if (failed)
        {
            throw new BenchmarkFailedException($"A scenario is slower than {Goal:0.0}× its hand SQL.");
        }
    }

    private async Task<List<string>> WithServiceAsync(PooledDbContextFactory<CrmDbContext> contexts,
        Func<FeedbackAnalyticsService, Task<List<string>>> run)
    {
        await using var db = contexts.CreateDbContext();
        var time = TimeProvider.System;
        var feedbackOptions = MsOptions.Create(new FeedbackOptions());
        var audit = new AuditService(db, time, _formatter);
        var localizer = new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(MsOptions.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
        var mailer = new FollowUpMailer(db, new OutboxService(db, time, MsOptions.Create(new SmtpOptions())), localizer, _formatter, feedbackOptions);
        var followUps = new FollowUpService(db, time, feedbackOptions, audit, mailer, NullLogger<FollowUpService>.Instance);
        var feedback = new FeedbackService(db, time, _formatter, audit, followUps);
        return await run(new FeedbackAnalyticsService(db, time, _formatter, feedback, feedbackOptions));
    }

    private static List<string> Rows<TKey>(IEnumerable<SatisfactionRow<TKey>> rows, Func<TKey, string> key) =>
        rows.Select(r => Line(key(r.Key), r.CsatCount, r.CsatSatisfied, r.CsatSum, r.NpsCount, r.Promoters, r.Detractors))
            .Order(StringComparer.Ordinal).ToList();

    private static string Line(string key, long csat, long satisfied, long sum, long nps, long promoters, long detractors) =>
        string.Create(CultureInfo.InvariantCulture, $"{key}:{csat}/{satisfied}/{sum}/{nps}/{promoters}/{detractors}");

    private const string Sums = """
        SUM(CASE WHEN f.Scale = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN f.Scale = 0 AND f.Score >= 4 THEN 1 ELSE 0 END),
        SUM(CASE WHEN f.Scale = 0 THEN f.Score ELSE 0 END), SUM(CASE WHEN f.Scale = 1 THEN 1 ELSE 0 END),
        SUM(CASE WHEN f.Scale = 1 AND f.Score >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN f.Scale = 1 AND f.Score <= 6 THEN 1 ELSE 0 END)
        """;

    private static string MonthSql(int offsetMinutes) => $"""
        SELECT strftime('%Y-%m', f.CreatedAt, '{offsetMinutes:+0;-0} minutes') AS m, {Sums}
        FROM Feedback f GROUP BY m
        """;

    private const string SegmentSql = $"""
        SELECT COALESCE(CAST(r.Segment AS TEXT), '-'), {Sums}
        FROM Feedback f LEFT JOIN CustomerRfm r ON r.CustomerId = f.CustomerId GROUP BY r.Segment
        """;

    private const string SavedSegmentSql = $"""
        SELECT CAST(m.SegmentId AS TEXT), {Sums}
        FROM Feedback f JOIN SegmentMembers m ON m.CustomerId = f.CustomerId GROUP BY m.SegmentId
        """;

    private static List<string> Hand(SqliteConnection raw, string sql)
    {
        using var command = raw.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Line(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return rows.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Replaces the feedback, RFM and saved-segment rows: RFM segments for 70 % of the customers, six static
    /// segments holding 2–50 % of the customers each (<see cref="SegmentShares"/>), then the feedback rows (60 % CSAT,
    /// 40 % NPS) over the last two years, inserted in time order with the secondary indexes rebuilt after.</summary>
    private void Load(SqliteConnection raw)
    {
        var customers = Convert.ToInt32(Scalar(raw, "SELECT COALESCE(MAX(Id), 0) FROM Customers"), CultureInfo.InvariantCulture);
        if (customers == 0)
        {
            throw new BenchmarkFailedException("The database has no customers; create it with 'generate' first.");
        }

        var clock = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        Execute(raw, "PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -524288;");
        var indexes = new List<string>();
        using (var command = raw.CreateCommand())
        {
            command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Feedback' AND sql IS NOT NULL";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add(reader.GetString(0));
            }
        }

        Execute(raw, "DELETE FROM FollowUpTasks; DELETE FROM SurveyInvitations; DELETE FROM SurveySends; DELETE FROM Feedback; DELETE FROM CustomerRfm; DELETE FROM SegmentMembers; DELETE FROM Segments;");
        foreach (var sql in indexes)
        {
            Execute(raw, "DROP INDEX " + sql.Split(' ')[2] + ";");
        }

        var now = DateTime.UtcNow;
        using (var tx = raw.BeginTransaction())
        using (var rfm = raw.CreateCommand())
        {
            rfm.Transaction = tx;
            rfm.CommandText = "INSERT INTO CustomerRfm (CustomerId, RecencyScore, FrequencyScore, MonetaryScore, Segment, RecencyDays, Frequency, Monetary, ComputedAt) VALUES ($c, $r, $f, $m, $s, 10, 3, 1000000, $t)";
            var p = new[] { "$c", "$r", "$f", "$m", "$s", "$t" }.Select(n => rfm.Parameters.Add(new SqliteParameter(n, null))).ToArray();
            p[5].Value = now.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
            rfm.Prepare();
            using var ids = raw.CreateCommand();
            ids.Transaction = tx;
            ids.CommandText = "SELECT Id FROM Customers ORDER BY Id";
            using var reader = ids.ExecuteReader();
            while (reader.Read())
            {
                if (random.NextDouble() >= 0.7)
                {
                    continue;
                }

                int r = random.Next(1, 6), f = random.Next(1, 6);
                p[0].Value = reader.GetInt32(0);
                p[1].Value = r;
                p[2].Value = f;
                p[3].Value = random.Next(1, 6);
                p[4].Value = (int)RfmSegments.Of(r, f);
                rfm.ExecuteNonQuery();
            }

            tx.Commit();
        }

        using (var tx = raw.BeginTransaction())
        {
            var stamp = now.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
            for (var i = 0; i < SegmentShares.Length; i++)
            {
                using var segment = raw.CreateCommand();
                segment.Transaction = tx;
                segment.CommandText = "INSERT INTO Segments (Name, Kind, CreatedAt, UpdatedAt, LastBuiltAt, MemberCount) VALUES ($n, 1, $t, $t, $t, 0) RETURNING Id";
                segment.Parameters.AddWithValue("$n", string.Create(CultureInfo.InvariantCulture, $"Bench segment {SegmentShares[i]:P0}"));
                segment.Parameters.AddWithValue("$t", stamp);
                var segmentId = Convert.ToInt64(segment.ExecuteScalar(), CultureInfo.InvariantCulture);
                using var members = raw.CreateCommand();
                members.Transaction = tx;
                // Deterministic per segment and customer, independent of the random stream above.
                members.CommandText = """
                    INSERT INTO SegmentMembers (SegmentId, CustomerId, AddedAt)
                    SELECT $s, Id, $t FROM Customers WHERE ((Id * 2654435761 + $s * 40503) % 1000000) < $share;
                    UPDATE Segments SET MemberCount = (SELECT COUNT(*) FROM SegmentMembers WHERE SegmentId = $s) WHERE Id = $s;
                    """;
                members.Parameters.AddWithValue("$s", segmentId);
                members.Parameters.AddWithValue("$t", stamp);
                members.Parameters.AddWithValue("$share", (long)(SegmentShares[i] * 1_000_000));
                members.ExecuteNonQuery();
            }

            tx.Commit();
        }

        var start = now.AddDays(-730);
        var spanSeconds = (long)(now - start).TotalSeconds;
        var times = new long[options.Rows];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = random.NextInt64(spanSeconds);
        }

        Array.Sort(times);
        for (var batch = 0; batch < options.Rows; batch += BatchSize)
        {
            using var tx = raw.BeginTransaction();
            using var insert = raw.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO Feedback (CustomerId, Content, Score, Scale, Channel, Category, Status, CreatedAt, UpdatedAt, CreatedByName) VALUES ($c, $t, $s, $k, $ch, $cat, 0, $at, $at, 'bench')";
            var p = new[] { "$c", "$t", "$s", "$k", "$ch", "$cat", "$at" }.Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();
            insert.Prepare();
            for (var i = batch; i < Math.Min(batch + BatchSize, options.Rows); i++)
            {
                var nps = random.NextDouble() < 0.4;
                p[0].Value = random.Next(1, customers + 1);
                p[1].Value = "";
                p[2].Value = nps ? random.Next(0, 11) : random.Next(1, 6);
                p[3].Value = nps ? 1 : 0;
                p[4].Value = nps ? (int)FeedbackChannel.Survey : random.Next(0, 4);
                p[5].Value = random.Next(0, 5);
                p[6].Value = start.AddSeconds(times[i]).ToString(DateTimeFormat, CultureInfo.InvariantCulture);
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }

        foreach (var sql in indexes)
        {
            Execute(raw, sql + ";");
        }

        Execute(raw, "ANALYZE;");
        log.WriteLine($"Loaded {options.Rows:N0} feedback rows in {clock.Elapsed.TotalSeconds:F1} s.");
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted[(sorted.Length - 1) / 2];
    }

    private static object? Scalar(SqliteConnection raw, string sql)
    {
        using var command = raw.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection raw, string sql)
    {
        using var command = raw.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
