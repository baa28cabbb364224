using CrmMarketing.Web.Data;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Customers;

/// <summary>One kind of thing that appears on a customer's timeline. A new area (messages, calls, feedback)
/// registers its own source; the timeline merges them without knowing their tables.</summary>
public interface ITimelineSource
{
    /// <summary>The newest <paramref name="limit"/> entries strictly older than <paramref name="olderThan"/> (UTC), newest first.</summary>
    Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct);
}

public sealed class TimelineService(IEnumerable<ITimelineSource> sources)
{
    public const int PageSize = 30;

    public async Task<TimelineViewModel> GetAsync(int customerId, DateTime? olderThan, CancellationToken ct)
    {
        var merged = new List<TimelineEntry>();
        // Sources share one DbContext, so they run one after another.
        foreach (var source in sources)
        {
            merged.AddRange(await source.GetAsync(customerId, olderThan, PageSize, ct));
        }

        var page = merged.OrderByDescending(e => e.At).Take(PageSize).ToList();
        return new TimelineViewModel(page, merged.Count > PageSize ? page[^1].At : null);
    }
}

public sealed class PurchaseTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var rows = await db.Purchases.AsNoTracking()
            .Where(p => p.CustomerId == customerId && (olderThan == null || p.PurchasedAt < olderThan))
            .OrderByDescending(p => p.PurchasedAt).Take(limit)
            .Select(p => new { p.PurchasedAt, p.OrderNumber, p.Total, p.Channel, Lines = p.Lines.Count })
            .ToListAsync(ct);
        return rows.Select(r => new TimelineEntry(
            r.PurchasedAt,
            TimelineKinds.Purchase,
            r.Total < 0 ? l["Return {0}", r.OrderNumber] : l["Purchase {0}", r.OrderNumber],
            l["{0} lines · {1}", r.Lines, l[r.Channel.ToString()]],
            r.Total)).ToList();
    }
}

public sealed class EventTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var rows = await db.CustomerEvents.AsNoTracking()
            .Where(e => e.CustomerId == customerId && (olderThan == null || e.OccurredAt < olderThan))
            .OrderByDescending(e => e.OccurredAt).Take(limit)
            .Select(e => new { e.OccurredAt, e.Type, e.Source, e.PropertiesJson })
            .ToListAsync(ct);
        return rows.Select(r => new TimelineEntry(
            r.OccurredAt,
            TimelineKinds.Event,
            l["event:" + r.Type].ResourceNotFound ? r.Type : l["event:" + r.Type],
            string.Join(" · ", new[] { r.Source, r.PropertiesJson }.Where(s => !string.IsNullOrEmpty(s))))).ToList();
    }
}

public sealed class NoteTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var rows = await db.CustomerNotes.AsNoTracking()
            .Where(n => n.CustomerId == customerId && (olderThan == null || n.CreatedAt < olderThan))
            .OrderByDescending(n => n.CreatedAt).Take(limit)
            .Select(n => new { n.CreatedAt, n.Body, n.CreatedByName })
            .ToListAsync(ct);
        return rows.Select(r => new TimelineEntry(r.CreatedAt, TimelineKinds.Note, l["Note"], r.Body, Author: r.CreatedByName)).ToList();
    }
}
