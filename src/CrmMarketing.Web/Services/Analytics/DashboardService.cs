using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Dashboard;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>The dashboard of one date range against the previous range of equal length, and the sales home page.
/// Every number is aggregated in the database (docs/dashboard.md); archived customers are left out throughout.</summary>
public sealed class DashboardService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter)
{
    public const int TopCities = 10;
    public const int TopProductCount = 10;
    public const int SalesListLength = 10;

    private const string NotArchived = "CustomerId NOT IN (SELECT Id FROM Customers WHERE IsArchived <> 0)";

    public async Task<DashboardViewModel> GetAsync(DashboardQuery query, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var period = DashboardPeriod.Resolve(query, DateOnly.FromDateTime(formatter.ToLocal(now)));
        var from = formatter.StartOfDayUtc(period.From);
        var to = formatter.EndOfDayUtc(period.To);
        var previousFrom = formatter.StartOfDayUtc(period.PreviousFrom);
        var sql = new DashboardSql(formatter.TimeZone, now, from, to, previousFrom, period.Granularity);

        var kpis = await KpisAsync(sql, ct);
        var series = await SeriesAsync(sql, period, ct);
        var regions = await BreakdownAsync(sql, "Region", "region", limit: null, period, ct);
        var cities = await BreakdownAsync(sql, "City", "city", TopCities, period, ct);
        var products = await TopProductsAsync(sql, period, ct);

        var segmentCounts = await db.CustomerRfm.AsNoTracking()
            .GroupBy(r => r.Segment)
            .Select(g => new { Segment = g.Key, Customers = g.Count() })
            .ToListAsync(ct);
        var rfmAt = await db.RfmRuns.AsNoTracking().OrderByDescending(r => r.Id).Select(r => (DateTime?)r.ComputedAt).FirstOrDefaultAsync(ct);

        return new DashboardViewModel
        {
            Period = period,
            Preset = query.Days is { } d && DashboardQuery.Presets.Contains(d) ? d : null,
            Kpis = kpis,
            Series = series,
            Regions = regions,
            Cities = cities,
            Segments = RfmSegments.All
                .Select(s => new SegmentSlice(s, segmentCounts.FirstOrDefault(c => c.Segment == s)?.Customers ?? 0, Filter(("rfm", s.ToString()))))
                .ToList(),
            RfmComputedAt = rfmAt,
            TopProducts = products,
            PurchasedFilter = PurchasedIn(period.From, period.To),
            NewCustomersFilter = FirstPurchaseIn(period.From, period.To),
        };
    }

    private async Task<DashboardKpis> KpisAsync(DashboardSql sql, CancellationToken ct)
    {
        // Per customer and period (1 = the range, 0 = the previous one): revenue (returns included) and orders (totals ≥ 0).
        var purchasesSql = $"""
            WITH c AS (
                SELECT PurchasedAt >= @from AS Cur, CustomerId, SUM(Total) AS Revenue, SUM(CASE WHEN Total >= 0 THEN 1 ELSE 0 END) AS Orders
                FROM Purchases
                WHERE PurchasedAt >= @pfrom AND PurchasedAt < @to AND {NotArchived}
                GROUP BY 1, CustomerId
            )
            SELECT Cur, SUM(Revenue) AS Revenue, SUM(Orders) AS Orders,
                SUM(CASE WHEN Orders > 0 THEN 1 ELSE 0 END) AS Active, SUM(CASE WHEN Orders > 1 THEN 1 ELSE 0 END) AS Repeaters
            FROM c GROUP BY Cur
            """;
        var periods = await db.Database.SqlQueryRaw<KpiSqlRow>(purchasesSql, [.. sql.Parameters()]).ToListAsync(ct);
        const string customersSql = """
            SELECT COALESCE(SUM(CreatedAt < @to), 0) AS CustomersNow, COALESCE(SUM(CreatedAt < @from), 0) AS CustomersBefore,
                COALESCE(SUM(FirstPurchaseAt >= @from AND FirstPurchaseAt < @to), 0) AS NewNow,
                COALESCE(SUM(FirstPurchaseAt >= @pfrom AND FirstPurchaseAt < @from), 0) AS NewBefore
            FROM Customers WHERE IsArchived = 0
            """;
        var customers = await db.Database.SqlQueryRaw<CustomerCountsSqlRow>(customersSql, [.. sql.Parameters()]).SingleAsync(ct);

        var current = periods.FirstOrDefault(p => p.Cur == 1) ?? new KpiSqlRow();
        var previous = periods.FirstOrDefault(p => p.Cur == 0) ?? new KpiSqlRow();
        return Kpis(customers, current, previous);
    }

    /// <summary>The tiles from the raw counts; ratios are undefined (null) without orders or active customers.</summary>
    internal static DashboardKpis Kpis(CustomerCountsSqlRow customers, KpiSqlRow current, KpiSqlRow previous)
    {
        static decimal? Aov(KpiSqlRow r) => r.Orders == 0 ? null : decimal.Round(Money.FromStored(r.Revenue) / r.Orders, 4);
        static decimal? RepeatRate(KpiSqlRow r) => r.Active == 0 ? null : (decimal)r.Repeaters / r.Active;
        return new DashboardKpis(
            new Kpi(customers.CustomersNow, customers.CustomersBefore),
            new Kpi(customers.NewNow, customers.NewBefore),
            new Kpi(current.Active, previous.Active),
            new Kpi(Money.FromStored(current.Revenue), Money.FromStored(previous.Revenue)),
            new Kpi(current.Orders, previous.Orders),
            new RatioKpi(Aov(current), Aov(previous)),
            new RatioKpi(RepeatRate(current), RepeatRate(previous)));
    }

    private async Task<IReadOnlyList<TimePoint>> SeriesAsync(DashboardSql sql, DashboardPeriod period, CancellationToken ct)
    {
        var purchasesSql = $"""
            SELECT {sql.Bucket("PurchasedAt")} AS Bucket, SUM(Total) AS Revenue, SUM(CASE WHEN Total >= 0 THEN 1 ELSE 0 END) AS Orders
            FROM Purchases
            WHERE PurchasedAt >= @from AND PurchasedAt < @to AND {NotArchived}
            GROUP BY 1
            """;
        var sales = (await db.Database.SqlQueryRaw<BucketSqlRow>(purchasesSql, [.. sql.Parameters()]).ToListAsync(ct))
            .ToDictionary(r => r.Bucket);
        var newSql = $"""
            SELECT {sql.Bucket("FirstPurchaseAt")} AS Bucket, 0 AS Revenue, COUNT(*) AS Orders
            FROM Customers
            WHERE IsArchived = 0 AND FirstPurchaseAt >= @from AND FirstPurchaseAt < @to
            GROUP BY 1
            """;
        var newcomers = (await db.Database.SqlQueryRaw<BucketSqlRow>(newSql, [.. sql.Parameters()]).ToListAsync(ct))
            .ToDictionary(r => r.Bucket);

        return Buckets(period).Select(b =>
        {
            var key = b.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var s = sales.GetValueOrDefault(key);
            return new TimePoint(b.Start, b.End, Money.FromStored(s?.Revenue ?? 0), (int)(s?.Orders ?? 0),
                (int)(newcomers.GetValueOrDefault(key)?.Orders ?? 0), PurchasedIn(b.Start, b.End), FirstPurchaseIn(b.Start, b.End));
        }).ToList();
    }

    /// <summary>The buckets covering the period: the key is the bucket's natural start (a Monday, the 1st), the
    /// shown start and end are clipped to the period.</summary>
    internal static IEnumerable<(DateOnly Key, DateOnly Start, DateOnly End)> Buckets(DashboardPeriod period)
    {
        var key = period.Granularity switch
        {
            Granularity.Week => period.From.AddDays(-(((int)period.From.DayOfWeek + 6) % 7)),
            Granularity.Month => new DateOnly(period.From.Year, period.From.Month, 1),
            _ => period.From,
        };
        while (key <= period.To)
        {
            var next = period.Granularity switch
            {
                Granularity.Week => key.AddDays(7),
                Granularity.Month => key.AddMonths(1),
                _ => key.AddDays(1),
            };
            var start = key < period.From ? period.From : key;
            var end = next.AddDays(-1) > period.To ? period.To : next.AddDays(-1);
            yield return (key, start, end);
            key = next;
        }
    }

    private async Task<IReadOnlyList<BreakdownRow>> BreakdownAsync(DashboardSql sql, string column, string filterName, int? limit,
        DashboardPeriod period, CancellationToken ct)
    {
        // `column` is one of two fixed names chosen by the caller, never user input.
        var text = $"""
            SELECT c.{column} AS "Key", SUM(p.Total) AS Revenue, SUM(CASE WHEN p.Total >= 0 THEN 1 ELSE 0 END) AS Orders,
                COUNT(DISTINCT p.CustomerId) AS Customers
            FROM Purchases AS p JOIN Customers AS c ON c.Id = p.CustomerId
            WHERE p.PurchasedAt >= @from AND p.PurchasedAt < @to AND c.IsArchived = 0
            GROUP BY c.{column}
            ORDER BY Revenue DESC, c.{column}
            {(limit is { } n ? "LIMIT " + n.ToString(CultureInfo.InvariantCulture) : string.Empty)}
            """;
        var rows = await db.Database.SqlQueryRaw<BreakdownSqlRow>(text, [.. sql.Parameters()]).ToListAsync(ct);
        var range = PurchasedIn(period.From, period.To);
        return rows.Select(r => new BreakdownRow(
            r.Key ?? string.Empty, Money.FromStored(r.Revenue), (int)r.Orders, (int)r.Customers,
            r.Key is null ? null : new Dictionary<string, string>(range) { [filterName] = r.Key })).ToList();
    }

    private async Task<IReadOnlyList<TopProductRow>> TopProductsAsync(DashboardSql sql, DashboardPeriod period, CancellationToken ct)
    {
        var text = $"""
            SELECT l.ProductId, pr.Name, pr.Category, SUM(l.Amount) AS Revenue, SUM(l.Quantity) AS Units,
                COUNT(DISTINCT CASE WHEN l.Quantity > 0 THEN p.CustomerId END) AS Buyers
            FROM Purchases AS p JOIN PurchaseLines AS l ON l.PurchaseId = p.Id JOIN Products AS pr ON pr.Id = l.ProductId
            WHERE p.PurchasedAt >= @from AND p.PurchasedAt < @to AND p.{NotArchived}
            GROUP BY l.ProductId
            ORDER BY Revenue DESC, l.ProductId
            LIMIT {TopProductCount}
            """;
        var rows = await db.Database.SqlQueryRaw<ProductSqlRow>(text, [.. sql.Parameters()]).ToListAsync(ct);
        var range = PurchasedIn(period.From, period.To);
        return rows.Select(r => new TopProductRow(r.ProductId, r.Name, r.Category, Money.FromStored(r.Revenue), (int)r.Units, (int)r.Buyers,
            new Dictionary<string, string>(range) { ["product"] = r.ProductId.ToString(CultureInfo.InvariantCulture) })).ToList();
    }

    /// <summary>The sales home page: the user's recent calls and feedback, their follow-ups and the customers
    /// they were last in touch with.</summary>
    public async Task<SalesHomeViewModel> GetSalesHomeAsync(string userId, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(formatter.ToLocal(time.GetUtcNow().UtcDateTime));
        var calls = await db.CustomerCalls.AsNoTracking()
            .Where(c => c.CreatedByUserId == userId)
            .OrderByDescending(c => c.CalledAt).ThenByDescending(c => c.Id)
            .Take(SalesListLength)
            .Join(db.Customers, c => c.CustomerId, x => x.Id, (c, x) => new SalesCallRow(c.Id, c.CustomerId, x.Name, c.CalledAt, c.Direction, c.Outcome, c.FollowUpOn))
            .ToListAsync(ct);
        var followUps = await db.CustomerCalls.AsNoTracking()
            .Where(c => c.CreatedByUserId == userId && c.FollowUpOn != null && c.FollowUpOn <= today.AddDays(7))
            .OrderBy(c => c.FollowUpOn).ThenBy(c => c.Id)
            .Take(SalesListLength)
            .Join(db.Customers, c => c.CustomerId, x => x.Id, (c, x) => new SalesCallRow(c.Id, c.CustomerId, x.Name, c.CalledAt, c.Direction, c.Outcome, c.FollowUpOn))
            .ToListAsync(ct);
        var feedback = await db.Feedback.AsNoTracking()
            .Where(f => f.CreatedByUserId == userId)
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id)
            .Take(SalesListLength)
            .Join(db.Customers, f => f.CustomerId, x => x.Id, (f, x) => new SalesFeedbackRow(f.Id, f.CustomerId, x.Name, f.CreatedAt, f.Score, f.Status))
            .ToListAsync(ct);

        // The customers of the user's calls and feedback, by the latest contact.
        var contacts = db.CustomerCalls.Where(c => c.CreatedByUserId == userId).Select(c => new { c.CustomerId, At = c.CalledAt })
            .Concat(db.Feedback.Where(f => f.CreatedByUserId == userId).Select(f => new { f.CustomerId, At = f.CreatedAt }));
        var customers = await contacts
            .GroupBy(c => c.CustomerId)
            .Select(g => new { CustomerId = g.Key, LastContact = g.Max(c => c.At), Contacts = g.Count() })
            .OrderByDescending(g => g.LastContact).ThenBy(g => g.CustomerId)
            .Take(SalesListLength)
            .Join(db.Customers, g => g.CustomerId, x => x.Id, (g, x) => new SalesCustomerRow(x.Id, x.Name, x.City, g.LastContact, g.Contacts, x.LastPurchaseAt, x.TotalSpent))
            .ToListAsync(ct);

        return new SalesHomeViewModel
        {
            Today = today,
            Customers = customers.OrderByDescending(c => c.LastContact).ThenBy(c => c.CustomerId).ToList(),
            Calls = calls.OrderByDescending(c => c.CalledAt).ThenByDescending(c => c.Id).ToList(),
            FollowUps = followUps.OrderBy(c => c.FollowUpOn).ThenBy(c => c.Id).ToList(),
            Feedback = feedback.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).ToList(),
        };
    }

    private static Dictionary<string, string> Filter(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    private static Dictionary<string, string> PurchasedIn(DateOnly from, DateOnly to) =>
        Filter(("purchasedFrom", Iso(from)), ("purchasedTo", Iso(to)));

    private static Dictionary<string, string> FirstPurchaseIn(DateOnly from, DateOnly to) =>
        Filter(("firstPurchaseFrom", Iso(from)), ("firstPurchaseTo", Iso(to)));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The fixed statement fragments and fresh parameters of one dashboard request. Local times use the
    /// offset in force at each instant (daylight saving included), from the zone ranges that overlap the two periods.</summary>
    private sealed class DashboardSql
    {
        private readonly List<ZoneOffsets.Range> _ranges;
        private readonly DateTime _from;
        private readonly DateTime _to;
        private readonly DateTime _previousFrom;
        private readonly Granularity _granularity;

        public DashboardSql(TimeZoneInfo zone, DateTime nowUtc, DateTime from, DateTime to, DateTime previousFrom, Granularity granularity)
        {
            _ranges = ZoneOffsets.Ranges(zone, nowUtc).Where(r => r.ToUtc > previousFrom && r.FromUtc < to).ToList();
            _from = from;
            _to = to;
            _previousFrom = previousFrom;
            _granularity = granularity;
        }

        /// <summary>The bucket key ('yyyy-MM-dd' of the day, the Monday or the 1st) of a UTC column in the display zone.</summary>
        public string Bucket(string column)
        {
            var offset = new StringBuilder();
            if (_ranges.Count <= 1)
            {
                offset.Append("@zm0");
            }
            else
            {
                offset.Append("CASE");
                for (var i = _ranges.Count - 1; i > 0; i--)
                {
                    var n = i.ToString(CultureInfo.InvariantCulture);
                    offset.Append(CultureInfo.InvariantCulture, $" WHEN {column} >= @zf{n} THEN @zm{n}");
                }

                offset.Append(" ELSE @zm0 END");
            }

            var local = $"datetime({column}, ({offset}) || ' minutes')";
            return _granularity switch
            {
                Granularity.Month => $"strftime('%Y-%m-01', {local})",
                Granularity.Week => $"date({local}, '-' || ((CAST(strftime('%w', {local}) AS INTEGER) + 6) % 7) || ' days')",
                _ => $"date({local})",
            };
        }

        public List<SqliteParameter> Parameters()
        {
            var list = new List<SqliteParameter> { new("@from", _from), new("@to", _to), new("@pfrom", _previousFrom) };
            for (var i = 0; i < Math.Max(1, _ranges.Count); i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                if (i > 0)
                {
                    list.Add(new("@zf" + n, _ranges[i].FromUtc));
                }

                list.Add(new("@zm" + n, _ranges.Count == 0 ? 0 : _ranges[i].OffsetMinutes));
            }

            return list;
        }
    }

    internal sealed class KpiSqlRow
    {
        public long Cur { get; set; }
        public long Revenue { get; set; }
        public long Orders { get; set; }
        public long Active { get; set; }
        public long Repeaters { get; set; }
    }

    internal sealed class CustomerCountsSqlRow
    {
        public long CustomersNow { get; set; }
        public long CustomersBefore { get; set; }
        public long NewNow { get; set; }
        public long NewBefore { get; set; }
    }

    private sealed class BucketSqlRow
    {
        public string Bucket { get; set; } = string.Empty;
        public long Revenue { get; set; }
        public long Orders { get; set; }
    }

    private sealed class BreakdownSqlRow
    {
        public string? Key { get; set; }
        public long Revenue { get; set; }
        public long Orders { get; set; }
        public long Customers { get; set; }
    }

    private sealed class ProductSqlRow
    {
        public int ProductId { get; set; }
        public string Name { get; set; } = string.Empty;
        public string? Category { get; set; }
        public long Revenue { get; set; }
        public long Units { get; set; }
        public long Buyers { get; set; }
    }
}
