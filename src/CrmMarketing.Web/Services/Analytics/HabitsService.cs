using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Analytics;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>Purchase habits and cohorts, set-based in the database. An order is a purchase with Total ≥ 0; refunds
/// (negative totals) only reduce revenue. Weekdays, hours and months are in the display time zone: each purchase is
/// shifted by the zone's UTC offset at its own instant (see <see cref="ZoneOffsets"/>).</summary>
public sealed class HabitsService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, IStringLocalizer<SharedResource> l)
{
    public const int TopItems = 10;

    public const int FavouriteCategories = 3;

    public async Task<HabitsViewModel> GetHabitsAsync(HabitsQuery query, CancellationToken ct)
    {
        var scope = new Scope(formatter.TimeZone, time.GetUtcNow().UtcDateTime, query.Segment, null, query.SavedSegment);

        var categories = await RankAsync(scope, "pr.Category", ct);
        var products = await RankAsync(scope, "pr.Name || ' (' || pr.Sku || ')'", ct);

        var heatSql = scope.With + """
            SELECT CAST(strftime('%w', LocalAt) AS INTEGER) AS Day, CAST(strftime('%H', LocalAt) AS INTEGER) AS Hour, COUNT(*) AS Orders
            FROM lp WHERE Total >= 0
            GROUP BY 1, 2
            """;
        var heat = await db.Database.SqlQueryRaw<HeatSqlRow>(heatSql, [.. scope.Parameters()]).ToListAsync(ct);

        var statsSql = scope.With + $"""
            , n AS (SELECT CustomerId, COUNT(*) AS Orders FROM lp WHERE Total >= 0 GROUP BY CustomerId),
            g AS (SELECT julianday(PurchasedAt) - julianday(LAG(PurchasedAt) OVER (PARTITION BY CustomerId ORDER BY PurchasedAt, Id)) AS Gap
                  FROM lp WHERE Total >= 0),
            v AS (SELECT Gap, ROW_NUMBER() OVER (ORDER BY Gap) - 1 AS I, COUNT(*) OVER () AS N FROM g WHERE Gap IS NOT NULL)
            SELECT (SELECT COUNT(*) FROM n) AS Buyers, (SELECT COUNT(*) FROM n WHERE Orders >= 2) AS RepeatBuyers,
                {Quantile("0.5")} AS MedianGap
            """;
        var stats = (await db.Database.SqlQueryRaw<StatsSqlRow>(statsSql, [.. scope.Parameters()]).ToListAsync(ct)).Single();

        var channelSql = scope.With + """
            SELECT Channel, SUM(CASE WHEN Total >= 0 THEN 1 ELSE 0 END) AS Orders, SUM(Total) AS Revenue
            FROM lp GROUP BY Channel ORDER BY Channel
            """;
        var channels = await db.Database.SqlQueryRaw<ChannelSqlRow>(channelSql, [.. scope.Parameters()]).ToListAsync(ct);
        var totalOrders = channels.Sum(c => c.Orders);
        var totalRevenue = Money.FromStored(channels.Sum(c => c.Revenue));

        var maxHeat = heat.Count == 0 ? 0 : heat.Max(h => h.Orders);
        var cells = new List<HeatCell>(7 * 24);
        for (var day = 0; day < 7; day++)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var orders = heat.FirstOrDefault(h => h.Day == day && h.Hour == hour)?.Orders ?? 0;
                cells.Add(new HeatCell((DayOfWeek)day, hour, orders, Level(orders, maxHeat)));
            }
        }

        return new HabitsViewModel
        {
            Query = query,
            SavedSegments = await db.Segments.AsNoTracking().OrderBy(s => s.Name)
                .Select(s => new KeyValuePair<int, string>(s.Id, s.Name)).ToListAsync(ct),
            CategoriesByRevenue = Top(categories, r => r.RevenueRank),
            CategoriesByBuyers = Top(categories, r => r.BuyersRank),
            ProductsByRevenue = Top(products, r => r.RevenueRank),
            ProductsByBuyers = Top(products, r => r.BuyersRank),
            Heatmap = cells,
            Buyers = stats.Buyers,
            RepeatBuyers = stats.RepeatBuyers,
            MedianGapDays = Days(stats.MedianGap),
            Channels = [.. channels.Select(c =>
            {
                var revenue = Money.FromStored(c.Revenue);
                return new ChannelMixRow((PurchaseChannel)c.Channel, ChannelName(l, (PurchaseChannel)c.Channel), c.Orders, revenue,
                    totalOrders == 0 ? 0 : (decimal)c.Orders / totalOrders,
                    totalRevenue == 0 ? 0 : revenue / totalRevenue);
            })],
            TimeZoneName = formatter.TimeZone.Id,
        };
    }

    public async Task<CohortsViewModel> GetCohortsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var local = formatter.ToLocal(now);
        var current = MonthIndex(local.Year, local.Month);
        var first = current - CohortsViewModel.Months + 1;
        var scope = new Scope(formatter.TimeZone, now, null, null);

        // M is a month number (year · 12 + month − 1) in the display zone; a cohort is the month of a customer's first order.
        var sql = scope.With + """
            , m AS (SELECT CustomerId, Total, CAST(strftime('%Y', LocalAt) AS INTEGER) * 12 + CAST(strftime('%m', LocalAt) AS INTEGER) - 1 AS M FROM lp),
            f AS (SELECT CustomerId, MIN(M) AS Cohort FROM m WHERE Total >= 0 GROUP BY CustomerId)
            SELECT f.Cohort, m.M - f.Cohort AS "Offset",
                COUNT(DISTINCT CASE WHEN m.Total >= 0 THEN m.CustomerId END) AS Customers, SUM(m.Total) AS Revenue
            FROM f JOIN m ON m.CustomerId = f.CustomerId
            WHERE f.Cohort >= @first AND m.M >= f.Cohort AND m.M - f.Cohort < @months
            GROUP BY f.Cohort, m.M - f.Cohort
            """;
        var parameters = scope.Parameters();
        parameters.Add(new("@first", first));
        parameters.Add(new("@months", CohortsViewModel.Months));
        var rows = await db.Database.SqlQueryRaw<CohortSqlRow>(sql, [.. parameters]).ToListAsync(ct);

        var cohorts = new List<CohortRow>(CohortsViewModel.Months);
        for (var cohort = current; cohort >= first; cohort--)
        {
            var size = rows.FirstOrDefault(r => r.Cohort == cohort && r.Offset == 0)?.Customers ?? 0;
            var cells = new List<CohortCell?>(CohortsViewModel.Months);
            for (var offset = 0; offset < CohortsViewModel.Months; offset++)
            {
                if (cohort + offset > current)
                {
                    cells.Add(null);
                    continue;
                }

                var row = rows.FirstOrDefault(r => r.Cohort == cohort && r.Offset == offset);
                var customers = row?.Customers ?? 0;
                var retention = size == 0 ? 0 : (decimal)customers / size;
                cells.Add(new CohortCell(offset, customers, retention, Money.FromStored(row?.Revenue ?? 0), (int)Math.Ceiling(retention * 5)));
            }

            cohorts.Add(new CohortRow(new DateOnly(cohort / 12, cohort % 12 + 1, 1), size, cells));
        }

        return new CohortsViewModel { Cohorts = cohorts, TimeZoneName = formatter.TimeZone.Id };
    }

    /// <summary>One customer's favourite categories, usual weekday and hour band, and the predicted next purchase.</summary>
    public async Task<CustomerHabitsViewModel> GetCustomerHabitsAsync(int customerId, CancellationToken ct)
    {
        var scope = new Scope(formatter.TimeZone, time.GetUtcNow().UtcDateTime, null, customerId);

        var favouritesSql = scope.With + $"""
            SELECT pr.Category AS Category, SUM(pl.Amount) AS Spent
            FROM lp JOIN PurchaseLines AS pl ON pl.PurchaseId = lp.Id JOIN Products AS pr ON pr.Id = pl.ProductId
            WHERE pr.Category IS NOT NULL AND pr.Category <> ''
            GROUP BY pr.Category HAVING SUM(pl.Amount) > 0
            ORDER BY Spent DESC, Category
            LIMIT {FavouriteCategories}
            """;
        var favourites = await db.Database.SqlQueryRaw<FavouriteSqlRow>(favouritesSql, [.. scope.Parameters()]).ToListAsync(ct);

        var sql = scope.With + $"""
            , o AS (SELECT Id, PurchasedAt, LocalAt FROM lp WHERE Total >= 0),
            g AS (SELECT julianday(PurchasedAt) - julianday(LAG(PurchasedAt) OVER (ORDER BY PurchasedAt, Id)) AS Gap FROM o),
            v AS (SELECT Gap, ROW_NUMBER() OVER (ORDER BY Gap) - 1 AS I, COUNT(*) OVER () AS N FROM g WHERE Gap IS NOT NULL)
            SELECT (SELECT COUNT(*) FROM o) AS Orders, (SELECT MAX(PurchasedAt) FROM o) AS LastAt,
                (SELECT CAST(strftime('%w', LocalAt) AS INTEGER) FROM o GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1) AS Day,
                (SELECT CAST(strftime('%H', LocalAt) AS INTEGER) / 6 FROM o GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1) AS Band,
                {Quantile("0.25")} AS Q1, {Quantile("0.5")} AS Median, {Quantile("0.75")} AS Q3
            """;
        var row = (await db.Database.SqlQueryRaw<CustomerSqlRow>(sql, [.. scope.Parameters()]).ToListAsync(ct)).Single();

        var predict = row.Orders >= CustomerHabitsViewModel.MinimumOrdersForPrediction && row.LastAt is not null && row.Median is not null;
        var last = row.LastAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null;
        return new CustomerHabitsViewModel
        {
            FavouriteCategories = [.. favourites.Select(f => new FavouriteCategory(f.Category, Money.FromStored(f.Spent)))],
            UsualDay = row.Day is { } d ? (DayOfWeek)d : null,
            UsualHourBand = row.Band is { } b ? (HourBand)b : null,
            Orders = row.Orders,
            MedianGapDays = predict ? Days(row.Median) : null,
            ExpectedNextPurchase = predict ? AddDays(last!.Value, row.Median!.Value) : null,
            WindowFrom = predict ? AddDays(last!.Value, row.Q1 ?? row.Median!.Value) : null,
            WindowTo = predict ? AddDays(last!.Value, row.Q3 ?? row.Median!.Value) : null,
        };
    }

    public static string ChannelName(IStringLocalizer l, PurchaseChannel channel) => channel switch
    {
        PurchaseChannel.Online => l["Online"],
        PurchaseChannel.Store => l["Store"],
        PurchaseChannel.Phone => l["Phone"],
        PurchaseChannel.Marketplace => l["Marketplace"],
        PurchaseChannel.Other => l["Other"],
        _ => channel.ToString(),
    };

    public static string HourBandName(IStringLocalizer l, HourBand band) => band switch
    {
        HourBand.Night => l["Night (00–06)"],
        HourBand.Morning => l["Morning (06–12)"],
        HourBand.Afternoon => l["Afternoon (12–18)"],
        HourBand.Evening => l["Evening (18–24)"],
        _ => band.ToString(),
    };

    /// <summary>Intensity 0–5 of a count relative to the largest one; 0 only for an empty cell.</summary>
    public static int Level(int value, int max) => value <= 0 || max <= 0 ? 0 : Math.Max(1, (int)Math.Ceiling(5.0 * value / max));

    /// <summary>julianday differences carry floating-point noise; whole minutes are precise enough for a forecast.</summary>
    private static DateTime AddDays(DateTime utc, double days) => utc.AddMinutes(Math.Round(days * 24 * 60));

    private static int MonthIndex(int year, int month) => year * 12 + month - 1;

    private static decimal? Days(double? days) => days is { } d ? decimal.Round((decimal)d, 1) : null;

    /// <summary>The p-quantile of v.Gap by linear interpolation between the ranks around p · (N − 1); p is a fixed literal.
    /// For p = 0.5 this is the usual median (the middle value, or the mean of the two middle values).</summary>
    private static string Quantile(string p) => $"""
        (SELECT SUM(CASE WHEN I = CAST({p} * (N - 1) AS INTEGER) THEN Gap * (1 - ({p} * (N - 1) - CAST({p} * (N - 1) AS INTEGER)))
                         WHEN I = CAST({p} * (N - 1) AS INTEGER) + 1 THEN Gap * ({p} * (N - 1) - CAST({p} * (N - 1) AS INTEGER))
                         ELSE 0 END) FROM v)
        """;

    private async Task<List<RankSqlRow>> RankAsync(Scope scope, string label, CancellationToken ct)
    {
        // The label is fixed SQL text chosen by the caller, never user input. CROSS JOIN keeps SQLite scanning the lines
        // in storage order with primary-key lookups, about twice as fast as walking them product by product.
        var sql = scope.With + $"""
            , t AS (
                SELECT {label} AS Label, SUM(pl.Amount) AS Revenue, COUNT(DISTINCT CASE WHEN pl.Quantity > 0 THEN lp.CustomerId END) AS Buyers
                FROM PurchaseLines AS pl CROSS JOIN lp CROSS JOIN Products AS pr
                WHERE lp.Id = pl.PurchaseId AND pr.Id = pl.ProductId
                GROUP BY 1),
            r AS (
                SELECT Label, Revenue, Buyers,
                    ROW_NUMBER() OVER (ORDER BY Revenue DESC, Label) AS RevenueRank,
                    ROW_NUMBER() OVER (ORDER BY Buyers DESC, Label) AS BuyersRank
                FROM t)
            SELECT Label, Revenue, Buyers, RevenueRank, BuyersRank FROM r
            WHERE RevenueRank <= {TopItems} OR BuyersRank <= {TopItems}
            """;
        return await db.Database.SqlQueryRaw<RankSqlRow>(sql, [.. scope.Parameters()]).ToListAsync(ct);
    }

    private List<RankedItem> Top(List<RankSqlRow> rows, Func<RankSqlRow, long> rank) =>
    [
        .. rows.Where(r => rank(r) <= TopItems).OrderBy(rank)
            .Select(r => new RankedItem(string.IsNullOrEmpty(r.Label) ? l["Uncategorised"] : r.Label, Money.FromStored(r.Revenue), r.Buyers)),
    ];

    /// <summary>The CTE prefix every query starts with: <c>lp</c>, the purchases in scope (customers not archived) with
    /// their local time, each shifted by the offset of its zone range; archived customers only when one is asked for. Only placeholders vary in the text; every value is a parameter.</summary>
    private sealed class Scope
    {
        private readonly IReadOnlyList<ZoneOffsets.Range> _ranges;
        private readonly RfmSegment? _segment;
        private readonly int? _customerId;
        private readonly int? _savedSegment;

        public Scope(TimeZoneInfo zone, DateTime nowUtc, RfmSegment? segment, int? customerId, int? savedSegment = null)
        {
            _savedSegment = savedSegment;
            _ranges = ZoneOffsets.Ranges(zone, nowUtc);
            _segment = segment;
            _customerId = customerId;
            // The offset of the range each purchase falls in, newest range first since most purchases are recent.
            var offset = new StringBuilder("CASE");
            for (var i = _ranges.Count - 1; i > 0; i--)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                offset.Append(" WHEN p.PurchasedAt >= @zf").Append(n).Append(" THEN @zm").Append(n);
            }

            offset.Append(" ELSE @zm0 END");
            if (_ranges.Count == 1)
            {
                offset.Clear().Append("@zm0");
            }

            var sql = new StringBuilder($"""
                WITH lp AS (
                    SELECT p.Id, p.CustomerId, p.Total, p.Channel, p.PurchasedAt, datetime(p.PurchasedAt, ({offset}) || ' minutes') AS LocalAt
                    FROM Purchases AS p
                """);
            if (customerId is null)
            {
                sql.Append(" WHERE p.CustomerId NOT IN (SELECT Id FROM Customers WHERE IsArchived <> 0)");
            }
            else
            {
                // One customer's own habits show even when the customer is archived.
                sql.Append(" WHERE p.CustomerId = @customer");
            }

            if (segment is not null)
            {
                sql.Append(" AND p.CustomerId IN (SELECT CustomerId FROM CustomerRfm WHERE Segment = @segment)");
            }

            if (savedSegment is not null)
            {
                sql.Append(" AND p.CustomerId IN (SELECT CustomerId FROM SegmentMembers WHERE SegmentId = @savedSegment)");
            }

            sql.AppendLine(")");
            With = sql.ToString();
        }

        public string With { get; }

        /// <summary>Fresh parameter objects for one command.</summary>
        public List<SqliteParameter> Parameters()
        {
            var list = new List<SqliteParameter>(_ranges.Count * 2 + 2);
            for (var i = 0; i < _ranges.Count; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                if (i > 0)
                {
                    list.Add(new("@zf" + n, _ranges[i].FromUtc));
                }

                list.Add(new("@zm" + n, _ranges[i].OffsetMinutes));
            }

            if (_segment is { } s)
            {
                list.Add(new("@segment", (int)s));
            }

            if (_customerId is { } id)
            {
                list.Add(new("@customer", id));
            }

            if (_savedSegment is { } saved)
            {
                list.Add(new("@savedSegment", saved));
            }

            return list;
        }
    }

    private sealed class RankSqlRow
    {
        public string? Label { get; set; }
        public long Revenue { get; set; }
        public int Buyers { get; set; }
        public long RevenueRank { get; set; }
        public long BuyersRank { get; set; }
    }

    private sealed class HeatSqlRow
    {
        public int Day { get; set; }
        public int Hour { get; set; }
        public int Orders { get; set; }
    }

    private sealed class StatsSqlRow
    {
        public int Buyers { get; set; }
        public int RepeatBuyers { get; set; }
        public double? MedianGap { get; set; }
    }

    private sealed class ChannelSqlRow
    {
        public int Channel { get; set; }
        public long Orders { get; set; }
        public long Revenue { get; set; }
    }

    private sealed class CohortSqlRow
    {
        public int Cohort { get; set; }
        public int Offset { get; set; }
        public int Customers { get; set; }
        public long Revenue { get; set; }
    }

    private sealed class FavouriteSqlRow
    {
        public string Category { get; set; } = string.Empty;
        public long Spent { get; set; }
    }

    private sealed class CustomerSqlRow
    {
        public int Orders { get; set; }
        public DateTime? LastAt { get; set; }
        public int? Day { get; set; }
        public int? Band { get; set; }
        public double? Q1 { get; set; }
        public double? Median { get; set; }
        public double? Q3 { get; set; }
    }
}
