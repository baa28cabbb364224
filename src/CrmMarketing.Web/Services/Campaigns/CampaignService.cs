using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Campaigns;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Campaigns;

public enum ActivityOutcome
{
    Saved,
    NotFound,
    Conflict,
    NotEditable,
    InvalidTransition,
    DuplicateCoupon,
    UnknownOwner,

    /// <summary>The segment does not exist.</summary>
    UnknownSegment,

    /// <summary>A template does not exist or is for the other channel.</summary>
    WrongTemplate,

    /// <summary>Email, SMS and phone activities start running by being launched, not by a status change.</summary>
    UseLaunch,
}

public sealed record ActivityResult(ActivityOutcome Outcome, int Id = 0)
{
    public static ActivityResult Of(ActivityOutcome outcome) => new(outcome);
}

/// <summary>Marketing activities: planning (list, calendar, forms), the status life cycle and the cost ledger.</summary>
public sealed class CampaignService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, AuditService audit)
{
    public async Task<ActivityListViewModel> ListAsync(ActivityListQuery query, CancellationToken ct)
    {
        var activities = db.MarketingActivities.AsNoTracking();
        if (query.Status is { } status)
        {
            activities = activities.Where(a => a.Status == status);
        }

        if (query.Type is { } type)
        {
            activities = activities.Where(a => a.Type == type);
        }

        if (!string.IsNullOrEmpty(query.Owner))
        {
            activities = activities.Where(a => a.OwnerUserId == query.Owner);
        }

        if (query.From is { } from)
        {
            activities = activities.Where(a => a.EndDate >= from);
        }

        if (query.To is { } to)
        {
            activities = activities.Where(a => a.StartDate <= to);
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var term = query.Q.Trim();
            activities = activities.Where(a => a.Name.Contains(term));
        }

        var total = await activities.CountAsync(ct);
        var pageCount = Math.Max(1, (total + ActivityListQuery.PageSize - 1) / ActivityListQuery.PageSize);
        var page = Math.Clamp(query.Page, 1, pageCount);
        query.Page = page;
        var rows = await activities
            .OrderByDescending(a => a.StartDate).ThenByDescending(a => a.Id)
            .Skip((page - 1) * ActivityListQuery.PageSize).Take(ActivityListQuery.PageSize)
            .Select(a => new ActivityRowViewModel(
                a.Id, a.Name, a.Type, a.Status, a.StartDate, a.EndDate, a.Budget,
                a.Costs.Sum(c => (decimal?)c.Amount) ?? 0m, a.OwnerName))
            .ToListAsync(ct);

        return new ActivityListViewModel { Query = query, Rows = rows, TotalCount = total, Owners = await OwnersAsync(ct) };
    }

    /// <summary>The month view: every activity whose period overlaps the month, on each of its days.</summary>
    public async Task<ActivityCalendarViewModel> CalendarAsync(int? year, int? month, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(formatter.ToLocal(time.GetUtcNow().UtcDateTime));
        var first = year is { } y && month is { } m ? new DateOnly(y, m, 1) : new DateOnly(today.Year, today.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var gridStart = first.AddDays(-(((int)first.DayOfWeek + 6) % 7));
        var gridEnd = last.AddDays(6 - (((int)last.DayOfWeek + 6) % 7));

        var entries = await db.MarketingActivities.AsNoTracking()
            .Where(a => a.StartDate <= gridEnd && a.EndDate >= gridStart)
            .OrderBy(a => a.StartDate).ThenBy(a => a.Id)
            .Select(a => new CalendarEntry(a.Id, a.Name, a.Type, a.Status, a.StartDate, a.EndDate))
            .ToListAsync(ct);

        var weeks = new List<IReadOnlyList<CalendarDay>>();
        for (var weekStart = gridStart; weekStart <= gridEnd; weekStart = weekStart.AddDays(7))
        {
            var days = new List<CalendarDay>(7);
            for (var d = weekStart; d < weekStart.AddDays(7); d = d.AddDays(1))
            {
                var day = d;
                days.Add(new CalendarDay(day, day.Month == first.Month, day == today,
                    entries.Where(e => e.StartDate <= day && e.EndDate >= day).ToList()));
            }

            weeks.Add(days);
        }

        return new ActivityCalendarViewModel
        {
            Year = first.Year,
            Month = first.Month,
            Previous = first.AddMonths(-1),
            Next = first.AddMonths(1),
            Weeks = weeks,
        };
    }

    public async Task<ActivityEditViewModel> GetCreateAsync(ActivityFormModel? form, Actor actor, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(formatter.ToLocal(time.GetUtcNow().UtcDateTime));
        form ??= new ActivityFormModel { StartDate = today, EndDate = today.AddDays(13), Budget = 0m, OwnerUserId = actor.UserId };
        return new ActivityEditViewModel
        {
            Form = form,
            Owners = await OwnersAsync(ct),
            Categories = await CategoriesAsync(ct),
            Segments = await SegmentOptionsAsync(ct),
            EmailTemplates = await TemplateOptionsAsync(MessageChannel.Email, ct),
            SmsTemplates = await TemplateOptionsAsync(MessageChannel.Sms, ct),
        };
    }

    public async Task<ActivityEditViewModel?> GetForEditAsync(int id, ActivityFormModel? posted, CancellationToken ct)
    {
        var a = await db.MarketingActivities.AsNoTracking().Include(x => x.Variants).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return null;
        }

        var variants = a.Variants.OrderBy(v => v.Label).Select(v => (int?)v.TemplateId).ToList();
        var form = posted ?? new ActivityFormModel
        {
            Name = a.Name,
            Description = a.Description,
            Type = a.Type,
            Channel = a.Channel,
            StartDate = a.StartDate,
            EndDate = a.EndDate,
            Budget = a.Budget,
            OwnerUserId = a.OwnerUserId,
            ConversionGoal = a.ConversionGoal,
            GoalCategory = a.GoalCategory,
            ConversionWindowDays = a.ConversionWindowDays,
            HoldoutPercent = a.HoldoutPercent,
            AttributionModel = a.AttributionModel,
            CouponCode = a.CouponCode,
            UtmCampaign = a.UtmCampaign,
            Reach = a.Reach,
            Impressions = a.Impressions,
            SegmentId = a.SegmentId,
            TemplateId = a.TemplateId,
            LaunchAt = a.LaunchAt is { } at ? formatter.ToLocal(at) : null,
            AbTest = a.AbTestSharePercent is not null,
            VariantTemplateIds = variants,
            AbTestSharePercent = a.AbTestSharePercent ?? 20,
            AbWinnerMetric = a.AbWinnerMetric,
            AbTestHours = a.AbTestHours ?? 24,
            Version = a.Version,
        };
        return new ActivityEditViewModel
        {
            Id = a.Id,
            Status = a.Status,
            Form = form,
            Owners = await OwnersAsync(ct),
            Categories = await CategoriesAsync(ct),
            Segments = await SegmentOptionsAsync(ct),
            EmailTemplates = await TemplateOptionsAsync(MessageChannel.Email, ct),
            SmsTemplates = await TemplateOptionsAsync(MessageChannel.Sms, ct),
            IsLaunched = a.LaunchedAt is not null,
        };
    }

    public async Task<ActivityDetailsViewModel?> GetDetailsAsync(int id, CostFormModel? costForm, CancellationToken ct)
    {
        var a = await db.MarketingActivities.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return null;
        }

        var costs = await db.ActivityCosts.AsNoTracking().Where(c => c.ActivityId == id)
            .OrderByDescending(c => c.Date).ThenByDescending(c => c.Id)
            .Select(c => new CostRowViewModel(c.Id, c.Date, c.Amount, c.Category, c.Note, c.CreatedByName))
            .ToListAsync(ct);
        var today = DateOnly.FromDateTime(formatter.ToLocal(time.GetUtcNow().UtcDateTime));

        return new ActivityDetailsViewModel
        {
            Id = a.Id,
            Name = a.Name,
            Description = a.Description,
            Type = a.Type,
            Channel = a.Channel,
            Status = a.Status,
            StartDate = a.StartDate,
            EndDate = a.EndDate,
            Budget = a.Budget,
            OwnerName = a.OwnerName,
            ConversionGoal = a.ConversionGoal,
            GoalCategory = a.GoalCategory,
            ConversionWindowDays = a.ConversionWindowDays,
            HoldoutPercent = a.HoldoutPercent,
            AttributionModel = a.AttributionModel,
            CouponCode = a.CouponCode,
            UtmCampaign = a.UtmCampaign,
            Reach = a.Reach,
            Impressions = a.Impressions,
            UpdatedAt = a.UpdatedAt,
            UpdatedByName = a.UpdatedByName,
            IsEditable = ActivityRules.IsEditable(a.Status),
            NextStates = ActivityRules.NextStates(a.Status),
            Costs = costs,
            // The ledger is already loaded whole for the page; its totals come from it rather than a second query.
            CostsByCategory = costs.GroupBy(c => c.Category).Select(g => new CostByCategory(g.Key, g.Sum(c => c.Amount)))
                .OrderByDescending(c => c.Amount).ToList(),
            Spent = costs.Sum(c => c.Amount),
            CostForm = costForm ?? new CostFormModel { Date = today },
            Execution = await ExecutionAsync(a, ct),
        };
    }

    /// <summary>What the details page shows about the audience, content and launch of an executed activity.</summary>
    private async Task<ActivityExecutionViewModel?> ExecutionAsync(MarketingActivity a, CancellationToken ct)
    {
        if (!ActivityRules.IsExecuted(a.Type))
        {
            return null;
        }

        var segment = a.SegmentId is { } sid
            ? await db.Segments.AsNoTracking().Where(s => s.Id == sid).Select(s => new { s.Name, s.MemberCount }).FirstOrDefaultAsync(ct)
            : null;
        var templateIds = await db.ActivityVariants.AsNoTracking().Where(v => v.ActivityId == a.Id).Select(v => v.TemplateId).ToListAsync(ct);
        if (a.TemplateId is { } tid)
        {
            templateIds.Add(tid);
        }

        var templateNames = await db.MessageTemplates.AsNoTracking().Where(t => templateIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var variants = await db.ActivityVariants.AsNoTracking().Where(v => v.ActivityId == a.Id).OrderBy(v => v.Label)
            .Select(v => new { v.Id, v.Label, v.TemplateId }).ToListAsync(ct);
        var salesUsers = a.Type == ActivityType.Phone && a.LaunchedAt is null ? await UsersInRoleAsync(Roles.Sales, ct) : [];

        return new ActivityExecutionViewModel
        {
            SegmentId = a.SegmentId,
            SegmentName = segment?.Name,
            SegmentMemberCount = segment?.MemberCount,
            TemplateName = a.TemplateId is { } t ? templateNames.GetValueOrDefault(t) : null,
            LaunchAt = a.LaunchAt,
            LaunchedAt = a.LaunchedAt,
            LaunchedByName = a.LaunchedByName,
            AudienceCount = a.AudienceCount,
            HoldoutCount = a.HoldoutCount,
            IsPaused = a.IsPaused,
            AbTestSharePercent = a.AbTestSharePercent,
            AbWinnerMetric = a.AbWinnerMetric,
            AbTestHours = a.AbTestHours,
            AbDecidedAt = a.AbDecidedAt,
            Variants = variants.Select(v => new VariantRowViewModel(v.Id, v.Label, templateNames.GetValueOrDefault(v.TemplateId) ?? "?", v.Id == a.AbWinnerVariantId)).ToList(),
            SalesUsers = salesUsers,
            CanLaunch = a.LaunchedAt is null && a.Status is ActivityStatus.Draft or ActivityStatus.Scheduled,
            CanSchedule = a.LaunchedAt is null && a.Status == ActivityStatus.Draft && ActivityRules.IsDigital(a.Type),
            CanPause = a.LaunchedAt is not null && a.Status == ActivityStatus.Running && !a.IsPaused && ActivityRules.IsDigital(a.Type),
            CanResume = a.LaunchedAt is not null && a.Status == ActivityStatus.Running && a.IsPaused,
            CanChooseWinner = a.LaunchedAt is not null && a.Status == ActivityStatus.Running && a.AbTestSharePercent is not null && a.AbDecidedAt is null,
        };
    }

    public async Task<ActivityResult> CreateAsync(ActivityFormModel form, Actor actor, CancellationToken ct)
    {
        var owner = await ResolveOwnerAsync(form.OwnerUserId, ct);
        if (owner is null && !string.IsNullOrEmpty(form.OwnerUserId))
        {
            return ActivityResult.Of(ActivityOutcome.UnknownOwner);
        }

        var coupon = NormalizeCoupon(form.CouponCode);
        if (coupon is not null && await db.MarketingActivities.AnyAsync(a => a.CouponCode == coupon, ct))
        {
            return ActivityResult.Of(ActivityOutcome.DuplicateCoupon);
        }

        if (await CheckExecutionAsync(form, ct) is { } invalid)
        {
            return ActivityResult.Of(invalid);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var activity = new MarketingActivity { Status = ActivityStatus.Draft, CreatedAt = now, CreatedByUserId = actor.UserId, Version = 1 };
        Apply(activity, form, owner, coupon, actor, now);
        ApplyExecution(activity, form);
        db.MarketingActivities.Add(activity);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.MarketingActivity, Key(activity.Id),
            AuditService.Diff([], Snapshot(activity)), ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return new ActivityResult(ActivityOutcome.Saved, activity.Id);
    }

    public async Task<ActivityResult> UpdateAsync(int id, ActivityFormModel form, Actor actor, CancellationToken ct)
    {
        var activity = await db.MarketingActivities.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return ActivityResult.Of(ActivityOutcome.NotFound);
        }

        if (activity.Version != form.Version)
        {
            return ActivityResult.Of(ActivityOutcome.Conflict);
        }

        if (!ActivityRules.IsEditable(activity.Status))
        {
            return ActivityResult.Of(ActivityOutcome.NotEditable);
        }

        var owner = await ResolveOwnerAsync(form.OwnerUserId, ct);
        if (owner is null && !string.IsNullOrEmpty(form.OwnerUserId))
        {
            return ActivityResult.Of(ActivityOutcome.UnknownOwner);
        }

        var coupon = NormalizeCoupon(form.CouponCode);
        if (coupon is not null && await db.MarketingActivities.AnyAsync(a => a.CouponCode == coupon && a.Id != id, ct))
        {
            return ActivityResult.Of(ActivityOutcome.DuplicateCoupon);
        }

        var launched = activity.LaunchedAt is not null;
        if (launched)
        {
            // The audience, content and test were fixed at launch; the form cannot change them any more.
            form.Type = activity.Type;
        }
        else if (await CheckExecutionAsync(form, ct) is { } invalid)
        {
            return ActivityResult.Of(invalid);
        }

        var before = Snapshot(activity);
        Apply(activity, form, owner, coupon, actor, time.GetUtcNow().UtcDateTime);
        if (!launched)
        {
            await db.Entry(activity).Collection(a => a.Variants).LoadAsync(ct);
            ApplyExecution(activity, form);
        }

        activity.Version++;
        var changes = AuditService.Diff(before, Snapshot(activity));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActivityResult.Of(ActivityOutcome.Conflict);
        }

        if (changes.Count > 0)
        {
            await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.MarketingActivity, Key(id), changes, ct, actor.ForAudit());
        }

        await tx.CommitAsync(ct);
        return new ActivityResult(ActivityOutcome.Saved, id);
    }

    /// <summary>Moves an activity along its life cycle; a move the rules do not allow is refused and changes nothing.</summary>
    public async Task<ActivityResult> SetStatusAsync(int id, ActivityStatus to, Actor actor, CancellationToken ct)
    {
        var activity = await db.MarketingActivities.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return ActivityResult.Of(ActivityOutcome.NotFound);
        }

        var from = activity.Status;
        if (!ActivityRules.CanMove(from, to))
        {
            return ActivityResult.Of(ActivityOutcome.InvalidTransition);
        }

        if (to == ActivityStatus.Running && ActivityRules.IsExecuted(activity.Type))
        {
            return ActivityResult.Of(ActivityOutcome.UseLaunch);
        }

        activity.Status = to;
        if (to == ActivityStatus.Cancelled)
        {
            activity.IsPaused = false;
        }

        activity.UpdatedAt = time.GetUtcNow().UtcDateTime;
        activity.UpdatedByName = actor.Name;
        activity.Version++;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActivityResult.Of(ActivityOutcome.Conflict);
        }

        if (to == ActivityStatus.Cancelled && activity.LaunchedAt is not null)
        {
            // Cancelling stops what has not gone out yet; messages already being sent finish.
            await CampaignLaunchService.CancelQueuedAsync(db, id, ct);
        }

        await audit.RecordAsync(AuditActions.StatusChange, AuditEntityTypes.MarketingActivity, Key(id),
            [new AuditChange(nameof(MarketingActivity.Status), from.ToString(), to.ToString())], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return new ActivityResult(ActivityOutcome.Saved, id);
    }

    public async Task<ActivityResult> AddCostAsync(int id, CostFormModel form, Actor actor, CancellationToken ct)
    {
        if (!await db.MarketingActivities.AnyAsync(a => a.Id == id, ct))
        {
            return ActivityResult.Of(ActivityOutcome.NotFound);
        }

        var cost = new ActivityCost
        {
            ActivityId = id,
            Date = form.Date!.Value,
            Amount = decimal.Round(form.Amount!.Value, 2),
            Category = form.Category,
            Note = string.IsNullOrWhiteSpace(form.Note) ? null : form.Note.Trim(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedByName = actor.Name,
        };
        db.ActivityCosts.Add(cost);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.CostAdded, AuditEntityTypes.MarketingActivity, Key(id),
            [new AuditChange("Cost", null, CostText(cost))], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return new ActivityResult(ActivityOutcome.Saved, id);
    }

    public async Task<ActivityResult> RemoveCostAsync(int id, int costId, Actor actor, CancellationToken ct)
    {
        var cost = await db.ActivityCosts.SingleOrDefaultAsync(c => c.Id == costId && c.ActivityId == id, ct);
        if (cost is null)
        {
            return ActivityResult.Of(ActivityOutcome.NotFound);
        }

        db.ActivityCosts.Remove(cost);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.CostRemoved, AuditEntityTypes.MarketingActivity, Key(id),
            [new AuditChange("Cost", CostText(cost), null)], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return new ActivityResult(ActivityOutcome.Saved, id);
    }

    private static void Apply(MarketingActivity a, ActivityFormModel form, OwnerOption? owner, string? coupon, Actor actor, DateTime now)
    {
        a.Name = form.Name.Trim();
        a.Description = Clean(form.Description);
        a.Type = form.Type;
        a.Channel = Clean(form.Channel);
        a.StartDate = form.StartDate!.Value;
        a.EndDate = form.EndDate!.Value;
        a.Budget = decimal.Round(form.Budget!.Value, 2);
        a.OwnerUserId = owner?.UserId;
        a.OwnerName = owner?.Name;
        a.ConversionGoal = form.ConversionGoal;
        a.GoalCategory = form.ConversionGoal == ConversionGoal.CategoryPurchase ? Clean(form.GoalCategory) : null;
        a.ConversionWindowDays = form.ConversionWindowDays;
        a.HoldoutPercent = form.HoldoutPercent;
        a.AttributionModel = form.AttributionModel;
        a.CouponCode = coupon;
        a.UtmCampaign = Clean(form.UtmCampaign);
        a.Reach = ActivityRules.IsDigital(form.Type) ? null : form.Reach;
        a.Impressions = ActivityRules.IsDigital(form.Type) ? null : form.Impressions;
        a.UpdatedAt = now;
        a.UpdatedByName = actor.Name;
    }

    private static List<KeyValuePair<string, string?>> Snapshot(MarketingActivity a) =>
    [
        new(nameof(MarketingActivity.Name), a.Name),
        new(nameof(MarketingActivity.Description), a.Description),
        new(nameof(MarketingActivity.Type), a.Type.ToString()),
        new(nameof(MarketingActivity.Channel), a.Channel),
        new(nameof(MarketingActivity.StartDate), a.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.EndDate), a.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.Budget), a.Budget.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.OwnerName), a.OwnerName),
        new(nameof(MarketingActivity.ConversionGoal), a.ConversionGoal.ToString()),
        new(nameof(MarketingActivity.GoalCategory), a.GoalCategory),
        new(nameof(MarketingActivity.ConversionWindowDays), a.ConversionWindowDays.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.HoldoutPercent), a.HoldoutPercent.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.AttributionModel), a.AttributionModel.ToString()),
        new(nameof(MarketingActivity.CouponCode), a.CouponCode),
        new(nameof(MarketingActivity.UtmCampaign), a.UtmCampaign),
        new(nameof(MarketingActivity.Reach), a.Reach?.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.Impressions), a.Impressions?.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.SegmentId), a.SegmentId?.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.TemplateId), a.TemplateId?.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.LaunchAt), a.LaunchAt?.ToString("O", CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.AbTestSharePercent), a.AbTestSharePercent?.ToString(CultureInfo.InvariantCulture)),
        new(nameof(MarketingActivity.AbTestHours), a.AbTestHours?.ToString(CultureInfo.InvariantCulture)),
        new("Variants", a.Variants.Count == 0 ? null : string.Join(",", a.Variants.OrderBy(v => v.Label, StringComparer.Ordinal).Select(v => v.Label + ":" + v.TemplateId.ToString(CultureInfo.InvariantCulture)))),
    ];

    private static string CostText(ActivityCost c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Date:yyyy-MM-dd} {c.Category} {c.Amount}");

    /// <summary>Anyone who can run marketing may own an activity.</summary>
    private async Task<IReadOnlyList<OwnerOption>> OwnersAsync(CancellationToken ct)
    {
        var marketingRoles = new[] { Roles.Admin, Roles.Marketer };
        return await (from u in db.Users.AsNoTracking()
                      where db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && marketingRoles.Contains(r.Name!)))
                      orderby u.DisplayName, u.Email
                      select new OwnerOption(u.Id, u.DisplayName == "" ? u.Email ?? u.Id : u.DisplayName))
            .ToListAsync(ct);
    }

    private async Task<IReadOnlyList<PickerOption>> UsersInRoleAsync(string role, CancellationToken ct) =>
        await (from u in db.Users.AsNoTracking()
               where db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role))
               orderby u.DisplayName, u.Email
               select new PickerOption(u.Id, u.DisplayName == "" ? u.Email ?? u.Id : u.DisplayName))
            .ToListAsync(ct);

    private async Task<IReadOnlyList<PickerOption>> SegmentOptionsAsync(CancellationToken ct) =>
        (await db.Segments.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.MemberCount }).ToListAsync(ct))
        .Select(s => new PickerOption(Key(s.Id), string.Create(CultureInfo.InvariantCulture, $"{s.Name} ({s.MemberCount:N0})"))).ToList();

    private async Task<IReadOnlyList<PickerOption>> TemplateOptionsAsync(MessageChannel channel, CancellationToken ct) =>
        (await db.MessageTemplates.AsNoTracking().Where(t => t.Channel == channel).OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
        .Select(t => new PickerOption(Key(t.Id), t.Name)).ToList();

    /// <summary>The segment must exist; the template(s) must exist and be of the activity's channel.</summary>
    private async Task<ActivityOutcome?> CheckExecutionAsync(ActivityFormModel form, CancellationToken ct)
    {
        if (!ActivityRules.IsExecuted(form.Type))
        {
            return null;
        }

        if (form.SegmentId is { } segmentId && !await db.Segments.AnyAsync(s => s.Id == segmentId, ct))
        {
            return ActivityOutcome.UnknownSegment;
        }

        if (form.Type == ActivityType.Phone)
        {
            return null;
        }

        var channel = form.Type == ActivityType.Email ? MessageChannel.Email : MessageChannel.Sms;
        var ids = form.AbTest && form.Type == ActivityType.Email ? form.ChosenVariants().ToList() : form.TemplateId is { } t ? [t] : [];
        var found = await db.MessageTemplates.CountAsync(m => ids.Contains(m.Id) && m.Channel == channel, ct);
        return found == ids.Distinct().Count() ? null : ActivityOutcome.WrongTemplate;
    }

    /// <summary>Audience, content, launch time and test of an activity not launched yet.</summary>
    private void ApplyExecution(MarketingActivity a, ActivityFormModel form)
    {
        var executed = ActivityRules.IsExecuted(form.Type);
        var digital = ActivityRules.IsDigital(form.Type);
        var abTest = form.AbTest && form.Type == ActivityType.Email;
        a.SegmentId = executed ? form.SegmentId : null;
        a.TemplateId = digital && !abTest ? form.TemplateId : null;
        a.LaunchAt = digital && form.LaunchAt is { } local ? formatter.ToUtc(local) : null;
        a.AbTestSharePercent = abTest ? form.AbTestSharePercent : null;
        a.AbTestHours = abTest ? form.AbTestHours : null;
        a.AbWinnerMetric = abTest ? form.AbWinnerMetric : AbWinnerMetric.Open;
        var wanted = abTest ? form.ChosenVariants() : [];
        // Rows are reused in label order, so a changed template is an update rather than a delete and insert of the same label.
        var existing = a.Variants.OrderBy(v => v.Label, StringComparer.Ordinal).ToList();
        for (var i = 0; i < wanted.Count; i++)
        {
            if (i < existing.Count)
            {
                existing[i].TemplateId = wanted[i];
            }
            else
            {
                a.Variants.Add(new ActivityVariant { Label = ActivityRules.VariantLabel(i), TemplateId = wanted[i] });
            }
        }

        foreach (var extra in existing.Skip(wanted.Count))
        {
            a.Variants.Remove(extra);
        }
    }

    private async Task<OwnerOption?> ResolveOwnerAsync(string? userId, CancellationToken ct) =>
        string.IsNullOrEmpty(userId) ? null : (await OwnersAsync(ct)).FirstOrDefault(o => o.UserId == userId);

    private async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken ct) =>
        await db.Products.AsNoTracking().Where(p => p.Category != null).Select(p => p.Category!).Distinct().OrderBy(c => c).ToListAsync(ct);

    private static string? NormalizeCoupon(string? code) =>
        string.IsNullOrWhiteSpace(code) ? null : code.Trim().ToUpperInvariant();

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);
}
