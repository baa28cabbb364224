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

        var categories = await RankAsync(scope, byCategory: true, ct);
        var products = await RankAsync(scope, byCategory: false, ct);

        // One pass for the heatmap and the channel mix: orders and revenue per channel and hour of the week
        // (0 = Sunday 00:00), from integer local seconds rather than date formatting of every purchase.
        var slotSql = scope.With + $"""
            SELECT Channel, (LocalSeconds / 3600 + {Scope.SlotShift}) % 168 AS Slot,
                SUM(CASE WHEN Total >= 0 THEN 1 ELSE 0 END) AS Orders, SUM(Total) AS Revenue
            FROM lp GROUP BY 1, 2
            """;
        var slots = await db.Database.SqlQueryRaw<SlotSqlRow>(slotSql, [.. scope.Parameters()]).ToListAsync(ct);
        var heat = slots.GroupBy(s => s.Slot).ToDictionary(g => g.Key, g => g.Sum(s => s.Orders));
        var channels = slots.GroupBy(s => s.Channel).OrderBy(g => g.Key)
            .Select(g => new ChannelSqlRow { Channel = g.Key, Orders = g.Sum(s => s.Orders), Revenue = g.Sum(s => s.Revenue) })
            .ToList();

        // One window pass in (customer, time) index order: K numbers each customer's orders (K = 1 counts buyers,
        // K = 2 repeat buyers) and Gap is the time since the previous order. Equal times give a zero gap in either
        // order, so no tie-breaker is needed. The median sorts the gaps once and reads the middle one or two.
        var statsSql = scope.With + """
            , g AS MATERIALIZED (
                SELECT ROW_NUMBER() OVER w AS K, julianday(PurchasedAt) - julianday(LAG(PurchasedAt) OVER w) AS Gap
                FROM lp WHERE Total >= 0
                WINDOW w AS (PARTITION BY CustomerId ORDER BY PurchasedAt)),
            n AS MATERIALIZED (SELECT COUNT(*) AS N FROM g WHERE K > 1)
            SELECT (SELECT COUNT(*) FROM g WHERE K = 1) AS Buyers, (SELECT COUNT(*) FROM g WHERE K = 2) AS RepeatBuyers,
                (SELECT AVG(Gap) FROM (SELECT Gap FROM g WHERE K > 1 ORDER BY Gap
                    LIMIT (SELECT 2 - N % 2 FROM n) OFFSET (SELECT (N - 1) / 2 FROM n))) AS MedianGap
            """;
        var stats = (await db.Database.SqlQueryRaw<StatsSqlRow>(statsSql, [.. scope.Parameters()]).ToListAsync(ct)).Single();

        var totalOrders = channels.Sum(c => c.Orders);
        var totalRevenue = Money.FromStored(channels.Sum(c => c.Revenue));

        var maxHeat = heat.Count == 0 ? 0 : (int)heat.Values.Max();
        var cells = new List<HeatCell>(7 * 24);
        for (var day = 0; day < 7; day++)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var orders = (int)heat.GetValueOrDefault(day * 24 + hour);
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

    private async Task<List<RankSqlRow>> RankAsync(Scope scope, bool byCategory, CancellationToken ct)
    {
        // Lines are read in purchase order from the covering (PurchaseId, ProductId, Quantity, Amount) index with a
        // primary-key lookup of their purchase (CROSS JOIN keeps that order). Products are grouped by id, a cheaper sort
        // key than their label, and named afterwards; the label and key are fixed SQL text, never user input.
        var sql = scope.With + (byCategory
            ? """
              , l AS (
                  SELECT pr.Category AS Label, SUM(pl.Amount) AS Revenue, COUNT(DISTINCT CASE WHEN pl.Quantity > 0 THEN lp.CustomerId END) AS Buyers
                  FROM PurchaseLines AS pl CROSS JOIN lp CROSS JOIN Products AS pr
                  WHERE lp.Id = pl.PurchaseId AND pr.Id = pl.ProductId
                  GROUP BY pr.Category)
              """
            : """
              , t AS (
                  SELECT pl.ProductId, SUM(pl.Amount) AS Revenue, COUNT(DISTINCT CASE WHEN pl.Quantity > 0 THEN lp.CustomerId END) AS Buyers
                  FROM PurchaseLines AS pl CROSS JOIN lp
                  WHERE lp.Id = pl.PurchaseId
                  GROUP BY pl.ProductId),
              l AS (SELECT pr.Name || ' (' || pr.Sku || ')' AS Label, t.Revenue, t.Buyers FROM t JOIN Products AS pr ON pr.Id = t.ProductId)
              """) + $"""
            , r AS (
                SELECT Label, Revenue, Buyers,
                    ROW_NUMBER() OVER (ORDER BY Revenue DESC, Label) AS RevenueRank,
                    ROW_NUMBER() OVER (ORDER BY Buyers DESC, Label) AS BuyersRank
                FROM l)
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
    /// their local time, each shifted by the offset of its zone range; archived customers only when one is asked for.
    /// LocalAt is the local time as text; LocalSeconds the local time in whole seconds since 0001-01-01 (a Monday),
    /// never negative, so plain integer division gives days and hours. Only placeholders vary in the text; every value
    /// is a parameter.</summary>
    private sealed class Scope
    {
        /// <summary>Seconds from 0001-01-01 to the Unix epoch.</summary>
        public const long EpochSeconds = 62_135_596_800;

        /// <summary>Added to the hours since 0001-01-01 (a Monday) so that slot 0 of a week is Sunday 00:00.</summary>
        public const int SlotShift = 24;

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
                    SELECT p.Id, p.CustomerId, p.Total, p.Channel, p.PurchasedAt, datetime(p.PurchasedAt, ({offset}) || ' minutes') AS LocalAt,
                        unixepoch(p.PurchasedAt) + ({offset}) * 60 + {EpochSeconds} AS LocalSeconds
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

    private sealed class SlotSqlRow
    {
        public int Channel { get; set; }
        public int Slot { get; set; }
        public long Orders { get; set; }
        public long Revenue { get; set; }
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
