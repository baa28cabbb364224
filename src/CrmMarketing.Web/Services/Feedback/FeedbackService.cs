using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Customers;
using CrmMarketing.Web.ViewModels.Feedback;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.Web.Services.Feedback;

/// <summary>Who is looking at or changing feedback, and what their role lets them do.</summary>
public sealed record FeedbackViewer(string? UserId, string Name, bool IsAdmin, bool IsMarketer)
{
    /// <summary>Admins and marketers see everyone's feedback; sales staff only their own.</summary>
    public bool SeesAll => IsAdmin || IsMarketer;

    public bool CanChangeStatus => IsAdmin || IsMarketer;

    public Actor ToActor() => new(UserId, Name);
}

public enum FeedbackOutcome
{
    Saved,
    NotFound,
    Forbidden,
    EditWindowClosed,
    UnknownCustomer,
    UnknownProduct,
}

public sealed record FeedbackSaveResult(FeedbackOutcome Outcome, int Id = 0, int CustomerId = 0);

public sealed class FeedbackService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, AuditService audit, FollowUpService followUps)
{
    /// <summary>How long the author of an entry may still correct it.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromHours(24);

    public static bool CanEdit(FeedbackViewer viewer, string? createdByUserId, DateTime createdAt, DateTime now) =>
        viewer.IsAdmin
        || (viewer.UserId is not null && viewer.UserId == createdByUserId && now - createdAt < EditWindow);

    /// <summary>The create page; <paramref name="customerId"/> preselects a customer when it exists.</summary>
    public async Task<FeedbackCreateViewModel> GetCreateAsync(FeedbackFormModel? form, int? customerId, CancellationToken ct)
    {
        form ??= new FeedbackFormModel { CustomerId = customerId };
        if (form.CustomerId is { } id)
        {
            // The name shown in the picker comes from the database, never from what the browser sent.
            var name = await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(c => c.Name).SingleOrDefaultAsync(ct);
            form.CustomerName = name;
            form.CustomerId = name is null ? null : id;
        }

        return new() { Form = form, Products = await GetProductsAsync(ct) };
    }

    public async Task<FeedbackQuickFormViewModel> GetQuickFormAsync(int customerId, CancellationToken ct) =>
        new(customerId, await GetProductsAsync(ct));

    public async Task<IReadOnlyList<ProductChoice>> GetProductsAsync(CancellationToken ct) =>
        await db.Products.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name).Take(500)
            .Select(p => new ProductChoice(p.Id, p.Name)).ToListAsync(ct);

    public async Task<FeedbackSaveResult> CreateAsync(FeedbackFormModel form, FeedbackViewer viewer, CancellationToken ct)
    {
        var customerId = form.CustomerId.GetValueOrDefault();
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            return new(FeedbackOutcome.UnknownCustomer);
        }

        if (form.ProductId is { } productId && !await db.Products.AnyAsync(p => p.Id == productId, ct))
        {
            return new(FeedbackOutcome.UnknownProduct);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = new FeedbackEntity
        {
            CustomerId = customerId,
            Status = FeedbackStatus.New,
            CreatedAt = now,
            CreatedByUserId = viewer.UserId,
            CreatedByName = viewer.Name,
        };
        Apply(entry, form, now);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Feedback.Add(entry);
        await db.SaveChangesAsync(ct);

        // The text may hold anything a customer said; the audit entry records only what was classified.
        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.Feedback, Key(entry.Id),
            [new("CustomerId", null, Key(customerId)), new("Score", null, Key(entry.Score)),
             new("Channel", null, entry.Channel.ToString()), new("Category", null, entry.Category.ToString())],
            ct, viewer.ToActor().ForAudit());
        await followUps.OpenIfLowAsync(entry, ct);
        await tx.CommitAsync(ct);
        return new(FeedbackOutcome.Saved, entry.Id, customerId);
    }

    /// <summary>The edit form, or the reason the viewer may not edit this entry.</summary>
    public async Task<(FeedbackOutcome Outcome, FeedbackEditViewModel? Model)> GetForEditAsync(int id, FeedbackViewer viewer, CancellationToken ct)
    {
        var row = await db.Feedback.AsNoTracking().Where(f => f.Id == id)
            .Select(f => new
            {
                f.CreatedByUserId,
                f.CreatedAt,
                f.SurveyId,
                Form = new FeedbackFormModel
                {
                    CustomerId = f.CustomerId,
                    CustomerName = db.Customers.Where(c => c.Id == f.CustomerId).Select(c => c.Name).FirstOrDefault(),
                    Score = f.Score,
                    Content = f.Content,
                    Channel = f.Channel,
                    Category = f.Category,
                    ProductId = f.ProductId,
                    Tags = f.Tags,
                },
            })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return (FeedbackOutcome.NotFound, null);
        }

        // A survey answer is the customer's own words and score: nobody rewrites it.
        var outcome = row.SurveyId is null ? EditOutcome(viewer, row.CreatedByUserId, row.CreatedAt) : FeedbackOutcome.Forbidden;
        return outcome != FeedbackOutcome.Saved
            ? (outcome, null)
            : (outcome, new FeedbackEditViewModel { Id = id, Form = row.Form, Products = await GetProductsAsync(ct) });
    }

    public async Task<FeedbackSaveResult> UpdateAsync(int id, FeedbackFormModel form, FeedbackViewer viewer, CancellationToken ct)
    {
        var entry = await db.Feedback.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (entry is null)
        {
            return new(FeedbackOutcome.NotFound);
        }

        var outcome = entry.SurveyId is null ? EditOutcome(viewer, entry.CreatedByUserId, entry.CreatedAt) : FeedbackOutcome.Forbidden;
        if (outcome != FeedbackOutcome.Saved)
        {
            return new(outcome);
        }

        if (form.ProductId is { } productId && !await db.Products.AnyAsync(p => p.Id == productId, ct))
        {
            return new(FeedbackOutcome.UnknownProduct);
        }

        // The customer stays: feedback logged against the wrong person is a new entry, not a move.
        var before = Snapshot(entry);
        Apply(entry, form, time.GetUtcNow().UtcDateTime);
        var changes = Diff(before, Snapshot(entry));

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (changes.Count > 0)
        {
            await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.Feedback, Key(id), changes, ct, viewer.ToActor().ForAudit());
        }

        await tx.CommitAsync(ct);
        return new(FeedbackOutcome.Saved, id, entry.CustomerId);
    }

    public async Task<FeedbackSaveResult> SetStatusAsync(int id, FeedbackStatus status, FeedbackViewer viewer, CancellationToken ct)
    {
        if (!viewer.CanChangeStatus)
        {
            return new(FeedbackOutcome.Forbidden);
        }

        var entry = await db.Feedback.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (entry is null)
        {
            return new(FeedbackOutcome.NotFound);
        }

        if (entry.Status == status)
        {
            return new(FeedbackOutcome.Saved, id, entry.CustomerId);
        }

        var old = entry.Status;
        entry.Status = status;
        entry.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.Feedback, Key(id),
            [new("Status", old.ToString(), status.ToString())], ct, viewer.ToActor().ForAudit());
        await tx.CommitAsync(ct);
        return new(FeedbackOutcome.Saved, id, entry.CustomerId);
    }

    public async Task<FeedbackListViewModel> ListAsync(FeedbackListQuery query, FeedbackViewer viewer, CancellationToken ct)
    {
        var filtered = ApplyFilters(Scope(db.Feedback.AsNoTracking(), viewer), query, viewer);
        var total = await filtered.CountAsync(ct);
        var page = filtered.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id)
            .Skip((query.Page - 1) * FeedbackListQuery.PageSize).Take(FeedbackListQuery.PageSize);
        var rows = await ProjectRows(page, viewer, ct);

        IReadOnlyList<StaffOption> staff = [];
        if (viewer.SeesAll)
        {
            var authors = await db.Feedback.AsNoTracking().Where(f => f.CreatedByUserId != null)
                .GroupBy(f => f.CreatedByUserId!)
                .Select(g => new { UserId = g.Key, Name = g.Max(f => f.CreatedByName) })
                .Take(500).ToListAsync(ct);
            staff = authors.Select(a => new StaffOption(a.UserId, a.Name ?? a.UserId))
                .OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        }

        return new FeedbackListViewModel
        {
            Query = query,
            Rows = rows,
            TotalCount = total,
            Products = await GetProductsAsync(ct),
            Staff = staff,
        };
    }

    /// <summary>Sales staff only ever see their own entries, whatever the query asks.</summary>
    internal static IQueryable<FeedbackEntity> Scope(IQueryable<FeedbackEntity> feedback, FeedbackViewer viewer) =>
        viewer.SeesAll ? feedback : feedback.Where(f => f.CreatedByUserId != null && f.CreatedByUserId == viewer.UserId);

    internal IQueryable<FeedbackEntity> ApplyFilters(IQueryable<FeedbackEntity> feedback, FeedbackListQuery query, FeedbackViewer viewer)
    {
        if (query.Score is { } score)
        {
            feedback = feedback.Where(f => f.Score == score);
        }

        if (query.Scale is { } scale)
        {
            feedback = feedback.Where(f => f.Scale == scale);
        }

        if (query.SurveyId is { } surveyId)
        {
            feedback = feedback.Where(f => f.SurveyId == surveyId);
        }

        if (query.Channel is { } channel)
        {
            feedback = feedback.Where(f => f.Channel == channel);
        }

        if (query.Category is { } category)
        {
            feedback = feedback.Where(f => f.Category == category);
        }

        if (query.Status is { } status)
        {
            feedback = feedback.Where(f => f.Status == status);
        }

        if (query.ProductId is { } productId)
        {
            feedback = feedback.Where(f => f.ProductId == productId);
        }

        if (query.From is { } from)
        {
            var since = formatter.StartOfDayUtc(from);
            feedback = feedback.Where(f => f.CreatedAt >= since);
        }

        if (query.To is { } to)
        {
            var until = formatter.EndOfDayUtc(to);
            feedback = feedback.Where(f => f.CreatedAt < until);
        }

        if (viewer.SeesAll && !string.IsNullOrWhiteSpace(query.Staff))
        {
            var staff = query.Staff.Trim();
            feedback = feedback.Where(f => f.CreatedByUserId == staff);
        }

        var term = query.Q?.Trim();
        if (!string.IsNullOrEmpty(term))
        {
            var pattern = "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            feedback = feedback.Where(f => EF.Functions.Like(f.Content, pattern, "\\"));
        }

        return feedback;
    }

    internal async Task<IReadOnlyList<FeedbackRowViewModel>> ProjectRows(IQueryable<FeedbackEntity> page, FeedbackViewer viewer, CancellationToken ct)
    {
        var rows = await page
            .Select(f => new
            {
                f.Id,
                f.CustomerId,
                CustomerName = db.Customers.Where(c => c.Id == f.CustomerId).Select(c => c.Name).FirstOrDefault(),
                f.Score,
                f.Content,
                f.Channel,
                f.Category,
                ProductName = db.Products.Where(p => p.Id == f.ProductId).Select(p => p.Name).FirstOrDefault(),
                f.Status,
                f.Tags,
                f.CreatedAt,
                f.CreatedByUserId,
                f.CreatedByName,
                f.Scale,
                f.ExtraAnswer,
                f.SurveyId,
            })
            .ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        return rows.Select(r => new FeedbackRowViewModel(
            r.Id, r.CustomerId, r.CustomerName ?? string.Empty, r.Score, r.Content, r.Channel, r.Category, r.ProductName,
            r.Status, r.Tags, r.CreatedAt, r.CreatedByName,
            r.SurveyId is null && CanEdit(viewer, r.CreatedByUserId, r.CreatedAt, now), viewer.CanChangeStatus, r.Scale, r.ExtraAnswer)).ToList();
    }

    private FeedbackOutcome EditOutcome(FeedbackViewer viewer, string? createdByUserId, DateTime createdAt)
    {
        if (CanEdit(viewer, createdByUserId, createdAt, time.GetUtcNow().UtcDateTime))
        {
            return FeedbackOutcome.Saved;
        }

        return viewer.UserId is not null && viewer.UserId == createdByUserId ? FeedbackOutcome.EditWindowClosed : FeedbackOutcome.Forbidden;
    }

    private static void Apply(FeedbackEntity entry, FeedbackFormModel form, DateTime now)
    {
        entry.Score = form.Score.GetValueOrDefault();
        entry.Content = form.Content.Trim();
        entry.Channel = form.Channel;
        entry.Category = form.Category;
        entry.ProductId = form.ProductId;
        entry.Tags = NormalizeTags(form.Tags);
        entry.UpdatedAt = now;
    }

    public static string? NormalizeTags(string? tags)
    {
        if (string.IsNullOrWhiteSpace(tags))
        {
            return null;
        }

        var list = tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : string.Join(",", list);
    }

    private static Dictionary<string, string?> Snapshot(FeedbackEntity f) => new(StringComparer.Ordinal)
    {
        ["Score"] = Key(f.Score),
        ["Channel"] = f.Channel.ToString(),
        ["Category"] = f.Category.ToString(),
        ["ProductId"] = f.ProductId is { } p ? Key(p) : null,
        ["Tags"] = f.Tags,
        ["ContentLength"] = Key(f.Content.Length),
    };

    private static List<AuditChange> Diff(Dictionary<string, string?> before, Dictionary<string, string?> after) =>
        before.Where(kv => !string.Equals(kv.Value, after[kv.Key], StringComparison.Ordinal))
            .Select(kv => new AuditChange(kv.Key, kv.Value, after[kv.Key])).ToList();

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);
}

public sealed class FeedbackTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var rows = await db.Feedback.AsNoTracking()
            .Where(f => f.CustomerId == customerId && (olderThan == null || f.CreatedAt < olderThan))
            .OrderByDescending(f => f.CreatedAt).Take(limit)
            .Select(f => new { f.CreatedAt, f.Score, f.Scale, f.Content, f.Channel, f.Category, f.CreatedByName })
            .ToListAsync(ct);
        return rows.Select(r => new TimelineEntry(
            r.CreatedAt,
            TimelineKinds.Feedback,
            r.Scale == ScoreScale.Nps
                ? l["Survey NPS {0}/10 · {1}", r.Score, FeedbackLabels.Category(l, r.Category)]
                : l["Feedback {0}/5 · {1} · {2}", r.Score, FeedbackLabels.Category(l, r.Category), FeedbackLabels.Channel(l, r.Channel)],
            r.Content,
            Author: r.CreatedByName)).ToList();
    }
}
