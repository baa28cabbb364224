using System.Diagnostics;
using System.Globalization;

using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Formatting;

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmMarketing.Benchmarks;

internal sealed record CampaignMetricsBenchmarkOptions(string DatabasePath, int Recipients, int Iterations, int Warmup);

/// <summary>The metrics of an email activity with 100,000 recipients (10 % holdout) on a generated database:
/// <see cref="CampaignMetricsService.ComputeAsync"/> against hand-written SQL computing the same numbers with window
/// functions, in the same process on the same file. A second, later activity reaches a third of the same customers,
/// so that attribution has purchases to share. The activities, messages and events of an earlier run are replaced.</summary>
internal sealed class CampaignMetricsBenchmark(CampaignMetricsBenchmarkOptions options, TextWriter log)
{
    private const double Goal = 1.5;
    private const string Name = "Benchmark newsletter";
    private const string ReminderName = "Benchmark reminder";
    private const string Coupon = "BENCH-NL";
    private const int WindowDays = 14;

    private readonly DisplayFormatter _formatter = new(Microsoft.Extensions.Options.Options.Create(new CrmOptions()));
    private PooledDbContextFactory<CrmDbContext> _contexts = null!;
    private SqliteConnection _raw = null!;
    private TimeProvider _time = null!;

    public async Task RunAsync(CancellationToken ct)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(options.DatabasePath) }.ToString();
        _contexts = new PooledDbContextFactory<CrmDbContext>(new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite(connectionString).AddInterceptors(new SqlitePragmaInterceptor()).Options);
        await using (var db = await _contexts.CreateDbContextAsync(ct))
        {
            await db.Database.MigrateAsync(ct);
        }

        await using var raw = new SqliteConnection(connectionString);
        raw.Open();
        _raw = raw;
        Execute("PRAGMA journal_mode = WAL");

        var newest = DateTime.SpecifyKind(DateTime.Parse((string)Scalar("SELECT MAX(PurchasedAt) FROM Purchases")!, CultureInfo.InvariantCulture), DateTimeKind.Utc);
        _time = new FixedTime(new DateTimeOffset(newest.AddDays(1)));
        var launch = newest.AddDays(-20).Date.AddHours(2);
        var (id, reminder) = Setup(launch);
        var purchases = Convert.ToInt64(Scalar("SELECT COUNT(*) FROM Purchases"), CultureInfo.InvariantCulture);
        log.WriteLine($"Database {options.DatabasePath}: {purchases:N0} purchases; activity {id} with {options.Recipients:N0} recipients "
            + $"(10 % holdout), a reminder {reminder} to a third of them five days later.");
        log.WriteLine($"{options.Warmup} warm-up rounds and {options.Iterations} timed runs per side; times in ms.");

        var service = await ServiceAsync(id, ct);
        var baseline = Baseline(id, launch);
        var differences = Compare(service, baseline);
        if (differences.Count > 0)
        {
            throw new BenchmarkFailedException("The service and the hand-written SQL disagree:\n" + string.Join("\n", differences));
        }

        if (service.Converters == 0 || service.Uplift is null || service.LastTouch.Revenue == service.Linear.Revenue)
        {
            throw new BenchmarkFailedException("No conversions or no shared purchases; the measurement would be meaningless.");
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Numbers match: audience {service.Audience:N0}, delivered {service.Delivered:N0}, opens {service.UniqueOpens:N0}, clicks {service.UniqueClicks:N0}, "
            + $"converters {service.Converters:N0}, revenue last/first/linear {service.LastTouch.Revenue:N2}/{service.FirstTouch.Revenue:N2}/{service.Linear.Revenue:N2}, "
            + $"uplift {service.Uplift.Difference * 100:F2} pp [{service.Uplift.Low * 100:F2}, {service.Uplift.High * 100:F2}]."));

        for (var i = 0; i < options.Warmup; i++)
        {
            await ServiceAsync(id, ct);
            Baseline(id, launch);
        }

        var serviceTimes = new List<double>();
        var rawTimes = new List<double>();
        for (var i = 0; i < options.Iterations; i++)
        {
            // Alternate which side runs first so neither always finds the other's pages in the cache.
            if (i % 2 == 1)
            {
                rawTimes.Add(Time(() => Baseline(id, launch)));
            }

            var started = Stopwatch.GetTimestamp();
            await ServiceAsync(id, ct);
            serviceTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (i % 2 == 0)
            {
                rawTimes.Add(Time(() => Baseline(id, launch)));
            }
        }

        var s = Median(serviceTimes);
        var r = Median(rawTimes);
        var ratio = s / r;
        log.WriteLine("| Scenario | Recipients | Service p50 | Raw p50 | Service/raw | Goal ≤ 1.5× |");
        log.WriteLine("|---|---:|---:|---:|---:|---|");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| activity metrics, 3 attribution models + uplift | {service.Audience:N0} | {s:F1} | {r:F1} | {ratio:F2}× | {(ratio <= Goal ? "met" : "NOT MET")} |"));
    }

    private async Task<ActivityMetrics> ServiceAsync(int id, CancellationToken ct)
    {
        // A context per call, as per request in the app.
        await using var db = await _contexts.CreateDbContextAsync(ct);
        return await new CampaignMetricsService(db, _time, _formatter).ComputeAsync(id, ct)
            ?? throw new BenchmarkFailedException("The activity disappeared.");
    }

    /// <summary>Replaces the benchmark activities of an earlier run with fresh ones, set-based.</summary>
    private (int Id, int Reminder) Setup(DateTime launch)
    {
        using var tx = _raw.BeginTransaction();
        foreach (var name in new[] { Name, ReminderName })
        {
            var old = Scalar("SELECT Id FROM MarketingActivities WHERE Name = $n", ("$n", name));
            if (old is long oldId)
            {
                Execute("DELETE FROM MessageEvents WHERE OutboxMessageId IN (SELECT Id FROM OutboxMessages WHERE CampaignId = $a)", ("$a", oldId));
                Execute("DELETE FROM CampaignRecipients WHERE ActivityId = $a", ("$a", oldId));
                Execute("DELETE FROM OutboxMessages WHERE CampaignId = $a", ("$a", oldId));
                Execute("DELETE FROM ActivityCosts WHERE ActivityId = $a", ("$a", oldId));
                Execute("DELETE FROM MarketingActivities WHERE Id = $a", ("$a", oldId));
            }
        }

        var id = Activity(Name, launch, 10, Coupon, 5000m);
        var reminder = Activity(ReminderName, launch.AddDays(5), 0, null, 1500m);
        Recipients(id, launch, holdoutPercent: 10, "1 = 1");
        Recipients(reminder, launch.AddDays(5), holdoutPercent: 0, "c.Id % 3 = 0");
        // A few purchases of the window carry the newsletter's coupon.
        Execute($"""
            UPDATE Purchases SET CouponCode = CASE WHEN Id % 500 = 0 THEN '{Coupon}' ELSE NULL END
            WHERE PurchasedAt >= $from AND (CouponCode IS NULL OR CouponCode = '{Coupon}')
            """, ("$from", Text(launch)));
        tx.Commit();
        Execute("ANALYZE");
        return (id, reminder);
    }

    private int Activity(string name, DateTime launch, int holdout, string? coupon, decimal cost)
    {
        var day = DateOnly.FromDateTime(launch).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Execute("""
            INSERT INTO MarketingActivities (Name, Type, Status, StartDate, EndDate, Budget, ConversionGoal, ConversionWindowDays,
                HoldoutPercent, CouponCode, LaunchedAt, AudienceCount, HoldoutCount, IsPaused, AttributionModel, AbWinnerMetric,
                CreatedAt, UpdatedAt, Version)
            VALUES ($n, 0, 3, $d, $d, $cost, 0, $w, $h, $coupon, $at, 0, 0, 0, 0, 0, $at, $at, 1)
            """, ("$n", name), ("$d", day), ("$cost", Money.ToStored(cost)), ("$w", WindowDays), ("$h", holdout),
            ("$coupon", (object?)coupon ?? DBNull.Value), ("$at", Text(launch)));
        var id = Convert.ToInt32(Scalar("SELECT last_insert_rowid()"), CultureInfo.InvariantCulture);
        Execute("INSERT INTO ActivityCosts (ActivityId, Date, Amount, Category, CreatedAt) VALUES ($a, $d, $amount, 0, $at)",
            ("$a", id), ("$d", day), ("$amount", Money.ToStored(cost)), ("$at", Text(launch)));
        return id;
    }

    /// <summary>The first N customers (by id) matching <paramref name="filter"/>: a hashed holdout share, a message per
    /// treatment recipient (2 % failed, the rest sent within the hour; half the recipients carry the contact time
    /// themselves, half only through the message), opens, clicks and suspected bots.</summary>
    private void Recipients(int id, DateTime launch, int holdoutPercent, string filter)
    {
        var holdout = $"(c.Id * 2246822519) % 100 < {holdoutPercent.ToString(CultureInfo.InvariantCulture)}";
        var audience = $"SELECT c.Id FROM Customers AS c WHERE c.IsArchived = 0 AND {filter} ORDER BY c.Id LIMIT {options.Recipients.ToString(CultureInfo.InvariantCulture)}";
        Execute($"""
            INSERT INTO OutboxMessages (Channel, CustomerId, ToAddress, MessageId, IdempotencyKey, IsMarketing, CampaignId, State, Attempts,
                NextAttemptAt, CreatedAt, SentAt)
            SELECT 0, c.Id, 'c' || c.Id || '@bench.test', 'bench-' || $a || '-' || c.Id || '@bench.test', 'campaign:' || $a || ':customer:' || c.Id,
                1, $a, CASE WHEN c.Id % 50 = 0 THEN 3 ELSE 2 END, 1, $at, $at,
                CASE WHEN c.Id % 50 = 0 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', $at, '+' || (c.Id % 3600) || ' seconds') END
            FROM Customers AS c WHERE c.Id IN ({audience}) AND NOT ({holdout})
            """, ("$a", id), ("$at", Text(launch)));
        Execute($"""
            INSERT INTO CampaignRecipients (ActivityId, CustomerId, "Group", AwaitingWinner, OutboxMessageId, ContactedAt, CreatedAt)
            SELECT $a, o.CustomerId, 0, 0, o.Id, CASE WHEN o.CustomerId % 2 = 0 THEN o.SentAt END, $at
            FROM OutboxMessages AS o WHERE o.CampaignId = $a
            """, ("$a", id), ("$at", Text(launch)));
        Execute($"""
            INSERT INTO CampaignRecipients (ActivityId, CustomerId, "Group", AwaitingWinner, OutboxMessageId, ContactedAt, CreatedAt)
            SELECT $a, c.Id, 1, 0, NULL, NULL, $at FROM Customers AS c WHERE c.Id IN ({audience}) AND {holdout}
            """, ("$a", id), ("$at", Text(launch)));
        Execute("""
            INSERT INTO MessageEvents (OutboxMessageId, Type, OccurredAt, IsSuspectedBot)
            SELECT o.Id, e.Type, strftime('%Y-%m-%d %H:%M:%S', o.SentAt, '+' || e.Delay || ' seconds'), e.Bot
            FROM OutboxMessages AS o
            JOIN (SELECT 0 AS Type, 3600 AS Delay, 30 AS Share, 0 AS Bot, 0 AS Salt UNION ALL SELECT 1, 4000, 8, 0, 0
                  UNION ALL SELECT 0, 2, 3, 1, 7 UNION ALL SELECT 1, 3, 3, 1, 7 UNION ALL SELECT 2, 9000, 1, 0, 13) AS e
                ON ((o.CustomerId + e.Salt) * 2654435761) % 100 < e.Share
            WHERE o.CampaignId = $a AND o.SentAt IS NOT NULL
            """, ("$a", id));
    }

    private sealed record BaselineNumbers(
        int Treatment, int Holdout, int Contacted, int Delivered, int Failed, int Opens, int Clicks, int Unsubscribes,
        int Converters, int ContactConverters, int Orders, decimal LastTouch, decimal FirstTouch, decimal Linear,
        int TreatmentConverters, decimal TreatmentRevenue, int HoldoutConverters, decimal HoldoutRevenue, decimal Cost,
        List<(string Day, int Orders)> Days);

    /// <summary>The same numbers by hand, for this benchmark's activities (any-purchase goals, no category): every
    /// touch of every activity on each candidate purchase, ranked with window functions.</summary>
    private BaselineNumbers Baseline(int id, DateTime launch)
    {
        var p = new (string, object)[] { ("$a", id), ("$launch", Text(launch)), ("$coupon", Coupon), ("$w", "+" + WindowDays.ToString(CultureInfo.InvariantCulture) + " days") };
        using var counts = Reader("""
            SELECT
                (SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = $a AND "Group" = 0),
                (SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = $a AND "Group" = 1),
                (SELECT COUNT(*) FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
                    WHERE r.ActivityId = $a AND r."Group" = 0 AND COALESCE(r.ContactedAt, o.SentAt) IS NOT NULL),
                (SELECT COUNT(*) FROM OutboxMessages WHERE CampaignId = $a AND State = 2),
                (SELECT COUNT(*) FROM OutboxMessages WHERE CampaignId = $a AND State = 3),
                (SELECT COUNT(DISTINCT e.OutboxMessageId) FROM MessageEvents AS e JOIN OutboxMessages AS o ON o.Id = e.OutboxMessageId
                    WHERE o.CampaignId = $a AND e.Type IN (0, 1) AND e.IsSuspectedBot = 0),
                (SELECT COUNT(DISTINCT e.OutboxMessageId) FROM MessageEvents AS e JOIN OutboxMessages AS o ON o.Id = e.OutboxMessageId
                    WHERE o.CampaignId = $a AND e.Type = 1 AND e.IsSuspectedBot = 0),
                (SELECT COUNT(DISTINCT e.OutboxMessageId) FROM MessageEvents AS e JOIN OutboxMessages AS o ON o.Id = e.OutboxMessageId
                    WHERE o.CampaignId = $a AND e.Type = 2),
                (SELECT COALESCE(SUM(Amount), 0) FROM ActivityCosts WHERE ActivityId = $a)
            """, p);
        counts.Read();
        int I(int i) => counts.GetInt32(i);

        // Window purchases of the activity's contacted customers, with every touching activity ranked per purchase.
        const string Touches = """
            WITH mine AS (
                SELECT r.CustomerId FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
                WHERE r.ActivityId = $a AND r."Group" = 0 AND COALESCE(r.ContactedAt, o.SentAt) IS NOT NULL
            ),
            touch AS (
                SELECT p.Id AS PurchaseId, p.CustomerId, p.PurchasedAt, p.Total, r.ActivityId, COALESCE(r.ContactedAt, o.SentAt) AS At
                FROM mine
                JOIN CampaignRecipients AS r ON r.CustomerId = mine.CustomerId AND r."Group" = 0
                JOIN MarketingActivities AS x ON x.Id = r.ActivityId
                LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
                JOIN Purchases AS p ON p.CustomerId = r.CustomerId
                    AND p.PurchasedAt >= COALESCE(r.ContactedAt, o.SentAt)
                    AND p.PurchasedAt <= strftime('%Y-%m-%d %H:%M:%f', COALESCE(r.ContactedAt, o.SentAt), '+' || x.ConversionWindowDays || ' days')
                WHERE p.Total > 0 AND (p.CouponCode IS NULL OR p.CouponCode NOT IN (SELECT CouponCode FROM MarketingActivities WHERE CouponCode IS NOT NULL))
            ),
            ranked AS (
                SELECT PurchaseId, CustomerId, PurchasedAt, Total, ActivityId,
                    COUNT(*) OVER (PARTITION BY PurchaseId) AS Touches,
                    ROW_NUMBER() OVER (PARTITION BY PurchaseId ORDER BY At DESC, ActivityId DESC) AS FromLast,
                    ROW_NUMBER() OVER (PARTITION BY PurchaseId ORDER BY At, ActivityId) AS FromFirst
                FROM touch
            ),
            own AS (
                SELECT PurchaseId, CustomerId, PurchasedAt, Total, Touches, FromLast = 1 AS IsLast, FromFirst = 1 AS IsFirst
                FROM ranked WHERE ActivityId = $a
                UNION ALL
                SELECT Id, CustomerId, PurchasedAt, Total, 1, 1, 1 FROM Purchases WHERE CouponCode = $coupon AND Total > 0
            )
            """;
        var last = 0L;
        var first = 0L;
        var linear = 0m;
        var orders = 0;
        using (var byTouches = Reader(Touches + "SELECT Touches, SUM(Total), SUM(CASE WHEN IsLast THEN Total ELSE 0 END), SUM(CASE WHEN IsFirst THEN Total ELSE 0 END), COUNT(*) FROM own GROUP BY Touches", p))
        {
            while (byTouches.Read())
            {
                var n = byTouches.GetInt32(0);
                linear += AttributionMath.Attributed(AttributionModel.Linear, false, false, n, Money.FromStored(byTouches.GetInt64(1)));
                last += byTouches.GetInt64(2);
                first += byTouches.GetInt64(3);
                orders += byTouches.GetInt32(4);
            }
        }

        var converters = Convert.ToInt32(Scalar(Touches + "SELECT COUNT(DISTINCT CustomerId) FROM own", p), CultureInfo.InvariantCulture);
        var contactConverters = Convert.ToInt32(Scalar("""
            SELECT COUNT(DISTINCT r.CustomerId)
            FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
            JOIN Purchases AS p ON p.CustomerId = r.CustomerId
                AND p.PurchasedAt >= COALESCE(r.ContactedAt, o.SentAt)
                AND p.PurchasedAt <= strftime('%Y-%m-%d %H:%M:%f', COALESCE(r.ContactedAt, o.SentAt), $w)
            WHERE r.ActivityId = $a AND r."Group" = 0 AND p.Total > 0
                AND (p.CouponCode IS NULL OR p.CouponCode = $coupon
                    OR p.CouponCode NOT IN (SELECT CouponCode FROM MarketingActivities WHERE CouponCode IS NOT NULL))
            """, p), CultureInfo.InvariantCulture);
        var days = new List<(string, int)>();
        using (var byDay = Reader(Touches + "SELECT date(PurchasedAt, '+480 minutes') AS Day, COUNT(*) FROM own GROUP BY Day ORDER BY Day", p))
        {
            while (byDay.Read())
            {
                days.Add((byDay.GetString(0), byDay.GetInt32(1)));
            }
        }

        // Uplift: goal purchases in each group's window, from the contact (treatment) or the launch (holdout).
        var uplift = new Dictionary<int, (int Customers, long Revenue)>();
        using (var groups = Reader("""
            SELECT r."Group", COUNT(DISTINCT p.CustomerId), COALESCE(SUM(p.Total), 0)
            FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
            JOIN Purchases AS p ON p.CustomerId = r.CustomerId
                AND p.PurchasedAt >= COALESCE(r.ContactedAt, o.SentAt, $launch)
                AND p.PurchasedAt <= strftime('%Y-%m-%d %H:%M:%f', COALESCE(r.ContactedAt, o.SentAt, $launch), $w)
            WHERE r.ActivityId = $a AND p.Total > 0
            GROUP BY r."Group"
            """, p))
        {
            while (groups.Read())
            {
                uplift[groups.GetInt32(0)] = (groups.GetInt32(1), groups.GetInt64(2));
            }
        }

        return new BaselineNumbers(I(0), I(1), I(2), I(3), I(4), I(5), I(6), I(7), converters, contactConverters, orders,
            Money.FromStored(last), Money.FromStored(first), linear,
            uplift.GetValueOrDefault(0).Customers, Money.FromStored(uplift.GetValueOrDefault(0).Revenue),
            uplift.GetValueOrDefault(1).Customers, Money.FromStored(uplift.GetValueOrDefault(1).Revenue),
            Money.FromStored(counts.GetInt64(8)), days);
    }

    private static List<string> Compare(ActivityMetrics s, BaselineNumbers b)
    {
        var differences = new List<string>();
        void Check<T>(string what, T service, T raw)
        {
            if (!EqualityComparer<T>.Default.Equals(service, raw))
            {
                differences.Add($"{what}: service {service}, raw {raw}");
            }
        }

        Check("treatment", s.Treatment, b.Treatment);
        Check("holdout", s.Holdout, b.Holdout);
        Check("contacted", s.Contacted, b.Contacted);
        Check("delivered", s.Delivered, b.Delivered);
        Check("failed", s.Failed, b.Failed);
        Check("unique opens", s.UniqueOpens, b.Opens);
        Check("unique clicks", s.UniqueClicks, b.Clicks);
        Check("unsubscribes", s.Unsubscribes, b.Unsubscribes);
        Check("converters", s.Converters, b.Converters);
        Check("contact converters", s.ContactConverters, b.ContactConverters);
        Check("conversion orders", s.ConversionOrders, b.Orders);
        Check("last touch", s.LastTouch.Revenue, b.LastTouch);
        Check("first touch", s.FirstTouch.Revenue, b.FirstTouch);
        Check("linear", s.Linear.Revenue, b.Linear);
        Check("treatment converters", s.Uplift?.TreatmentConverters, b.TreatmentConverters);
        Check("treatment revenue", s.Uplift?.TreatmentRevenue, b.TreatmentRevenue);
        Check("holdout converters", s.Uplift?.HoldoutConverters, b.HoldoutConverters);
        Check("holdout revenue", s.Uplift?.HoldoutRevenue, b.HoldoutRevenue);
        Check("cost", s.Cost, b.Cost);
        Check("days", string.Join(" ", s.Days.Select(d => d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "=" + d.Orders.ToString(CultureInfo.InvariantCulture))),
            string.Join(" ", b.Days.Select(d => d.Day + "=" + d.Orders.ToString(CultureInfo.InvariantCulture))));
        return differences;
    }

    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private SqliteDataReader Reader(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _raw.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteReader(System.Data.CommandBehavior.Default);
    }

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

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
