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
/// <see cref="CampaignMetricsService.ComputeAsync"/> against the fastest hand-written SQL for the same numbers (two
/// prepared statements on one connection), in the same process on the same file. A second, later activity reaches a third of the same customers,
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
        // The settings SqlitePragmaInterceptor gives the application's connections.
        Execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
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

        _counts?.Dispose();
        _conversions?.Dispose();
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

    /// <summary>The message states (by <c>IX_OutboxMessages_CampaignId_State</c>), unique opens, clicks and
    /// unsubscribes per message, and the cost.</summary>
    private const string CountsSql = """
        WITH m AS (
            SELECT COALESCE(SUM(State = 2), 0) AS Delivered, COALESCE(SUM(State = 3), 0) AS Failed
            FROM OutboxMessages WHERE CampaignId = $a
        ),
        e AS (
            SELECT COALESCE(SUM(Opened), 0) AS Opens, COALESCE(SUM(Clicked), 0) AS Clicks, COALESCE(SUM(Unsubscribed), 0) AS Unsubscribes
            FROM (
                SELECT MAX(e.Type IN (0, 1) AND e.IsSuspectedBot = 0) AS Opened, MAX(e.Type = 1 AND e.IsSuspectedBot = 0) AS Clicked,
                    MAX(e.Type = 2) AS Unsubscribed
                FROM OutboxMessages AS o JOIN MessageEvents AS e ON e.OutboxMessageId = o.Id
                WHERE o.CampaignId = $a
                GROUP BY e.OutboxMessageId
            )
        )
        SELECT Delivered, Failed, Opens, Clicks, Unsubscribes,
            (SELECT COALESCE(SUM(Amount), 0) FROM ActivityCosts WHERE ActivityId = $a)
        FROM m, e
        """;

    /// <summary>The audience and every conversion figure in one statement, for this benchmark's activities
    /// (any-purchase goal, the default display zone, UTC+8). One pass over the activity's recipients counts the groups
    /// and finds the earliest window start and the latest window end; the purchases of that span
    /// (<c>IX_Purchases_PurchasedAt</c>) are matched to their recipient (<c>IX_CampaignRecipients_ActivityId_CustomerId</c>)
    /// and kept when inside the recipient's own window; other activities' touches are looked up for the converting
    /// purchases only; last, first and linear attribution (rounded per group to the stored precision, as the service
    /// does) are summed in SQL in integer ten-thousandths. Rows: 'D' per local day, 'A' all conversions, 'K' contacted
    /// converters, 'U0'/'U1' treatment and holdout customers with a purchase in their window, 'R' the audience.</summary>
    private const string ConversionSql = """
        WITH audience AS MATERIALIZED (
            SELECT SUM(r."Group" = 0) AS Treatment, SUM(r."Group" = 1) AS Holdout,
                SUM(r."Group" = 0 AND COALESCE(r.ContactedAt, o.SentAt) IS NOT NULL) AS Contacted,
                MIN(COALESCE(r.ContactedAt, o.SentAt, $launch)) AS FromAt,
                strftime('%Y-%m-%d %H:%M:%f', MAX(COALESCE(r.ContactedAt, o.SentAt, $launch)), $w) AS ToAt
            FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
            WHERE r.ActivityId = $a
        ),
        hit AS MATERIALIZED (
            SELECT r."Group" AS Grp, r.CustomerId, COALESCE(r.ContactedAt, o.SentAt) AS ContactAt, p.Id AS PurchaseId,
                p.PurchasedAt, p.Total,
                CASE WHEN p.CouponCode IS NULL THEN 0
                    WHEN p.CouponCode = $coupon THEN 1
                    WHEN EXISTS (SELECT 1 FROM MarketingActivities AS b WHERE b.CouponCode = p.CouponCode) THEN 2
                    ELSE 0 END AS CouponOwner
            FROM audience AS w
            CROSS JOIN Purchases AS p
            CROSS JOIN CampaignRecipients AS r ON r.ActivityId = $a AND r.CustomerId = p.CustomerId
            LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
            WHERE p.PurchasedAt >= w.FromAt AND p.PurchasedAt <= w.ToAt AND p.Total > 0
                AND p.PurchasedAt >= COALESCE(r.ContactedAt, o.SentAt, $launch)
                AND p.PurchasedAt <= strftime('%Y-%m-%d %H:%M:%f', COALESCE(r.ContactedAt, o.SentAt, $launch), $w)
        ),
        conv AS MATERIALIZED (
            SELECT PurchaseId, CustomerId, PurchasedAt, Total, ContactAt, CouponOwner AS ByCoupon, 1 AS Contacted
            FROM hit WHERE Grp = 0 AND ContactAt IS NOT NULL AND CouponOwner < 2
            UNION ALL
            SELECT p.Id, p.CustomerId, p.PurchasedAt, p.Total, p.PurchasedAt, 1, 0
            FROM Purchases AS p
            WHERE p.CouponCode = $coupon AND p.Total > 0
                AND p.Id NOT IN (SELECT PurchaseId FROM hit WHERE Grp = 0 AND ContactAt IS NOT NULL)
        ),
        share AS (
            SELECT c.PurchaseId, COUNT(*) AS Others,
                SUM(t.At > c.ContactAt OR (t.At = c.ContactAt AND t.ActivityId > $a)) AS Later,
                SUM(t.At < c.ContactAt OR (t.At = c.ContactAt AND t.ActivityId < $a)) AS Earlier
            FROM conv AS c
            JOIN (
                SELECT r2.CustomerId, r2.ActivityId, COALESCE(r2.ContactedAt, o2.SentAt) AS At, x.ConversionWindowDays AS Days,
                    x.ConversionGoal AS Goal, x.GoalCategory AS Category
                FROM CampaignRecipients AS r2
                JOIN MarketingActivities AS x ON x.Id = r2.ActivityId
                LEFT JOIN OutboxMessages AS o2 ON o2.Id = r2.OutboxMessageId
                WHERE r2."Group" = 0
            ) AS t ON t.CustomerId = c.CustomerId
            WHERE c.ByCoupon = 0 AND t.ActivityId <> $a AND t.At <= c.PurchasedAt
                AND c.PurchasedAt <= strftime('%Y-%m-%d %H:%M:%f', t.At, '+' || t.Days || ' days')
                AND (t.Goal = 0 OR EXISTS (SELECT 1 FROM PurchaseLines AS l JOIN Products AS pr ON pr.Id = l.ProductId
                    WHERE l.PurchaseId = c.PurchaseId AND l.Quantity > 0 AND pr.Category = t.Category COLLATE NOCASE))
            GROUP BY c.PurchaseId
        ),
        grouped AS (
            SELECT date(c.PurchasedAt, '+480 minutes') AS Day, 1 + COALESCE(s.Others, 0) AS Touches,
                COALESCE(s.Later, 0) = 0 AS IsLast, COALESCE(s.Earlier, 0) = 0 AS IsFirst, COUNT(*) AS Orders, SUM(c.Total) AS Revenue
            FROM conv AS c LEFT JOIN share AS s ON s.PurchaseId = c.PurchaseId
            GROUP BY Day, Touches, IsLast, IsFirst
        )
        SELECT 'D' AS Kind, Day, SUM(Orders), SUM(IsLast * Revenue), SUM(IsFirst * Revenue),
            SUM(CASE WHEN Touches <= 1 THEN Revenue ELSE (2 * Revenue + Touches) / (2 * Touches) END)
        FROM grouped GROUP BY Day
        UNION ALL
        SELECT 'A', NULL, COUNT(*), COUNT(DISTINCT CustomerId), 0, 0 FROM conv
        UNION ALL
        SELECT 'K', NULL, 0, COUNT(DISTINCT CustomerId), 0, 0 FROM conv WHERE Contacted = 1
        UNION ALL
        SELECT 'U' || Grp, NULL, 0, COUNT(DISTINCT CustomerId), COALESCE(SUM(Total), 0), 0 FROM hit GROUP BY Grp
        UNION ALL
        SELECT 'R', NULL, COALESCE(Treatment, 0), COALESCE(Holdout, 0), COALESCE(Contacted, 0), 0 FROM audience
        """;

    private SqliteCommand? _counts;
    private SqliteCommand? _conversions;

    private SqliteCommand Prepared(string sql)
    {
        var command = _raw.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$a", SqliteType.Integer);
        if (sql.Contains("$launch", StringComparison.Ordinal))
        {
            command.Parameters.Add("$launch", SqliteType.Text);
            command.Parameters.Add("$coupon", SqliteType.Text);
            command.Parameters.Add("$w", SqliteType.Text);
        }

        command.Prepare();
        return command;
    }

    /// <summary>The same numbers by hand: two prepared statements on one open connection with the application's
    /// pragmas.</summary>
    private BaselineNumbers Baseline(int id, DateTime launch)
    {
        _counts ??= Prepared(CountsSql);
        _conversions ??= Prepared(ConversionSql);
        _counts.Parameters["$a"].Value = id;
        _conversions.Parameters["$a"].Value = id;
        _conversions.Parameters["$launch"].Value = Text(launch);
        _conversions.Parameters["$coupon"].Value = Coupon;
        _conversions.Parameters["$w"].Value = "+" + WindowDays.ToString(CultureInfo.InvariantCulture) + " days";

        int[] counts;
        long cost;
        using (var reader = _counts.ExecuteReader())
        {
            reader.Read();
            counts = [.. Enumerable.Range(0, 5).Select(reader.GetInt32)];
            cost = reader.GetInt64(5);
        }

        long last = 0, first = 0, linear = 0;
        int orders = 0, converters = 0, contactConverters = 0;
        var uplift = new Dictionary<string, (int Customers, long Revenue)>();
        var days = new List<(string Day, int Orders)>();
        var recipients = (Treatment: 0, Holdout: 0, Contacted: 0);
        using (var reader = _conversions.ExecuteReader())
        {
            while (reader.Read())
            {
                switch (reader.GetString(0))
                {
                    case "D":
                        days.Add((reader.GetString(1), reader.GetInt32(2)));
                        last += reader.GetInt64(3);
                        first += reader.GetInt64(4);
                        linear += reader.GetInt64(5);
                        break;
                    case "A":
                        orders = reader.GetInt32(2);
                        converters = reader.GetInt32(3);
                        break;
                    case "K":
                        contactConverters = reader.GetInt32(3);
                        break;
                    case "R":
                        recipients = (reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
                        break;
                    default:
                        uplift[reader.GetString(0)] = (reader.GetInt32(3), reader.GetInt64(4));
                        break;
                }
            }
        }

        days.Sort((x, y) => string.CompareOrdinal(x.Day, y.Day));
        var treatment = uplift.GetValueOrDefault("U0");
        var holdout = uplift.GetValueOrDefault("U1");
        return new BaselineNumbers(recipients.Treatment, recipients.Holdout, recipients.Contacted, counts[0], counts[1], counts[2], counts[3], counts[4],
            converters, contactConverters, orders, Money.FromStored(last), Money.FromStored(first), Money.FromStored(linear),
            treatment.Customers, Money.FromStored(treatment.Revenue), holdout.Customers, Money.FromStored(holdout.Revenue),
            Money.FromStored(cost), days);
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
