using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Communication;

/// <summary>Logged calls on the customer timeline: direction, outcome, duration, follow-up date and notes.</summary>
public sealed class CallTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l, DisplayFormatter formatter) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var rows = await db.CustomerCalls.AsNoTracking()
            .Where(c => c.CustomerId == customerId && (olderThan == null || c.CalledAt < olderThan))
            .OrderByDescending(c => c.CalledAt).Take(limit)
            .Select(c => new { c.CalledAt, c.Direction, c.Outcome, c.DurationSeconds, c.FollowUpOn, c.Notes, c.CreatedByName })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var parts = new List<string> { l["call-outcome:" + r.Outcome], FormatDuration(r.DurationSeconds) };
            if (r.FollowUpOn is { } followUp)
            {
                parts.Add(l["Follow up on {0}", formatter.Date(followUp)]);
            }

            if (!string.IsNullOrEmpty(r.Notes))
            {
                parts.Add(r.Notes);
            }

            return new TimelineEntry(
                r.CalledAt,
                TimelineKinds.Call,
                l["{0} call", l["call-direction:" + r.Direction]],
                string.Join(" · ", parts),
                Author: r.CreatedByName);
        }).ToList();
    }

    /// <summary>m:ss, or h:mm:ss from an hour on.</summary>
    public static string FormatDuration(int seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
    }
}
