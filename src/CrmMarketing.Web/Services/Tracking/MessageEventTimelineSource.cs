using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Tracking;

/// <summary>Opens, clicks and unsubscribes of the customer's messages on their timeline. The messages themselves
/// (queued, sent, failed) come from the outbox's own timeline source.</summary>
public sealed class MessageEventTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l) : ITimelineSource
{
    public const string Kind = "message-event";

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var rows = await db.MessageEvents.AsNoTracking()
            .Join(db.OutboxMessages, e => e.OutboxMessageId, m => m.Id, (e, m) => new { e, m.CustomerId, m.Channel, m.Subject })
            .Where(x => x.CustomerId == customerId && (olderThan == null || x.e.OccurredAt < olderThan))
            .OrderByDescending(x => x.e.OccurredAt).Take(limit)
            .Select(x => new { x.e.OccurredAt, x.e.Type, x.e.Url, x.e.IsSuspectedBot, x.Channel, x.Subject })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var title = r.Type switch
            {
                MessageEventType.Open => l["Email opened"],
                MessageEventType.Click => l["Link clicked"],
                _ => r.Channel == MessageChannel.Email ? l["Unsubscribed from emails"] : l["Unsubscribed from SMS"],
            };
            var parts = new List<string>();
            if (!string.IsNullOrEmpty(r.Subject))
            {
                parts.Add(r.Subject);
            }

            if (r.Url is not null)
            {
                parts.Add(r.Url);
            }

            if (r.IsSuspectedBot)
            {
                parts.Add(l["suspected link scanner, not counted"]);
            }

            return new TimelineEntry(r.OccurredAt, Kind, title, string.Join(" · ", parts));
        }).ToList();
    }
}
