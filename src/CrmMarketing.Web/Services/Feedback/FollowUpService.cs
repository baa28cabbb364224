using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using CrmMarketing.Web.ViewModels.FollowUps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.Web.Services.Feedback;

public enum FollowUpOutcome
{
    Saved,
    NotFound,
    Forbidden,
    AlreadyDone,
    UnknownUser,
}

/// <summary>The closed loop: a low score opens a task for the customer's owner (or the configured default
/// user); "My follow-ups" lists them; resolving one records what was done on the customer's timeline.</summary>
public sealed partial class FollowUpService(
    CrmDbContext db, TimeProvider time, IOptions<FeedbackOptions> options, AuditService audit,
    FollowUpMailer mailer, ILogger<FollowUpService> logger)
{
    private FeedbackOptions Options => options.Value;

    /// <summary>Opens a task when <paramref name="entry"/> (already saved and tracked by this context) has a low
    /// score. Runs inside the caller's transaction so the feedback and its task are written together.</summary>
    public async Task<FollowUpTask?> OpenIfLowAsync(FeedbackEntity entry, CancellationToken ct)
    {
        if (!Satisfaction.IsLow(entry.Scale, entry.Score, Options))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var assignee = await ResolveAssigneeAsync(entry.CustomerId, ct);
        var task = new FollowUpTask
        {
            CustomerId = entry.CustomerId,
            FeedbackId = entry.Id,
            AssigneeUserId = assignee,
            Reason = ReasonFor(entry),
            Status = FollowUpStatus.Open,
            CreatedAt = now,
            DueAt = now.AddDays(Options.FollowUpDueDays),
        };
        db.FollowUpTasks.Add(task);
        // The feedback (tracked by the caller's context) is handled by whoever follows it up.
        entry.AssigneeUserId = assignee;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.FollowUpTask, Key(task.Id),
            [new("FeedbackId", null, Key(entry.Id)), new("AssigneeUserId", null, assignee)], ct, new AuditActor(null, "system"));
        if (Options.EmailAssignee && assignee is not null)
        {
            await mailer.QueueAsync(task, ct);
            await db.SaveChangesAsync(ct);
        }

        LogOpened(logger, task.Id, entry.Id, assignee is not null);
        return task;
    }

    /// <summary>The customer's owner when that user still exists, else the configured default user, else nobody.</summary>
    private async Task<string?> ResolveAssigneeAsync(int customerId, CancellationToken ct)
    {
        var owner = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => c.OwnerUserId).SingleOrDefaultAsync(ct);
        if (owner is not null && await db.Users.AnyAsync(u => u.Id == owner, ct))
        {
            return owner;
        }

        if (string.IsNullOrWhiteSpace(Options.DefaultAssigneeEmail))
        {
            return null;
        }

        var normalized = Options.DefaultAssigneeEmail.Trim().ToUpperInvariant();
        return await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct);
    }

    private static string ReasonFor(FeedbackEntity entry)
    {
        var (_, max) = FeedbackEntity.Range(entry.Scale);
        var scale = entry.Scale == ScoreScale.Nps ? "NPS" : "CSAT";
        var source = entry.SurveyId is null ? "feedback" : "survey";
        return string.Create(CultureInfo.InvariantCulture, $"{scale} {entry.Score}/{max} ({source})");
    }

    public async Task<FollowUpListViewModel> ListAsync(FollowUpListQuery query, FeedbackViewer viewer, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var all = query.All && viewer.SeesAll;
        var tasks = db.FollowUpTasks.AsNoTracking().Where(t => t.Status == query.Status);
        if (!all)
        {
            tasks = tasks.Where(t => t.AssigneeUserId == viewer.UserId);
        }

        var ordered = query.Status == FollowUpStatus.Open
            ? tasks.OrderBy(t => t.DueAt).ThenBy(t => t.Id)
            : tasks.OrderByDescending(t => t.ResolvedAt).ThenByDescending(t => t.Id);
        var rows = await ordered.Take(200)
            .Select(t => new
            {
                t.Id,
                t.CustomerId,
                Customer = db.Customers.Where(c => c.Id == t.CustomerId).Select(c => new { c.Name, c.Phone }).FirstOrDefault(),
                t.Reason,
                Comment = db.Feedback.Where(f => f.Id == t.FeedbackId).Select(f => f.Content).FirstOrDefault(),
                t.Status,
                t.CreatedAt,
                t.DueAt,
                t.AssigneeUserId,
                Assignee = db.Users.Where(u => u.Id == t.AssigneeUserId).Select(u => u.DisplayName != "" ? u.DisplayName : u.UserName).FirstOrDefault(),
                t.ResolvedAt,
                t.ResolvedByName,
                t.Resolution,
            })
            .ToListAsync(ct);
        var overdue = await db.FollowUpTasks.CountAsync(
            t => t.Status == FollowUpStatus.Open && t.DueAt < now && (all || t.AssigneeUserId == viewer.UserId), ct);

        return new FollowUpListViewModel
        {
            Query = new FollowUpListQuery { All = all, Status = query.Status },
            CanSeeAll = viewer.SeesAll,
            OverdueCount = overdue,
            Rows = rows.Select(r => new FollowUpRowViewModel(
                r.Id, r.CustomerId, r.Customer?.Name ?? string.Empty, r.Customer?.Phone, r.Reason,
                string.IsNullOrEmpty(r.Comment) ? null : r.Comment, r.Status, r.CreatedAt, r.DueAt,
                r.Status == FollowUpStatus.Open && r.DueAt < now, r.Assignee, r.ResolvedAt, r.ResolvedByName, r.Resolution,
                CanResolve(viewer, r.AssigneeUserId) && r.Status == FollowUpStatus.Open)).ToList(),
        };
    }

    /// <summary>The assignee resolves their task; admins and marketers may resolve anyone's (or unassigned ones).</summary>
    public static bool CanResolve(FeedbackViewer viewer, string? assigneeUserId) =>
        viewer.SeesAll || (viewer.UserId is not null && viewer.UserId == assigneeUserId);

    public async Task<FollowUpOutcome> ResolveAsync(int id, FollowUpResolveFormModel form, FeedbackViewer viewer, CancellationToken ct)
    {
        var task = await db.FollowUpTasks.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null)
        {
            return FollowUpOutcome.NotFound;
        }

        if (!CanResolve(viewer, task.AssigneeUserId))
        {
            return FollowUpOutcome.Forbidden;
        }

        if (task.Status == FollowUpStatus.Done)
        {
            return FollowUpOutcome.AlreadyDone;
        }

        var now = time.GetUtcNow().UtcDateTime;
        task.Status = FollowUpStatus.Done;
        task.ResolvedAt = now;
        task.ResolvedByUserId = viewer.UserId;
        task.ResolvedByName = viewer.Name;
        task.Resolution = form.Resolution.Trim();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (task.FeedbackId is { } feedbackId)
        {
            // The complaint is answered: its feedback entry is resolved with it.
            await db.Feedback.Where(f => f.Id == feedbackId && f.Status != FeedbackStatus.Resolved)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, FeedbackStatus.Resolved).SetProperty(f => f.UpdatedAt, now), ct);
        }

        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.FollowUpTask, Key(id),
            [new("Status", nameof(FollowUpStatus.Open), nameof(FollowUpStatus.Done)), new("ResolutionLength", null, Key(task.Resolution.Length))],
            ct, viewer.ToActor().ForAudit());
        await tx.CommitAsync(ct);
        return FollowUpOutcome.Saved;
    }

    public async Task<CustomerOwnerViewModel?> GetOwnerAsync(int customerId, bool canEdit, CancellationToken ct)
    {
        var owner = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.OwnerUserId, Name = db.Users.Where(u => u.Id == c.OwnerUserId).Select(u => u.DisplayName != "" ? u.DisplayName : u.UserName).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        if (owner is null)
        {
            return null;
        }

        IReadOnlyList<OwnerChoice> choices = [];
        if (canEdit)
        {
            var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Take(500)
                .Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(ct);
            choices = users.Select(u => new OwnerChoice(u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName)).ToList();
        }

        return new CustomerOwnerViewModel(customerId, owner.OwnerUserId, owner.Name, canEdit, choices);
    }

    public async Task<FollowUpOutcome> SetOwnerAsync(int customerId, string? ownerUserId, Actor actor, CancellationToken ct)
    {
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
        {
            return FollowUpOutcome.NotFound;
        }

        ownerUserId = string.IsNullOrWhiteSpace(ownerUserId) ? null : ownerUserId.Trim();
        if (ownerUserId is not null && !await db.Users.AnyAsync(u => u.Id == ownerUserId, ct))
        {
            return FollowUpOutcome.UnknownUser;
        }

        if (customer.OwnerUserId == ownerUserId)
        {
            return FollowUpOutcome.Saved;
        }

        var old = customer.OwnerUserId;
        customer.OwnerUserId = ownerUserId;
        customer.UpdatedAt = time.GetUtcNow().UtcDateTime;
        customer.UpdatedBy = actor.Name;
        customer.Version++;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.Customer, Key(customerId),
            [new("OwnerUserId", old, ownerUserId)], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return FollowUpOutcome.Saved;
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Follow-up {TaskId} opened for feedback {FeedbackId} (assigned: {Assigned})")]
    private static partial void LogOpened(ILogger logger, int taskId, int feedbackId, bool assigned);
}

/// <summary>Follow-ups on the customer's timeline: when one was opened and, once resolved, what was done.</summary>
public sealed class FollowUpTimelineSource(CrmDbContext db, IStringLocalizer<SharedResource> l) : ITimelineSource
{
    public const string Kind = "follow-up";

    public async Task<IReadOnlyList<TimelineEntry>> GetAsync(int customerId, DateTime? olderThan, int limit, CancellationToken ct)
    {
        var opened = await db.FollowUpTasks.AsNoTracking()
            .Where(t => t.CustomerId == customerId && (olderThan == null || t.CreatedAt < olderThan))
            .OrderByDescending(t => t.CreatedAt).Take(limit)
            .Select(t => new { t.CreatedAt, t.Reason, t.DueAt })
            .ToListAsync(ct);
        var resolved = await db.FollowUpTasks.AsNoTracking()
            .Where(t => t.CustomerId == customerId && t.ResolvedAt != null && (olderThan == null || t.ResolvedAt < olderThan))
            .OrderByDescending(t => t.ResolvedAt).Take(limit)
            .Select(t => new { ResolvedAt = t.ResolvedAt!.Value, t.Reason, t.Resolution, t.ResolvedByName })
            .ToListAsync(ct);
        return opened.Select(o => new TimelineEntry(o.CreatedAt, Kind, l["Follow-up opened: {0}", o.Reason], null))
            .Concat(resolved.Select(r => new TimelineEntry(r.ResolvedAt, Kind, l["Follow-up done: {0}", r.Reason], r.Resolution, Author: r.ResolvedByName)))
            .OrderByDescending(e => e.At).Take(limit).ToList();
    }
}
