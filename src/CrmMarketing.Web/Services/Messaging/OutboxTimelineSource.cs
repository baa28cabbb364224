using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>Emails and SMS to the customer on their timeline, with their delivery state.</summary>
public sealed class OutboxTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var rows = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.CustomerId == customerId && (olderThan == null || m.CreatedAt < olderThan))
            .OrderByDescending(m => m.CreatedAt).Take(limit)
            .Select(m => new { m.CreatedAt, m.Channel, m.Subject, m.TextBody, m.State, m.LastError, m.CreatedBy, m.IsMarketing })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var parts = new List<string> { l["outbox-state:" + r.State] };
            if (r.State is OutboxState.Failed or OutboxState.Suppressed && !string.IsNullOrEmpty(r.LastError))
            {
                parts.Add(r.LastError);
            }

            var title = r.Channel == MessageChannel.Email
                ? l["Email: {0}", r.Subject ?? string.Empty]
                : l["SMS: {0}", Excerpt(r.TextBody)];
            return new TimelineEntry(r.CreatedAt, TimelineKinds.Message, title, string.Join(" · ", parts), Author: r.CreatedBy);
        }).ToList();
    }

    private static string Excerpt(string? text) =>
        text is null ? string.Empty : text.Length <= 60 ? text : text[..60] + "…";
}
