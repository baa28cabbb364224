using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Analytics;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>Customer statistics grouped by one dimension; every figure is a GROUP BY in the database.</summary>
public sealed class GroupStatsService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, IStringLocalizer<SharedResource> l)
{
    public const int MaxGroups = 500;

    private const string UnknownKey = "";

    private static readonly string[] AgeBands = ["<25", "25-34", "35-44", "45-54", "55-64", "65+", UnknownKey];

    public async Task<GroupsViewModel> GetAsync(GroupsQuery query, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(formatter.ToLocal(now));
        var parameters = new List<SqliteParameter> { new("@now", now) };
        for (var age = 25; age <= 65; age += 10)
        {
            // Younger than `age` ⟺ born after today minus `age` years.
            parameters.Add(new("@born" + age.ToString(CultureInfo.InvariantCulture), today.AddYears(-age)));
        }

        string revenue = "c.TotalSpent", orders = "c.OrderCount", range = string.Empty;
        if (query.HasRange)
        {
            parameters.Add(new("@from", query.From is { } f ? formatter.StartOfDayUtc(f) : DateTime.MinValue));
            parameters.Add(new("@to", query.To is { } t ? formatter.EndOfDayUtc(t) : DateTime.MaxValue));
            range = """
                JOIN (SELECT CustomerId, SUM(Total) AS Revenue, SUM(CASE WHEN Total >= 0 THEN 1 ELSE 0 END) AS Orders
                      FROM Purchases WHERE PurchasedAt >= @from AND PurchasedAt < @to GROUP BY CustomerId) AS p ON p.CustomerId = c.Id
                """;
            revenue = "p.Revenue";
            orders = "p.Orders";
        }

        var member = string.Empty;
        if (query.Segment is { } segment)
        {
            parameters.Add(new("@segment", segment));
            member = " AND EXISTS (SELECT 1 FROM SegmentMembers AS sm WHERE sm.SegmentId = @segment AND sm.CustomerId = c.Id)";
        }

        var (key, join) = KeySql(query.Dimension);
        var sql = $"""
            SELECT {key} AS "Key", COUNT(*) AS Customers, COALESCE(SUM({revenue}), 0) AS Revenue, COALESCE(SUM({orders}), 0) AS Orders,
                SUM(julianday(@now) - julianday(c.LastPurchaseAt)) AS DaysSum, COUNT(c.LastPurchaseAt) AS DaysCount
            FROM Customers AS c {range} {join}
            WHERE c.IsArchived = 0{member}
            GROUP BY 1
            ORDER BY Customers DESC, 1
            LIMIT {MaxGroups + 1}
            """;
        var rows = await db.Database.SqlQueryRaw<GroupSqlRow>(sql, [.. parameters]).ToListAsync(ct);
        // Both statements are fixed text per dimension and range; every value is a parameter.
        var totalSql = "SELECT COUNT(*) AS Value FROM Customers AS c " + range + " WHERE c.IsArchived = 0" + member;
        var total = await db.Database.SqlQueryRaw<int>(totalSql, [.. Clone(parameters)]).SingleAsync(ct);

        var truncated = rows.Count > MaxGroups;
        var result = rows.Take(MaxGroups).Select(r =>
        {
            var revenueValue = Money.FromStored(r.Revenue);
            return new GroupRow(
                string.IsNullOrEmpty(r.Key) ? null : r.Key,
                Label(query.Dimension, r.Key),
                r.Customers,
                total == 0 ? 0 : (decimal)r.Customers / total,
                revenueValue,
                r.Orders,
                r.Orders == 0 ? null : decimal.Round(revenueValue / r.Orders, 2),
                r.DaysCount == 0 || r.DaysSum is null ? null : decimal.Round((decimal)(r.DaysSum.Value / r.DaysCount), 1),
                WithSegment(Filter(query.Dimension, r.Key), query.Segment));
        });

        return new GroupsViewModel
        {
            Query = query,
            Rows = Order(query.Dimension, result).ToList(),
            TotalCustomers = total,
            Truncated = truncated,
            Segments = await db.Segments.AsNoTracking().OrderBy(s => s.Name)
                .Select(s => new KeyValuePair<int, string>(s.Id, s.Name)).ToListAsync(ct),
        };
    }

    /// <summary>The table as CSV: UTF-8 with BOM, text cells neutralised against formula injection.</summary>
    public async Task<byte[]> ExportCsvAsync(GroupsQuery query, CancellationToken ct)
    {
        var vm = await GetAsync(query, ct);
        var csv = new StringBuilder();
        CsvText.AppendLine(csv, new[]
        {
            DimensionName(l, query.Dimension), l["Customers"], l["Share %"], l["Revenue"], l["Orders"],
            l["Average order value"], l["Average days since last purchase"],
        }.Select(h => CsvText.Text(h)));
        foreach (var r in vm.Rows)
        {
            CsvText.AppendLine(csv,
            [
                CsvText.Text(r.Label), CsvText.Number(r.Customers), CsvText.Number(decimal.Round(r.Share * 100, 2)),
                CsvText.Number(r.Revenue), CsvText.Number(r.Orders), CsvText.Number(r.AverageOrderValue),
                CsvText.Number(r.AverageDaysSinceLastPurchase),
            ]);
        }

        return [.. CsvText.Encoding.GetPreamble(), .. CsvText.Encoding.GetBytes(csv.ToString())];
    }

    public static string DimensionName(IStringLocalizer l, GroupDimension dimension) => dimension switch
    {
        GroupDimension.City => l["City"],
        GroupDimension.Region => l["Region"],
        GroupDimension.Country => l["Country"],
        GroupDimension.Gender => l["Gender"],
        GroupDimension.AgeBand => l["Age band"],
        GroupDimension.Source => l["Source"],
        GroupDimension.Tag => l["Tag"],
        GroupDimension.FirstPurchaseMonth => l["First purchase month"],
        GroupDimension.RfmSegment => l["RFM segment"],
        GroupDimension.EmailConsent => l["Email consent"],
        _ => dimension.ToString(),
    };

    /// <summary>The SQL of the grouping key; fixed text per dimension, never user input.</summary>
    private static (string Key, string Join) KeySql(GroupDimension dimension) => dimension switch
    {
        GroupDimension.City => ("c.City", string.Empty),
        GroupDimension.Region => ("c.Region", string.Empty),
        GroupDimension.Country => ("c.Country", string.Empty),
        GroupDimension.Source => ("c.Source", string.Empty),
        GroupDimension.Gender => ("CAST(c.Gender AS TEXT)", string.Empty),
        GroupDimension.EmailConsent => ("CAST(c.EmailConsent AS TEXT)", string.Empty),
        GroupDimension.FirstPurchaseMonth => ("strftime('%Y-%m', c.FirstPurchaseAt)", string.Empty),
        GroupDimension.Tag => ("t.Tag", "LEFT JOIN CustomerTags AS t ON t.CustomerId = c.Id"),
        GroupDimension.RfmSegment => ("CAST(r.Segment AS TEXT)", "LEFT JOIN CustomerRfm AS r ON r.CustomerId = c.Id"),
        GroupDimension.AgeBand => ("""
            CASE WHEN c.BirthDate IS NULL THEN '' WHEN c.BirthDate > @born25 THEN '<25' WHEN c.BirthDate > @born35 THEN '25-34'
                 WHEN c.BirthDate > @born45 THEN '35-44' WHEN c.BirthDate > @born55 THEN '45-54' WHEN c.BirthDate > @born65 THEN '55-64'
                 ELSE '65+' END
            """, string.Empty),
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
    };

    private string Label(GroupDimension dimension, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return dimension == GroupDimension.RfmSegment ? l["Not scored"] : l["Unknown"];
        }

        return dimension switch
        {
            GroupDimension.Gender when int.TryParse(key, CultureInfo.InvariantCulture, out var g) => l["gender:" + (Gender)g],
            GroupDimension.EmailConsent when int.TryParse(key, CultureInfo.InvariantCulture, out var c) => l["consent:" + (ConsentState)c],
            GroupDimension.RfmSegment when int.TryParse(key, CultureInfo.InvariantCulture, out var s) => RfmSegmentNames.Name(l, (RfmSegment)s),
            GroupDimension.AgeBand when key == "<25" => l["Under 25"],
            GroupDimension.AgeBand when key == "65+" => l["65 and over"],
            _ => key,
        };
    }

    /// <summary>Query values of the customer list that select exactly this group; null when the list has no such filter.</summary>
    private static Dictionary<string, string>? Filter(GroupDimension dimension, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        return dimension switch
        {
            GroupDimension.City => new() { ["city"] = key },
            GroupDimension.Region => new() { ["region"] = key },
            GroupDimension.Country => new() { ["country"] = key },
            GroupDimension.Source => new() { ["source"] = key },
            GroupDimension.Tag => new() { ["tag"] = key },
            GroupDimension.RfmSegment when int.TryParse(key, CultureInfo.InvariantCulture, out var s) => new() { ["rfm"] = ((RfmSegment)s).ToString() },
            GroupDimension.EmailConsent when key == ((int)ConsentState.OptedIn).ToString(CultureInfo.InvariantCulture) =>
                new() { ["consent"] = nameof(ConsentFilter.EmailOptedIn) },
            _ => null,
        };
    }

    /// <summary>A drill-down from a segment's statistics stays within the segment.</summary>
    private static Dictionary<string, string>? WithSegment(Dictionary<string, string>? filter, int? segment)
    {
        if (filter is not null && segment is { } id)
        {
            filter["segment"] = id.ToString(CultureInfo.InvariantCulture);
        }

        return filter;
    }

    /// <summary>Ordinal dimensions keep their natural order; the others stay largest first.</summary>
    private static IEnumerable<GroupRow> Order(GroupDimension dimension, IEnumerable<GroupRow> rows) => dimension switch
    {
        GroupDimension.AgeBand => rows.OrderBy(r => Array.IndexOf(AgeBands, r.Key ?? UnknownKey)),
        GroupDimension.FirstPurchaseMonth => rows.OrderBy(r => r.Key is null).ThenBy(r => r.Key, StringComparer.Ordinal),
        GroupDimension.Gender or GroupDimension.EmailConsent or GroupDimension.RfmSegment =>
            rows.OrderBy(r => r.Key is null).ThenBy(r => int.Parse(r.Key ?? "0", CultureInfo.InvariantCulture)),
        _ => rows,
    };

    private static IEnumerable<SqliteParameter> Clone(IEnumerable<SqliteParameter> parameters) =>
        parameters.Select(p => new SqliteParameter(p.ParameterName, p.Value));

    /// <summary>The raw result of the grouping query; money in stored ten-thousandths.</summary>
    private sealed class GroupSqlRow
    {
        public string? Key { get; set; }
        public int Customers { get; set; }
        public long Revenue { get; set; }
        public long Orders { get; set; }
        public double? DaysSum { get; set; }
        public int DaysCount { get; set; }
    }
}
