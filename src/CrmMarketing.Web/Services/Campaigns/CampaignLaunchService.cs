using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Import;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;
using CrmMarketing.Web.ViewModels.CallList;
using CrmMarketing.Web.ViewModels.Campaigns;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace CrmMarketing.Web.Services.Campaigns;

public enum LaunchOutcome
{
    Launched,
    NotFound,

    /// <summary>Launched before (a double click, a retried request, a second scheduler): nothing changed.</summary>
    AlreadyLaunched,

    /// <summary>Completed or cancelled activities, and types the app does not execute, are not launched.</summary>
    NotLaunchable,

    /// <summary>No segment, or no template of the activity's channel.</summary>
    NotReady,

    /// <summary>Nobody in the segment can be contacted: nothing changed.</summary>
    EmptyAudience,

    /// <summary>A phone activity needs at least one sales user to call.</summary>
    NoCallers,
}

public sealed record LaunchResult(LaunchOutcome Outcome, int Audience = 0, int Holdout = 0, int Queued = 0)
{
    public static LaunchResult Of(LaunchOutcome outcome) => new(outcome);
}

public enum ExecutionOutcome
{
    Done,
    NotFound,

    /// <summary>The action does not apply in the activity's current state.</summary>
    NotAllowed,

    /// <summary>Scheduling needs a launch time in the future.</summary>
    NoLaunchTime,
}

public sealed record AbDecision(int VariantId, string Label, int Queued);

/// <summary>Executes email, SMS and phone activities. A launch is one transaction: the audience is snapshotted into
/// CampaignRecipients by one INSERT … SELECT (segment members minus archived, not consented, suppressed and
/// address-less customers, with a deterministic holdout), and the treatment group's messages are rendered and
/// written to the outbox batch by batch, so memory stays bounded whatever the audience. See docs/campaigns.md.</summary>
public sealed partial class CampaignLaunchService(
    CrmDbContext db,
    TimeProvider time,
    TrackedOutbox tracked,
    AuditService audit,
    CampaignMetricsService metrics,
    IOptions<SmtpOptions> smtp,
    IOptions<CampaignOptions> options,
    ILogger<CampaignLaunchService> logger)
{
    /// <summary>Queued messages of a paused activity wait until this time (in effect: until resumed).</summary>
    public static readonly DateTime HeldUntil = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private const int HoldoutSalt = 0;
    private const int VariantSalt = 7919;

    /// <summary>The idempotency key of an activity's one message to a customer.</summary>
    public static string MessageKey(int activityId, int customerId) =>
        string.Create(CultureInfo.InvariantCulture, $"campaign:{activityId}:{customerId}");

    /// <summary>SQL for a customer's bucket 0–9999 within an activity: a fixed mix of the two ids, so the same customer
    /// lands in the same bucket on every run, and different activities split their audiences differently.</summary>
    public static string BucketSql(string customerColumn, string activityParameter, int salt) => string.Create(CultureInfo.InvariantCulture,
        $"((((({customerColumn} * 2654435761) + ({activityParameter} * 40503) + {salt}) % 1000003) * 69069) % 10000)");

    /// <summary>SQL that is true for a treatment recipient (table alias <paramref name="recipient"/>) whom the launch put in
    /// the A/B test share: its variant bucket lies below <paramref name="shareParameter"/> % (the activity's
    /// <c>AbTestSharePercent</c>). Once the winner is decided the rest of the audience carries the winner's
    /// <c>VariantId</c> and is no longer <c>AwaitingWinner</c>, so the bucket is what still tells the tested recipients
    /// apart. A NULL share (no test) makes it NULL, i.e. false.</summary>
    public static string InAbTestSql(string recipient, string activityParameter, string shareParameter) =>
        $"({recipient}.VariantId IS NOT NULL AND {BucketSql(recipient + ".CustomerId", activityParameter, VariantSalt)} < {shareParameter} * 100)";

    /// <summary>SQL that is true for a customer the launch puts in the holdout group: its holdout bucket lies below
    /// <paramref name="holdoutParameter"/> % (the activity's <c>HoldoutPercent</c>).</summary>
    public static string InHoldoutSql(string customerColumn, string activityParameter, string holdoutParameter) =>
        $"{BucketSql(customerColumn, activityParameter, HoldoutSalt)} < {holdoutParameter} * 100";

    /// <summary>The A/B split of an activity's treatment recipients (parameters @activity, @share): the test share is spread
    /// evenly over the variants (in label order) by a second bucket, the rest waits for the winner.</summary>
    public static string SplitVariantsSql(IReadOnlyList<int> variantIds)
    {
        var bucket = BucketSql("CustomerId", "@activity", VariantSalt);
        var cases = string.Concat(variantIds.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $" WHEN {i} THEN {v}")));
        return string.Create(CultureInfo.InvariantCulture, $"""
            UPDATE CampaignRecipients
            SET VariantId = CASE WHEN {bucket} < @share * 100 THEN CASE {bucket} % {variantIds.Count}{cases} END END,
                AwaitingWinner = CASE WHEN {bucket} < @share * 100 THEN 0 ELSE 1 END
            WHERE ActivityId = @activity AND "Group" = {(int)RecipientGroup.Treatment}
            """);
    }

    /// <summary>Launch now: snapshot, holdout, A/B split or call-list split, and the treatment group's messages.</summary>
    public async Task<LaunchResult> LaunchAsync(int id, IReadOnlyCollection<string> callerIds, Actor actor, CancellationToken ct)
    {
        // SQLite takes the write lock at BEGIN, so two launches of the same activity run one after the other and the
        // second finds it launched.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var activity = await db.MarketingActivities.Include(a => a.Variants).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return LaunchResult.Of(LaunchOutcome.NotFound);
        }

        if (activity.LaunchedAt is not null)
        {
            return LaunchResult.Of(LaunchOutcome.AlreadyLaunched);
        }

        if (!ActivityRules.IsExecuted(activity.Type) || activity.Status is not (ActivityStatus.Draft or ActivityStatus.Scheduled))
        {
            return LaunchResult.Of(LaunchOutcome.NotLaunchable);
        }

        if (activity.SegmentId is not { } segmentId || !await ContentReadyAsync(activity, ct))
        {
            return LaunchResult.Of(LaunchOutcome.NotReady);
        }

        IReadOnlyList<string> callers = [];
        if (activity.Type == ActivityType.Phone)
        {
            callers = await SalesUsersAsync(callerIds, ct);
            if (callers.Count == 0)
            {
                return LaunchResult.Of(LaunchOutcome.NoCallers);
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        RegisterFunctions(connection);
        var audience = await SnapshotAsync(activity, segmentId, now, ct);
        if (audience == 0)
        {
            await tx.RollbackAsync(ct);
            return LaunchResult.Of(LaunchOutcome.EmptyAudience);
        }

        var holdout = await db.CampaignRecipients.CountAsync(r => r.ActivityId == id && r.Group == RecipientGroup.Holdout, ct);
        var queued = 0;
        if (activity.Type == ActivityType.Phone)
        {
            await AssignCallersAsync(id, callers, ct);
        }
        else
        {
            if (activity.AbTestSharePercent is { } share && activity.Variants.Count >= MarketingActivity.MinAbVariants)
            {
                await SplitVariantsAsync(id, share, activity.Variants.OrderBy(v => v.Label, StringComparer.Ordinal).Select(v => v.Id).ToList(), ct);
            }

            queued = await EnqueueAsync(activity, waiting: false, actor, now, ct);
        }

        activity.Status = ActivityStatus.Running;
        activity.LaunchedAt = now;
        activity.LaunchedByName = actor.Name;
        activity.AudienceCount = audience;
        activity.HoldoutCount = holdout;
        activity.IsPaused = false;
        activity.UpdatedAt = now;
        activity.UpdatedByName = actor.Name;
        activity.Version++;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.CampaignLaunch, AuditEntityTypes.MarketingActivity, Key(id),
        [
            new AuditChange(nameof(MarketingActivity.Status), null, ActivityStatus.Running.ToString()),
            new AuditChange(nameof(MarketingActivity.AudienceCount), null, Key(audience)),
            new AuditChange(nameof(MarketingActivity.HoldoutCount), null, Key(holdout)),
            new AuditChange("Queued", null, Key(queued)),
        ], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        LogLaunched(logger, id, audience, holdout, queued);
        return new LaunchResult(LaunchOutcome.Launched, audience, holdout, queued);
    }

    /// <summary>Moves a draft email or SMS activity with a future launch time to Scheduled; the scheduler launches it then.</summary>
    public async Task<ExecutionOutcome> ScheduleAsync(int id, Actor actor, CancellationToken ct)
    {
        var activity = await db.MarketingActivities.Include(a => a.Variants).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return ExecutionOutcome.NotFound;
        }

        if (activity.Status != ActivityStatus.Draft || !ActivityRules.IsDigital(activity.Type) || activity.SegmentId is null
            || !await ContentReadyAsync(activity, ct))
        {
            return ExecutionOutcome.NotAllowed;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (activity.LaunchAt is not { } at || at <= now)
        {
            return ExecutionOutcome.NoLaunchTime;
        }

        activity.Status = ActivityStatus.Scheduled;
        activity.UpdatedAt = now;
        activity.UpdatedByName = actor.Name;
        activity.Version++;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.StatusChange, AuditEntityTypes.MarketingActivity, Key(id),
            [new AuditChange(nameof(MarketingActivity.Status), ActivityStatus.Draft.ToString(), ActivityStatus.Scheduled.ToString())], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return ExecutionOutcome.Done;
    }

    /// <summary>Holds back the queued messages of a running activity; messages already being sent finish.</summary>
    public Task<ExecutionOutcome> PauseAsync(int id, Actor actor, CancellationToken ct) => SetPausedAsync(id, true, actor, ct);

    /// <summary>Releases the held messages at once.</summary>
    public Task<ExecutionOutcome> ResumeAsync(int id, Actor actor, CancellationToken ct) => SetPausedAsync(id, false, actor, ct);

    /// <summary>Cancels the queued messages of an activity (within the caller's transaction).</summary>
    public static Task<int> CancelQueuedAsync(CrmDbContext db, int activityId, CancellationToken ct)
    {
        long campaignId = activityId;
        return db.OutboxMessages.Where(m => m.CampaignId == campaignId && m.State == OutboxState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Cancelled).SetProperty(m => m.LastError, "Campaign cancelled."), ct);
    }

    public async Task<CampaignProgressViewModel?> ProgressAsync(int id, CancellationToken ct)
    {
        var a = await db.MarketingActivities.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Status, x.IsPaused, x.AudienceCount, x.HoldoutCount }).FirstOrDefaultAsync(ct);
        if (a is null)
        {
            return null;
        }

        var groups = await db.CampaignRecipients.AsNoTracking().Where(r => r.ActivityId == id)
            .GroupBy(r => new { r.Group, r.AwaitingWinner })
            .Select(g => new { g.Key.Group, g.Key.AwaitingWinner, Count = g.Count(), Contacted = g.Count(r => r.ContactedAt != null) })
            .ToListAsync(ct);
        long campaignId = id;
        var states = await db.OutboxMessages.AsNoTracking().Where(m => m.CampaignId == campaignId)
            .GroupBy(m => m.State).Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, ct);
        int State(OutboxState s) => states.GetValueOrDefault(s);

        return new CampaignProgressViewModel(
            id, a.Status, a.IsPaused, a.AudienceCount, a.HoldoutCount,
            groups.Where(g => g.Group == RecipientGroup.Treatment).Sum(g => g.Count),
            groups.Where(g => g.Group == RecipientGroup.Treatment && g.AwaitingWinner).Sum(g => g.Count),
            State(OutboxState.Queued), State(OutboxState.Sending), State(OutboxState.Sent), State(OutboxState.Failed),
            State(OutboxState.Suppressed), State(OutboxState.Cancelled),
            groups.Where(g => g.Group == RecipientGroup.Treatment).Sum(g => g.Contacted));
    }

    /// <summary>Decides an A/B test: the variant with the best rate of the winner metric among its test recipients, by the
    /// activity's own definitions (<see cref="VariantMetrics"/>; a tie goes to the lowest label), then queues the winner to
    /// the rest of the treatment group. <paramref name="force"/> decides before the test duration is over ("choose winner
    /// now").</summary>
    public async Task<AbDecision?> DecideAbTestAsync(int id, bool force, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var activity = await db.MarketingActivities.Include(a => a.Variants).SingleOrDefaultAsync(a => a.Id == id, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (activity is not { Status: ActivityStatus.Running, LaunchedAt: { } launchedAt, AbTestSharePercent: not null, AbDecidedAt: null }
            || activity.Variants.Count == 0
            || (!force && launchedAt.AddHours(activity.AbTestHours ?? 0) > now))
        {
            return null;
        }

        // The figures of the metrics page's A/B table, so the winner is the variant that table shows as best.
        var figures = await metrics.ComputeAsync(id, ct);
        var rates = (figures?.Variants ?? []).ToDictionary(v => v.VariantId, v => v.Score(activity.AbWinnerMetric));
        var winner = activity.Variants.OrderBy(v => v.Label, StringComparer.Ordinal)
            .Select(v => (Variant: v, Rate: rates.GetValueOrDefault(v.Id)))
            .Aggregate((best, next) => next.Rate.Beats(best.Rate) ? next : best).Variant;

        activity.AbWinnerVariantId = winner.Id;
        activity.AbDecidedAt = now;
        activity.UpdatedAt = now;
        activity.Version++;
        await db.SaveChangesAsync(ct);
        await db.CampaignRecipients.Where(r => r.ActivityId == id && r.AwaitingWinner && r.Group == RecipientGroup.Treatment)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.VariantId, winner.Id), ct);
        RegisterFunctions((SqliteConnection)db.Database.GetDbConnection());
        var queued = await EnqueueAsync(activity, waiting: true, actor, now, ct);
        await audit.RecordAsync(AuditActions.CampaignWinner, AuditEntityTypes.MarketingActivity, Key(id),
        [
            new AuditChange(nameof(MarketingActivity.AbWinnerVariantId), null, winner.Label),
            new AuditChange("Queued", null, Key(queued)),
        ], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        LogWinner(logger, id, winner.Id, queued);
        return new AbDecision(winner.Id, winner.Label, queued);
    }

    /// <summary>The scheduler's pass: launches due scheduled activities, decides due A/B tests and completes running
    /// email/SMS activities with nothing left to send. Returns how many activities changed.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var system = new Actor(null, "scheduler");
        var changed = 0;

        var due = await db.MarketingActivities.AsNoTracking()
            .Where(a => a.Status == ActivityStatus.Scheduled && a.LaunchedAt == null && a.LaunchAt != null && a.LaunchAt <= now
                        && (a.Type == ActivityType.Email || a.Type == ActivityType.Sms))
            .OrderBy(a => a.LaunchAt).Select(a => a.Id).ToListAsync(ct);
        foreach (var id in due)
        {
            var result = await LaunchAsync(id, [], system, ct);
            db.ChangeTracker.Clear();
            LogScheduledLaunch(logger, id, result.Outcome);
            changed += result.Outcome == LaunchOutcome.Launched ? 1 : 0;
        }

        var tests = await db.MarketingActivities.AsNoTracking()
            .Where(a => a.Status == ActivityStatus.Running && a.AbTestSharePercent != null && a.AbDecidedAt == null && a.LaunchedAt != null)
            .Select(a => new { a.Id, a.LaunchedAt, a.AbTestHours }).ToListAsync(ct);
        foreach (var test in tests.Where(t => t.LaunchedAt!.Value.AddHours(t.AbTestHours ?? 0) <= now))
        {
            changed += await DecideAbTestAsync(test.Id, force: false, system, ct) is null ? 0 : 1;
            db.ChangeTracker.Clear();
        }

        var finished = await db.MarketingActivities
            .Where(a => a.Status == ActivityStatus.Running && a.LaunchedAt != null && !a.IsPaused
                        && (a.Type == ActivityType.Email || a.Type == ActivityType.Sms)
                        && !db.OutboxMessages.Any(m => m.CampaignId == (long)a.Id && (m.State == OutboxState.Queued || m.State == OutboxState.Sending))
                        && !db.CampaignRecipients.Any(r => r.ActivityId == a.Id && r.AwaitingWinner))
            .ToListAsync(ct);
        foreach (var activity in finished)
        {
            activity.Status = ActivityStatus.Completed;
            activity.UpdatedAt = now;
            activity.UpdatedByName = system.Name;
            activity.Version++;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Changed by someone meanwhile (cancelled, paused): the next pass looks again.
                db.ChangeTracker.Clear();
                continue;
            }

            await audit.RecordAsync(AuditActions.StatusChange, AuditEntityTypes.MarketingActivity, Key(activity.Id),
                [new AuditChange(nameof(MarketingActivity.Status), ActivityStatus.Running.ToString(), ActivityStatus.Completed.ToString())], ct, system.ForAudit());
            await tx.CommitAsync(ct);
            LogCompleted(logger, activity.Id);
            changed++;
        }

        return changed;
    }

    /// <summary>The signed-in sales user's customers on running phone activities, uncalled first.</summary>
    public async Task<CallListViewModel> CallListAsync(string userId, bool onlyOpen, CancellationToken ct)
    {
        var mine = from r in db.CampaignRecipients.AsNoTracking()
                   join a in db.MarketingActivities.AsNoTracking() on r.ActivityId equals a.Id
                   where r.AssignedUserId == userId && a.Status == ActivityStatus.Running && a.Type == ActivityType.Phone
                   select new { r, a };
        var total = await mine.CountAsync(ct);
        var open = await mine.CountAsync(x => x.r.ContactedAt == null, ct);
        var rows = await (from x in onlyOpen ? mine.Where(x => x.r.ContactedAt == null) : mine
                          join c in db.Customers.AsNoTracking() on x.r.CustomerId equals c.Id
                          orderby x.a.Id, x.r.ContactedAt != null, c.NameKey, c.Id
                          select new CallListRowViewModel(x.a.Id, x.a.Name, c.Id, c.Name, c.Phone, x.r.ContactedAt))
            .Take(CallListPageSize).ToListAsync(ct);
        return new CallListViewModel { Rows = rows, OnlyOpen = onlyOpen, OpenCount = open, TotalCount = total };
    }

    public const int CallListPageSize = 500;

    private async Task<ExecutionOutcome> SetPausedAsync(int id, bool paused, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var activity = await db.MarketingActivities.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return ExecutionOutcome.NotFound;
        }

        if (activity.Status != ActivityStatus.Running || activity.LaunchedAt is null || !ActivityRules.IsDigital(activity.Type) || activity.IsPaused == paused)
        {
            return ExecutionOutcome.NotAllowed;
        }

        var now = time.GetUtcNow().UtcDateTime;
        activity.IsPaused = paused;
        activity.UpdatedAt = now;
        activity.UpdatedByName = actor.Name;
        activity.Version++;
        await db.SaveChangesAsync(ct);
        long campaignId = id;
        var queued = db.OutboxMessages.Where(m => m.CampaignId == campaignId && m.State == OutboxState.Queued);
        var held = HeldUntil;
        var affected = paused
            ? await queued.ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, held), ct)
            : await queued.Where(m => m.NextAttemptAt >= held).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now), ct);
        await audit.RecordAsync(paused ? AuditActions.CampaignPause : AuditActions.CampaignResume, AuditEntityTypes.MarketingActivity, Key(id),
            [new AuditChange(nameof(MarketingActivity.IsPaused), (!paused).ToString(), paused.ToString()), new AuditChange("Messages", null, Key(affected))],
            ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        LogPaused(logger, id, paused, affected);
        return ExecutionOutcome.Done;
    }

    private async Task<bool> ContentReadyAsync(MarketingActivity activity, CancellationToken ct)
    {
        if (activity.Type == ActivityType.Phone)
        {
            return true;
        }

        var channel = activity.Type == ActivityType.Email ? MessageChannel.Email : MessageChannel.Sms;
        var ids = activity.AbTestSharePercent is not null ? activity.Variants.Select(v => v.TemplateId).ToList()
            : activity.TemplateId is { } t ? [t] : [];
        if (ids.Count == 0 || (activity.AbTestSharePercent is not null && ids.Count < MarketingActivity.MinAbVariants))
        {
            return false;
        }

        return await db.MessageTemplates.CountAsync(m => ids.Contains(m.Id) && m.Channel == channel, ct) == ids.Distinct().Count();
    }

    private async Task<IReadOnlyList<string>> SalesUsersAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var wanted = ids.Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).ToList();
        return await db.Users.AsNoTracking()
            .Where(u => wanted.Contains(u.Id) && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Sales)))
            .OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
    }

    /// <summary>Address checks that SQL cannot do by itself: the outbox's address rules and the suppression list's
    /// hash of the normalised address. Registered on the launch's connection only.</summary>
    public static void RegisterFunctions(SqliteConnection connection)
    {
        connection.CreateFunction<long, string?, string?>("crm_outbox_address",
            (channel, address) => address is null ? null : OutboxService.NormalizeAddress((MessageChannel)channel, address), isDeterministic: true);
        connection.CreateFunction<long, string?, string?>("crm_address_hash",
            (channel, address) => address is null ? null : SuppressionService.Hash((MessageChannel)channel, address), isDeterministic: true);
    }

    /// <summary>The audience filter and holdout for a launch, as SQL over <c>Customers c</c> joined to the segment's
    /// members; parameters @activity, @segment, @holdout, @now. Public so the benchmark's hand-written baseline runs the
    /// same filter.</summary>
    public static string SnapshotSql(ActivityType type)
    {
        var (channel, address, consent) = type switch
        {
            ActivityType.Email => ((int)MessageChannel.Email, "c.Email", "c.EmailConsent"),
            ActivityType.Sms => ((int)MessageChannel.Sms, "c.Phone", "c.SmsConsent"),
            _ => ((int)MessageChannel.Sms, "c.Phone", null),
        };
        var consentFilter = consent is null ? string.Empty : $" AND {consent} = {(int)ConsentState.OptedIn}";
        // Phone calls need a number, not the SMS list's consent; unsubscribes from messages do not stop a call.
        var suppressionFilter = type == ActivityType.Phone ? string.Empty
            : $" AND NOT EXISTS (SELECT 1 FROM Suppressions s WHERE s.Channel = {channel} AND s.AddressHash = crm_address_hash({channel}, {address}))";
        return string.Create(CultureInfo.InvariantCulture,
            $"""
            INSERT INTO CampaignRecipients (ActivityId, CustomerId, "Group", VariantId, AwaitingWinner, OutboxMessageId, AssignedUserId, ContactedAt, CreatedAt)
            SELECT @activity, c.Id, CASE WHEN {InHoldoutSql("c.Id", "@activity", "@holdout")} THEN {(int)RecipientGroup.Holdout} ELSE {(int)RecipientGroup.Treatment} END,
                   NULL, 0, NULL, NULL, NULL, @now
            FROM SegmentMembers sm JOIN Customers c ON c.Id = sm.CustomerId
            WHERE sm.SegmentId = @segment AND c.IsArchived = 0{consentFilter}
              AND {address} IS NOT NULL AND crm_outbox_address({channel}, {address}) IS NOT NULL{suppressionFilter}
            ORDER BY c.Id
            ON CONFLICT (ActivityId, CustomerId) DO NOTHING
            """);
    }

    private async Task<int> SnapshotAsync(MarketingActivity activity, int segmentId, DateTime now, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = SnapshotSql(activity.Type);
        command.Parameters.Add(new SqliteParameter("@activity", activity.Id));
        command.Parameters.Add(new SqliteParameter("@segment", segmentId));
        command.Parameters.Add(new SqliteParameter("@holdout", activity.HoldoutPercent));
        command.Parameters.Add(new SqliteParameter("@now", now));
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The test share of the treatment group is spread evenly over the variants; the rest waits for the winner.</summary>
    private async Task SplitVariantsAsync(int activityId, int sharePercent, IReadOnlyList<int> variantIds, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = SplitVariantsSql(variantIds);
        command.Parameters.Add(new SqliteParameter("@activity", activityId));
        command.Parameters.Add(new SqliteParameter("@share", sharePercent));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Round robin over the callers in customer order, so each gets an even share (±1).</summary>
    private async Task AssignCallersAsync(int activityId, IReadOnlyList<string> callers, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var cases = string.Concat(callers.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $" WHEN {i} THEN @caller{i}")));
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            UPDATE CampaignRecipients
            SET AssignedUserId = CASE (x.rn - 1) % {callers.Count}{cases} END
            FROM (SELECT Id, ROW_NUMBER() OVER (ORDER BY CustomerId) AS rn FROM CampaignRecipients
                  WHERE ActivityId = @activity AND "Group" = {(int)RecipientGroup.Treatment}) AS x
            WHERE CampaignRecipients.Id = x.Id
            """);
        command.Parameters.Add(new SqliteParameter("@activity", activityId));
        for (var i = 0; i < callers.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter("@caller" + i.ToString(CultureInfo.InvariantCulture), callers[i]));
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Renders and writes the messages of the treatment recipients without one (those waiting for the A/B winner
    /// when <paramref name="waiting"/>), one batch of customers at a time: a batch is read, rendered, inserted through
    /// prepared commands, and its recipients are linked to their messages by one UPDATE on the idempotency key.
    /// Row ids are taken from the outbox's sequence under the transaction's write lock, because the tracking links
    /// inside each message name its row.</summary>
    private async Task<int> EnqueueAsync(MarketingActivity activity, bool waiting, Actor actor, DateTime now, CancellationToken ct)
    {
        var id = activity.Id;
        var channel = activity.Type == ActivityType.Email ? MessageChannel.Email : MessageChannel.Sms;
        var templateIds = activity.Variants.Select(v => v.TemplateId).Append(activity.TemplateId ?? 0).Distinct().ToList();
        var templates = await db.MessageTemplates.AsNoTracking().Where(t => templateIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var contentByVariant = activity.Variants.ToDictionary(v => v.Id, v => (templates[v.TemplateId].Id, MessageContent.From(templates[v.TemplateId]) with { IsMarketing = true }));
        if (activity.TemplateId is { } single && templates.TryGetValue(single, out var template))
        {
            contentByVariant[0] = (template.Id, MessageContent.From(template) with { IsMarketing = true });
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        var nextId = await NextOutboxIdAsync(connection, transaction, ct);
        var notBefore = activity.IsPaused ? HeldUntil : now;
        var fromAddress = smtp.Value.FromAddress;
        var batchSize = options.Value.LaunchBatchSize;
        var notBeforeText = OutboxRows.Text(notBefore);
        var nowText = OutboxRows.Text(now);
        var createdBy = HeaderText.SingleLine(actor.Name, OutboxMessage.CreatedByMaxLength);

        await using (var stage = connection.CreateCommand())
        {
            stage.Transaction = transaction;
            stage.CommandText = OutboxRows.CreateStageSql;
            await stage.ExecuteNonQueryAsync(ct);
        }

        await using var insert = new OutboxRows(connection);
        await using var move = connection.CreateCommand();
        move.Transaction = transaction;
        move.CommandText = OutboxRows.MoveSql;
        await move.PrepareAsync(ct);
        await using var link = LinkInsert(connection, transaction);
        await using var connect = connection.CreateCommand();
        connect.Transaction = transaction;
        connect.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            UPDATE CampaignRecipients
            SET OutboxMessageId = (SELECT o.Id FROM OutboxMessages o WHERE o.IdempotencyKey = 'campaign:' || CampaignRecipients.ActivityId || ':' || CampaignRecipients.CustomerId),
                AwaitingWinner = 0
            WHERE ActivityId = @activity AND "Group" = {(int)RecipientGroup.Treatment} AND OutboxMessageId IS NULL
              AND AwaitingWinner = {(waiting ? 1 : 0)} AND CustomerId > @from AND CustomerId <= @to
            """);
        var pActivity = connect.Parameters.Add(new SqliteParameter("@activity", id));
        var pFrom = connect.Parameters.Add(new SqliteParameter("@from", 0));
        var pTo = connect.Parameters.Add(new SqliteParameter("@to", 0));
        await link.PrepareAsync(ct);
        await connect.PrepareAsync(ct);

        // A pipeline of two stages: while this thread writes one batch, the next batch is already being rendered (merge
        // fields and signed links, CPU work independent per message) on the other cores. Writes stay on this thread.
        var queued = 0;
        var current = await ReadBatchAsync(0);
        var rendering = current is null ? null : RenderAsync(current);
        try
        {
            while (current is not null)
            {
                var next = await ReadBatchAsync(current.LastCustomerId);
                var composed = await rendering!;
                rendering = next is null ? null : RenderAsync(next);
                await WriteAsync(current, composed);
                queued += current.Work.Count;
                LogBatch(logger, id, current.Recipients);
                current = next;
            }
        }
        finally
        {
            if (rendering is not null)
            {
                // A failed write ends the launch (and rolls it back); let the batch being rendered finish first.
                await Task.WhenAny(rendering);
            }
        }

        return queued;

        async Task<LaunchBatch?> ReadBatchAsync(int after)
        {
            var rows = await (from r in db.CampaignRecipients.AsNoTracking()
                              join c in db.Customers.AsNoTracking() on r.CustomerId equals c.Id
                              where r.ActivityId == id && r.Group == RecipientGroup.Treatment && r.OutboxMessageId == null
                                    && r.AwaitingWinner == waiting && r.CustomerId > after
                              orderby r.CustomerId
                              select new
                              {
                                  r.VariantId,
                                  Recipient = new MessageRecipient(c.Id, c.Name, c.Email, c.Phone, c.City, c.Region, c.Country,
                                      c.FirstPurchaseAt, c.LastPurchaseAt, c.OrderCount, c.TotalSpent, c.EmailConsent, c.SmsConsent, c.IsArchived),
                              })
                .Take(batchSize).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return null;
            }

            var work = new List<LaunchMessage>(rows.Count);
            foreach (var row in rows)
            {
                var (templateId, content) = contentByVariant[row.VariantId ?? 0];
                var address = OutboxService.NormalizeAddress(channel, channel == MessageChannel.Email ? row.Recipient.Email : row.Recipient.Phone);
                if (address is not null)
                {
                    work.Add(new LaunchMessage(templateId, content, row.Recipient, address, nextId++));
                }
            }

            return new LaunchBatch(work, rows.Count, after, rows[^1].Recipient.Id);
        }

        Task<ComposedMessage[]> RenderAsync(LaunchBatch batch) => Task.Run(() =>
        {
            var work = batch.Work;
            var composed = new ComposedMessage[work.Count];
            Parallel.For(0, work.Count, new ParallelOptions { CancellationToken = ct }, i =>
                composed[i] = tracked.Compose(work[i].Content, work[i].Recipient, work[i].OutboxId, work[i].Recipient.Id, actor.Name));
            return composed;
        }, ct);

        async Task WriteAsync(LaunchBatch batch, ComposedMessage[] composed)
        {
            var work = batch.Work;
            for (var i = 0; i < work.Count; i++)
            {
                var w = work[i];
                insert.Add(connection,
                [
                    w.OutboxId, (int)channel, w.Recipient.Id, w.Address, HeaderText.SingleLine(w.Recipient.Name, OutboxMessage.NameMaxLength),
                    composed[i].Subject, composed[i].HtmlBody, composed[i].TextBody, OutboxService.NewMessageId(fromAddress), MessageKey(id, w.Recipient.Id),
                    1, composed[i].UnsubscribeUrl, w.TemplateId, id, (int)OutboxState.Queued, 0, notBeforeText, nowText, createdBy,
                ]);
            }

            // The staged rows go into the outbox in one statement, in id order, so SQLite appends to its indexes in bulk.
            await move.ExecuteNonQueryAsync(ct);
            for (var i = 0; i < work.Count; i++)
            {
                for (var index = 0; index < composed[i].Links.Count; index++)
                {
                    link.Parameters[0].Value = work[i].OutboxId;
                    link.Parameters[1].Value = index;
                    link.Parameters[2].Value = composed[i].Links[index];
                    await link.ExecuteNonQueryAsync(ct);
                }
            }

            pActivity.Value = id;
            pFrom.Value = batch.AfterCustomerId;
            pTo.Value = batch.LastCustomerId;
            await connect.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<long> NextOutboxIdAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT MAX(COALESCE((SELECT MAX(Id) FROM OutboxMessages), 0),
                       COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'OutboxMessages'), 0)) + 1
            """;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static SqliteCommand LinkInsert(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO MessageLinks (OutboxMessageId, \"Index\", Url) VALUES (@message, @index, @url)";
        command.Parameters.Add(new SqliteParameter("@message", 0L));
        command.Parameters.Add(new SqliteParameter("@index", 0));
        command.Parameters.Add(new SqliteParameter("@url", string.Empty));
        return command;
    }

    private static string Key(int value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Activity {ActivityId} launched: audience {Audience}, holdout {Holdout}, queued {Queued}")]
    private static partial void LogLaunched(ILogger logger, int activityId, int audience, int holdout, int queued);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Activity {ActivityId}: queued a batch of {Count} recipients")]
    private static partial void LogBatch(ILogger logger, int activityId, int count);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Activity {ActivityId} A/B winner {VariantId}; queued {Queued}")]
    private static partial void LogWinner(ILogger logger, int activityId, int variantId, int queued);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Scheduled launch of activity {ActivityId}: {Outcome}")]
    private static partial void LogScheduledLaunch(ILogger logger, int activityId, LaunchOutcome outcome);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Activity {ActivityId} completed")]
    private static partial void LogCompleted(ILogger logger, int activityId);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Information, Message = "Activity {ActivityId} paused: {Paused}; {Count} queued messages")]
    private static partial void LogPaused(ILogger logger, int activityId, bool paused, int count);
}

/// <summary>One message of a launch batch: its content, recipient, normalised address and chosen outbox row id.</summary>
internal sealed record LaunchMessage(int TemplateId, MessageContent Content, MessageRecipient Recipient, string Address, long OutboxId);

/// <summary>A batch of treatment recipients (customer ids after <see cref="AfterCustomerId"/> up to
/// <see cref="LastCustomerId"/>) and the messages of those with a usable address.</summary>
internal sealed record LaunchBatch(IReadOnlyList<LaunchMessage> Work, int Recipients, int AfterCustomerId, int LastCustomerId);

/// <summary>A variant's hits out of the rate's base (delivered messages, or contacted recipients for conversions).</summary>
public readonly record struct VariantRate(int Hits, int Base)
{
    /// <summary>A strictly better rate, compared exactly (cross-multiplied), so equal rates are a tie.</summary>
    public bool Beats(VariantRate other) => (long)Hits * other.Base > (long)other.Hits * Base
        || (other.Base == 0 && Base > 0 && Hits > 0);
}

/// <summary>A prepared INSERT into the launch's staging table bound by position through the SQLite handle of the launch's
/// connection (and transaction): bulk writers spend their time in SQLite rather than in per-statement and
/// per-parameter-name bookkeeping.</summary>
internal sealed class OutboxRows : IAsyncDisposable
{
    private static readonly string[] Columns =
    [
        "Id", "Channel", "CustomerId", "ToAddress", "ToName", "Subject", "HtmlBody", "TextBody", "MessageId", "IdempotencyKey",
        "IsMarketing", "UnsubscribeUrl", "TemplateId", "CampaignId", "State", "Attempts", "NextAttemptAt", "CreatedAt", "CreatedBy",
    ];

    private readonly sqlite3_stmt _statement;

    /// <summary>The staging table (connection-private, no indexes), emptied for this launch.</summary>
    public static readonly string CreateStageSql = "CREATE TEMP TABLE IF NOT EXISTS campaign_outbox (" + string.Join(", ", Columns) + "); DELETE FROM temp.campaign_outbox;";

    /// <summary>Moves the staged rows into the outbox and empties the stage.</summary>
    public static readonly string MoveSql = "INSERT INTO OutboxMessages (" + string.Join(", ", Columns) + ") SELECT " + string.Join(", ", Columns)
        + " FROM temp.campaign_outbox ORDER BY Id; DELETE FROM temp.campaign_outbox;";

    public OutboxRows(SqliteConnection connection)
    {
        var sql = "INSERT INTO temp.campaign_outbox (" + string.Join(", ", Columns) + ") VALUES (" + string.Join(", ", Columns.Select(_ => "?")) + ")";
        Check(connection, raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement));
    }

    /// <summary>A time as EF Core's SQLite provider stores it, for binding once rather than per row.</summary>
    public static string Text(DateTime value) => value.ToString(SqliteRowWriter.DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Writes one row; values in <see cref="Columns"/> order.</summary>
    public void Add(SqliteConnection connection, object?[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            var index = i + 1;
            var rc = row[i] switch
            {
                null => raw.sqlite3_bind_null(_statement, index),
                long l => raw.sqlite3_bind_int64(_statement, index, l),
                int n => raw.sqlite3_bind_int64(_statement, index, n),
                DateTime d => raw.sqlite3_bind_text(_statement, index, Text(d)),
                string text => raw.sqlite3_bind_text(_statement, index, text),
                var other => throw new ArgumentException("Unsupported value type " + other.GetType().Name, nameof(row)),
            };
            Check(connection, rc);
        }

        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE)
        {
            Check(connection, step);
        }
    }

    private static void Check(SqliteConnection connection, int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), rc);
        }
    }

    public ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }
}
