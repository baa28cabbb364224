using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.CampaignMetrics;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Campaigns;

/// <summary>The metrics page of an activity and the comparison report across activities, with ROI by channel and
/// type and its CSV download.</summary>
public sealed class CampaignReportService(
    CrmDbContext db,
    CampaignMetricsService metrics,
    TimeProvider time,
    DisplayFormatter formatter,
    AuditService audit,
    IStringLocalizer<SharedResource> l)
{
    /// <summary>The report computes each activity's metrics; beyond this many activities the newest are shown.</summary>
    public const int MaxActivities = 200;

    public async Task<ActivityMetricsViewModel?> GetMetricsPageAsync(int id, AttributionModel? model, CancellationToken ct)
    {
        var m = await metrics.ComputeAsync(id, ct);
        if (m is null)
        {
            return null;
        }

        return new ActivityMetricsViewModel
        {
            Metrics = m,
            Model = model ?? m.DefaultModel,
            Funnel = Funnel(m),
            Days = FillDays(m),
        };
    }

    /// <summary>Message activities: sent → delivered → opened → clicked → converted; activities with a contacted
    /// audience but no messages (phone): audience → contacted → converted; others: reach (if entered) → converted.
    /// Every step of a recipient audience links to the customer list filtered on exactly the customers it counts
    /// (<see cref="ActivityReach"/>); the reach entered by hand and coupon-only conversions have no such list.</summary>
    internal static IReadOnlyList<FunnelStep> Funnel(ActivityMetrics m)
    {
        IReadOnlyDictionary<string, string> Customers(ActivityReach reached) => new Dictionary<string, string>
        {
            ["activity"] = m.ActivityId.ToString(CultureInfo.InvariantCulture),
            ["reached"] = reached.ToString().ToLowerInvariant(),
        };

        if (m.Sent > 0)
        {
            return
            [
                new("sent", m.Sent, Customers(ActivityReach.Sent)),
                new("delivered", m.Delivered, Customers(ActivityReach.Delivered)),
                new("opened", m.UniqueOpens, Customers(ActivityReach.Opened)),
                new("clicked", m.UniqueClicks, Customers(ActivityReach.Clicked)),
                new("converted", m.ContactConverters, Customers(ActivityReach.Converted)),
            ];
        }

        if (m.Audience > 0)
        {
            return
            [
                new("audience", m.Audience, Customers(ActivityReach.Audience)),
                new("contacted", m.Contacted, Customers(ActivityReach.Contacted)),
                new("converted", m.ContactConverters, Customers(ActivityReach.Converted)),
            ];
        }

        return m.Reach is { } reach ? [new("reach", reach), new("converted", m.Converters)] : [new("converted", m.Converters)];
    }

    /// <summary>The daily series without gaps, from the earlier of launch/start and the first conversion up to the
    /// last conversion or today (at most a year of days).</summary>
    private List<MetricsDay> FillDays(ActivityMetrics m)
    {
        if (m.Days.Count == 0)
        {
            return [];
        }

        var today = DateOnly.FromDateTime(formatter.ToLocal(time.GetUtcNow().UtcDateTime));
        var launch = m.LaunchedAt is { } at ? DateOnly.FromDateTime(formatter.ToLocal(at)) : m.StartDate;
        var first = m.Days[0].Day < launch ? m.Days[0].Day : launch;
        var last = m.Days[^1].Day;
        var windowEnd = launch.AddDays(m.WindowDays);
        if (windowEnd > last)
        {
            last = windowEnd < today ? windowEnd : (today > last ? today : last);
        }

        if (last.DayNumber - first.DayNumber > 366)
        {
            first = last.AddDays(-366);
        }

        var byDay = m.Days.ToDictionary(d => d.Day);
        var days = new List<MetricsDay>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            days.Add(byDay.GetValueOrDefault(d) ?? new MetricsDay(d, 0, 0, 0m, 0m, 0m));
        }

        return days;
    }

    public async Task<CampaignReportViewModel> GetReportAsync(CampaignReportQuery query, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(formatter.ToLocal(time.GetUtcNow().UtcDateTime));
        var to = query.To ?? today;
        var from = query.From ?? to.AddDays(-364);
        var model = query.Model ?? AttributionModel.LastTouch;

        var overlapping = db.MarketingActivities.AsNoTracking().Where(a => a.StartDate <= to && a.EndDate >= from);
        var total = await overlapping.CountAsync(ct);
        var ids = await overlapping
            .OrderByDescending(a => a.StartDate).ThenByDescending(a => a.Id)
            .Take(MaxActivities)
            .Select(a => a.Id)
            .ToListAsync(ct);

        var rows = new List<ReportRow>(ids.Count);
        foreach (var id in ids)
        {
            if (await metrics.ComputeAsync(id, ct) is { } m)
            {
                var attributed = m.Attributed(model);
                rows.Add(new ReportRow(m.ActivityId, m.Name, m.Type, m.Channel, m.Status, m.StartDate, m.EndDate,
                    m.Audience, m.Sent, m.OpenRate, m.ClickThroughRate, m.Converters, attributed.Revenue, m.Cost, m.Roi(model), m.Uplift));
            }
        }

        return new CampaignReportViewModel
        {
            From = from,
            To = to,
            Model = model,
            Sort = query.Sort,
            Desc = query.Desc,
            Rows = Sorted(rows, query.Sort, query.Desc),
            Truncated = total > ids.Count,
            ByChannel = Group(rows, r => r.Channel?.Trim() ?? string.Empty),
            ByType = Group(rows, r => r.Type.ToString()),
        };
    }

    internal static List<ReportRow> Sorted(IEnumerable<ReportRow> rows, ReportSort sort, bool desc)
    {
        // Undefined values (no cost, no holdout …) sort last in either direction.
        IOrderedEnumerable<ReportRow> By<T>(Func<ReportRow, T?> key) where T : struct =>
            desc
                ? rows.OrderBy(r => key(r) is null).ThenByDescending(key)
                : rows.OrderBy(r => key(r) is null).ThenBy(key);
        var ordered = sort switch
        {
            ReportSort.Name => desc ? rows.OrderByDescending(r => r.Name, StringComparer.CurrentCulture) : rows.OrderBy(r => r.Name, StringComparer.CurrentCulture),
            ReportSort.Audience => By(r => (int?)r.Audience),
            ReportSort.Sent => By(r => (int?)r.Sent),
            ReportSort.OpenRate => By(r => r.OpenRate),
            ReportSort.ClickThroughRate => By(r => r.ClickThroughRate),
            ReportSort.Conversions => By(r => (int?)r.Conversions),
            ReportSort.Revenue => By(r => (decimal?)r.Revenue),
            ReportSort.Cost => By(r => (decimal?)r.Cost),
            ReportSort.Roi => By(r => r.Roi),
            ReportSort.Uplift => By(r => r.Uplift?.Difference),
            _ => By(r => (int?)r.StartDate.DayNumber),
        };
        return ordered.ThenBy(r => r.Id).ToList();
    }

    private static List<ReportGroup> Group(IEnumerable<ReportRow> rows, Func<ReportRow, string> key) =>
        rows.GroupBy(key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new ReportGroup(g.Key, g.Count(), g.Sum(r => r.Conversions), g.Sum(r => r.Revenue), g.Sum(r => r.Cost)))
            .OrderByDescending(g => g.Revenue - g.Cost).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

    public string ReportFileName(CampaignReportViewModel report) =>
        "campaign-report-" + report.From.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-"
        + report.To.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".csv";

    /// <summary>The report as CSV (UTF-8 with BOM); activity names and channels are neutralised so that a spreadsheet
    /// cannot run them as formulas. The download is recorded in the audit log.</summary>
    public async Task<(byte[] Content, string FileName)> ExportCsvAsync(CampaignReportQuery query, CancellationToken ct)
    {
        var report = await GetReportAsync(query, ct);
        var csv = new StringBuilder();
        CsvText.AppendLine(csv, new[]
        {
            l["Activity"], l["Type"], l["Channel or platform"], l["Status"], l["Start"], l["End"], l["Audience"], l["Messages sent"],
            l["Open rate"], l["CTR"], l["Conversions"], l["Attributed revenue"], l["Cost"], l["ROI"],
            l["Uplift (percentage points)"], l["95% interval low"], l["95% interval high"], l["Incremental revenue"],
        }.Select(h => CsvText.Text(h)));
        static string Ratio(double? value) => value is { } v ? CsvText.Number(decimal.Round((decimal)v, 6)) : string.Empty;
        static string Points(double? value) => value is { } v ? CsvText.Number(decimal.Round((decimal)(v * 100), 4)) : string.Empty;
        foreach (var r in report.Rows)
        {
            CsvText.AppendLine(csv,
            [
                CsvText.Text(r.Name), CsvText.Text(CampaignLabels.Type(l, r.Type)), CsvText.Text(r.Channel), CsvText.Text(CampaignLabels.Status(l, r.Status)),
                r.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                CsvText.Number(r.Audience), CsvText.Number(r.Sent), Ratio(r.OpenRate), Ratio(r.ClickThroughRate), CsvText.Number(r.Conversions),
                CsvText.Number(r.Revenue), CsvText.Number(r.Cost), r.Roi is { } roi ? CsvText.Number(decimal.Round(roi, 6)) : string.Empty,
                Points(r.Uplift?.Difference), Points(r.Uplift?.Low), Points(r.Uplift?.High), CsvText.Number(r.Uplift?.IncrementalRevenue),
            ]);
        }

        await audit.RecordAsync(AuditActions.Export, AuditEntityTypes.MarketingActivity, null,
        [
            new("Report", null, "campaign-comparison"),
            new("Rows", null, report.Rows.Count.ToString(CultureInfo.InvariantCulture)),
            new("Range", null, report.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".." + report.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ], ct);
        return ([.. CsvText.Encoding.GetPreamble(), .. CsvText.Encoding.GetBytes(csv.ToString())], ReportFileName(report));
    }
}
