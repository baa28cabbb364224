using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.ViewModels.Analytics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>Recency, frequency and monetary scores, computed set-based in the database (docs/rfm.md).</summary>
public sealed partial class RfmService(CrmDbContext db, TimeProvider time, IOptions<AnalyticsOptions> options, ILogger<RfmService> logger)
{
    // A quintile score from the rank of the value among n customers: 1 + floor(5 · (rank − 1) / n).
    // RANK() gives equal values the same (lowest) rank, so ties always share a score; a higher rank is better.
    private static readonly string RecomputeSql = $"""
        INSERT INTO CustomerRfm (CustomerId, RecencyScore, FrequencyScore, MonetaryScore, Segment, RecencyDays, Frequency, Monetary, ComputedAt)
        SELECT CustomerId, R, F, M, {SegmentCase("R", "F")}, RecencyDays, Frequency, Monetary, @now
        FROM (
            SELECT CustomerId, RecencyDays, Frequency, Monetary,
                1 + 5 * (RANK() OVER (ORDER BY RecencyDays DESC) - 1) / COUNT(*) OVER () AS R,
                1 + 5 * (RANK() OVER (ORDER BY Frequency) - 1) / COUNT(*) OVER () AS F,
                1 + 5 * (RANK() OVER (ORDER BY Monetary) - 1) / COUNT(*) OVER () AS M
            FROM (
                SELECT p.CustomerId,
                    CAST(julianday(@now) - julianday(COALESCE(MAX(CASE WHEN p.Total >= 0 THEN p.PurchasedAt END), MAX(p.PurchasedAt))) AS INTEGER) AS RecencyDays,
                    SUM(CASE WHEN p.Total >= 0 THEN 1 ELSE 0 END) AS Frequency,
                    SUM(p.Total) AS Monetary
                FROM Purchases AS p
                JOIN Customers AS c ON c.Id = p.CustomerId
                WHERE c.IsArchived = 0 AND p.PurchasedAt >= @from AND p.PurchasedAt <= @now
                GROUP BY p.CustomerId
            ) AS a
        ) AS s
        """;

    public async Task<RfmRefreshResult> RefreshAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        var windowDays = options.Value.RfmWindowDays;
        var from = now.AddDays(-windowDays);

        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.CustomerRfm.ExecuteDeleteAsync(ct);
            var customers = await db.Database.ExecuteSqlRawAsync(RecomputeSql,
                [new SqliteParameter("@now", now), new SqliteParameter("@from", from)], ct);
            var duration = (long)time.GetElapsedTime(started).TotalMilliseconds;
            db.RfmRuns.Add(new RfmRun { ComputedAt = now, WindowDays = windowDays, Customers = customers, DurationMs = duration });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new RfmRefreshResult(customers, duration);
        });

        LogRecomputed(logger, result.Customers, windowDays, result.DurationMs);
        return result;
    }

    /// <summary>When the scores were last computed; null when never.</summary>
    public async Task<DateTime?> LastComputedAtAsync(CancellationToken ct) =>
        await db.RfmRuns.AsNoTracking().OrderByDescending(r => r.Id).Select(r => (DateTime?)r.ComputedAt).FirstOrDefaultAsync(ct);

    public async Task<RfmViewModel> GetOverviewAsync(CancellationToken ct)
    {
        var run = await db.RfmRuns.AsNoTracking().OrderByDescending(r => r.Id)
            .Select(r => new RfmRunSummary(r.ComputedAt, r.DurationMs, r.Customers, r.WindowDays))
            .FirstOrDefaultAsync(ct);

        var segments = await db.CustomerRfm.AsNoTracking()
            .GroupBy(r => r.Segment)
            .Select(g => new { Segment = g.Key, Customers = g.Count(), Revenue = g.Sum(r => r.Monetary) })
            .ToListAsync(ct);
        var cells = await db.CustomerRfm.AsNoTracking()
            .GroupBy(r => new { r.RecencyScore, r.FrequencyScore })
            .Select(g => new { g.Key.RecencyScore, g.Key.FrequencyScore, Customers = g.Count(), Monetary = g.Sum(r => r.Monetary) })
            .ToListAsync(ct);

        var total = segments.Sum(s => s.Customers);
        var maxCell = cells.Count == 0 ? 0 : cells.Max(c => c.Customers);
        var grid = Enumerable.Range(1, 5).Reverse().Select(r => (IReadOnlyList<RfmCell>)Enumerable.Range(1, 5).Select(f =>
        {
            var cell = cells.FirstOrDefault(c => c.RecencyScore == r && c.FrequencyScore == f);
            var customers = cell?.Customers ?? 0;
            return new RfmCell(r, f, RfmSegments.Of(r, f), customers,
                customers == 0 ? 0 : cell!.Monetary / customers, HeatLevel(customers, maxCell));
        }).ToList()).ToList();

        return new RfmViewModel
        {
            LastRun = run,
            WindowDays = run?.WindowDays ?? options.Value.RfmWindowDays,
            Segments = RfmSegments.All.Select(s =>
            {
                var row = segments.FirstOrDefault(x => x.Segment == s);
                var customers = row?.Customers ?? 0;
                return new RfmSegmentRow(s, customers, row?.Revenue ?? 0, total == 0 ? 0 : (decimal)customers / total);
            }).ToList(),
            Grid = grid,
        };
    }

    /// <summary>0 for an empty cell, otherwise ⌈5 · customers / fullest cell⌉, so the fullest cell is 5.</summary>
    internal static int HeatLevel(int customers, int max) =>
        customers <= 0 || max <= 0 ? 0 : Math.Clamp((int)((5L * customers + max - 1) / max), 1, 5);

    /// <summary>The grid of <see cref="RfmSegments"/> as a SQL CASE over the two score columns.</summary>
    private static string SegmentCase(string r, string f)
    {
        var sql = new StringBuilder("CASE");
        for (var ri = 1; ri <= 5; ri++)
        {
            for (var fi = 1; fi <= 5; fi++)
            {
                sql.Append(CultureInfo.InvariantCulture, $" WHEN {r} = {ri} AND {f} = {fi} THEN {(int)RfmSegments.Of(ri, fi)}");
            }
        }

        return sql.Append(" END").ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "RFM scores recomputed for {Customers} customers over {WindowDays} days in {DurationMs} ms")]
    private static partial void LogRecomputed(ILogger logger, int customers, int windowDays, long durationMs);
}
