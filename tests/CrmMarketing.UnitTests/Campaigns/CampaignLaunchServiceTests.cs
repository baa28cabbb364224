using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using static CrmMarketing.UnitTests.Campaigns.CampaignLaunchHarness;

namespace CrmMarketing.UnitTests.Campaigns;

public sealed class CampaignLaunchServiceTests : IDisposable
{
    private static readonly Actor Marketer = new("marketer-1", "marketer@test.local");
    private readonly TestDatabase _database = new();
    private readonly FixedTimeProvider _time = new(TestServices.Now);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task LaunchAsync_ExcludesArchivedUnconsentedSuppressedAndAddressless_QueuesOneMessagePerRemainingMember()
    {
        var ok = await _database.AddCustomerAsync("Ok", c => { c.Email = "ok@mail.test"; c.EmailConsent = ConsentState.OptedIn; });
        var archived = await _database.AddCustomerAsync("Archived", c => { c.Email = "arch@mail.test"; c.EmailConsent = ConsentState.OptedIn; c.IsArchived = true; });
        var noConsent = await _database.AddCustomerAsync("No consent", c => { c.Email = "nc@mail.test"; c.EmailConsent = ConsentState.OptedOut; });
        var suppressed = await _database.AddCustomerAsync("Suppressed", c => { c.Email = "Sup@Mail.test"; c.EmailConsent = ConsentState.OptedIn; });
        var noAddress = await _database.AddCustomerAsync("No address", c => { c.Email = null; c.EmailConsent = ConsentState.OptedIn; });
        await using var db = _database.CreateContext();
        await new SuppressionService(db, _time).AddAsync(MessageChannel.Email, "sup@mail.test", SuppressionReason.Unsubscribed, default);
        var segment = await SegmentAsync(db, [ok.Id, archived.Id, noConsent.Id, suppressed.Id, noAddress.Id]);
        var id = await ActivityAsync(db, ActivityType.Email, segment, await TemplateAsync(db));

        var result = await Launcher(db, _time).LaunchAsync(id, [], Marketer, default);

        Assert.Equal(LaunchOutcome.Launched, result.Outcome);
        Assert.Equal(1, result.Audience);
        var recipient = Assert.Single(await db.CampaignRecipients.AsNoTracking().ToListAsync());
        Assert.Equal(ok.Id, recipient.CustomerId);
        var message = Assert.Single(await db.OutboxMessages.AsNoTracking().ToListAsync());
        Assert.Equal(message.Id, recipient.OutboxMessageId);
        Assert.Equal("ok@mail.test", message.ToAddress);
        Assert.Equal("Hello Ok", message.Subject);
        Assert.Equal(CampaignLaunchService.MessageKey(id, ok.Id), message.IdempotencyKey);
        Assert.Equal(id, message.CampaignId);
        Assert.True(message.IsMarketing);
        Assert.NotNull(message.UnsubscribeUrl);
        var activity = await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal(ActivityStatus.Running, activity.Status);
        Assert.Equal(1, activity.AudienceCount);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.CampaignLaunch && e.EntityId == id.ToString()));
    }

    [Fact]
    public async Task LaunchAsync_Holdout_IsDeterministicAndWithinOnePointFiveOfTheShare()
    {
        await using var db = _database.CreateContext();
        var customers = await ContactableCustomersAsync(db, 10_000);
        var segment = await SegmentAsync(db, customers);
        var template = await TemplateAsync(db);
        var id = await ActivityAsync(db, ActivityType.Email, segment, template, holdout: 20);

        await Launcher(db, _time, batchSize: 2500).LaunchAsync(id, [], Marketer, default);
        var first = await HoldoutIdsAsync(db, id);
        // Launch again from scratch: the same customers must be held out.
        await db.CampaignRecipients.Where(r => r.ActivityId == id).ExecuteDeleteAsync();
        await db.OutboxMessages.ExecuteDeleteAsync();
        await db.MarketingActivities.Where(a => a.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.LaunchedAt, (DateTime?)null).SetProperty(a => a.Status, ActivityStatus.Draft));
        db.ChangeTracker.Clear();
        var again = await Launcher(db, _time, batchSize: 2500).LaunchAsync(id, [], Marketer, default);
        var second = await HoldoutIdsAsync(db, id);

        Assert.Equal(first, second);
        Assert.InRange(first.Count / 100.0, 20 - 1.5, 20 + 1.5);
        Assert.Equal(10_000, again.Audience);
        Assert.Equal(first.Count, again.Holdout);
        Assert.Equal(10_000 - first.Count, await db.OutboxMessages.CountAsync());
        Assert.False(await db.CampaignRecipients.AnyAsync(r => r.Group == RecipientGroup.Holdout && r.OutboxMessageId != null));
        Assert.False(await db.CampaignRecipients.AnyAsync(r => r.Group == RecipientGroup.Treatment && r.OutboxMessageId == null));
    }

    [Fact]
    public async Task LaunchAsync_ManyBatches_EveryMessageCarriesItsOwnRecipientsContentLinksAndToken()
    {
        await using var db = _database.CreateContext();
        var customers = await ContactableCustomersAsync(db, 103, prefix: "p");
        var segment = await SegmentAsync(db, customers);
        var id = await ActivityAsync(db, ActivityType.Email, segment, await TemplateAsync(db, tracking: true));

        // Batches of 7: rendering of one batch overlaps the writing of the one before.
        var result = await Launcher(db, _time, batchSize: 7).LaunchAsync(id, [], Marketer, default);

        Assert.Equal(103, result.Queued);
        var tokens = new CrmMarketing.Web.Services.Tracking.TrackingTokens(TestServices.DataProtection, _time,
            Microsoft.Extensions.Options.Options.Create(new CrmMarketing.Web.Options.TrackingOptions { PublicBaseUrl = "https://crm.test" }));
        var rows = await (from r in db.CampaignRecipients.AsNoTracking()
                          join m in db.OutboxMessages.AsNoTracking() on r.OutboxMessageId equals m.Id
                          join c in db.Customers.AsNoTracking() on r.CustomerId equals c.Id
                          where r.ActivityId == id
                          select new { r.CustomerId, c.Name, c.Email, Message = m }).ToListAsync();
        Assert.Equal(103, rows.Count);
        var links = await db.MessageLinks.AsNoTracking().ToListAsync();
        foreach (var row in rows)
        {
            Assert.Equal(row.CustomerId, row.Message.CustomerId);
            Assert.Equal(row.Email, row.Message.ToAddress);
            Assert.Equal("Hello " + row.Name, row.Message.Subject);
            Assert.Contains("Dear " + row.Name + ",", row.Message.HtmlBody, StringComparison.Ordinal);
            var token = tokens.ReadUnsubscribe(row.Message.UnsubscribeUrl!["https://crm.test/unsubscribe/".Length..]);
            Assert.Equal(new CrmMarketing.Web.Services.Tracking.UnsubscribeToken(row.CustomerId, MessageChannel.Email, row.Message.Id), token);
            var link = Assert.Single(links, l => l.OutboxMessageId == row.Message.Id);
            Assert.Equal("https://shop.test/sale", link.Url);
        }

        Assert.Equal(103, rows.Select(r => r.Message.Id).Distinct().Count());
    }

    [Fact]
    public async Task LaunchAsync_Twice_SecondIsRefusedAndQueuesNothing()
    {
        await using var db = _database.CreateContext();
        var segment = await SegmentAsync(db, await ContactableCustomersAsync(db, 5));
        var id = await ActivityAsync(db, ActivityType.Email, segment, await TemplateAsync(db));

        var first = await Launcher(db, _time).LaunchAsync(id, [], Marketer, default);
        db.ChangeTracker.Clear();
        var second = await Launcher(db, _time).LaunchAsync(id, [], Marketer, default);

        Assert.Equal(LaunchOutcome.Launched, first.Outcome);
        Assert.Equal(LaunchOutcome.AlreadyLaunched, second.Outcome);
        Assert.Equal(5, await db.OutboxMessages.CountAsync());
        Assert.Equal(5, await db.CampaignRecipients.CountAsync());
    }

    [Fact]
    public async Task LaunchAsync_NobodyContactable_ReportsEmptyAudienceAndChangesNothing()
    {
        var c = await _database.AddCustomerAsync("Opted out", x => { x.Email = "out@mail.test"; x.EmailConsent = ConsentState.OptedOut; });
        await using var db = _database.CreateContext();
        var id = await ActivityAsync(db, ActivityType.Email, await SegmentAsync(db, [c.Id]), await TemplateAsync(db));

        var result = await Launcher(db, _time).LaunchAsync(id, [], Marketer, default);

        Assert.Equal(LaunchOutcome.EmptyAudience, result.Outcome);
        var activity = await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal(ActivityStatus.Draft, activity.Status);
        Assert.Null(activity.LaunchedAt);
        Assert.False(await db.CampaignRecipients.AnyAsync());
        Assert.False(await db.OutboxMessages.AnyAsync());
    }

    [Fact]
    public async Task LaunchAsync_SmsWithAnEmailTemplate_IsNotReady()
    {
        await using var db = _database.CreateContext();
        var id = await ActivityAsync(db, ActivityType.Sms, await SegmentAsync(db, await ContactableCustomersAsync(db, 2)), await TemplateAsync(db));

        var result = await Launcher(db, _time).LaunchAsync(id, [], Marketer, default);

        Assert.Equal(LaunchOutcome.NotReady, result.Outcome);
        Assert.False(await db.OutboxMessages.AnyAsync());
    }

    [Fact]
    public async Task PauseResumeAndCancel_HoldReleaseAndCancelTheQueuedMessages()
    {
        await using var db = _database.CreateContext();
        var id = await ActivityAsync(db, ActivityType.Email, await SegmentAsync(db, await ContactableCustomersAsync(db, 3)), await TemplateAsync(db));
        var launcher = Launcher(db, _time);
        await launcher.LaunchAsync(id, [], Marketer, default);
        db.ChangeTracker.Clear();

        Assert.Equal(ExecutionOutcome.Done, await launcher.PauseAsync(id, Marketer, default));
        Assert.All(await db.OutboxMessages.AsNoTracking().ToListAsync(), m => Assert.Equal(CampaignLaunchService.HeldUntil, m.NextAttemptAt));
        Assert.Equal(ExecutionOutcome.NotAllowed, await launcher.PauseAsync(id, Marketer, default));
        db.ChangeTracker.Clear();

        _time.Now += TimeSpan.FromMinutes(5);
        Assert.Equal(ExecutionOutcome.Done, await launcher.ResumeAsync(id, Marketer, default));
        Assert.All(await db.OutboxMessages.AsNoTracking().ToListAsync(), m => Assert.Equal(_time.Now.UtcDateTime, m.NextAttemptAt));
        db.ChangeTracker.Clear();

        var cancelled = await TestServices.Campaigns(db, _time).SetStatusAsync(id, ActivityStatus.Cancelled, Marketer, default);

        Assert.Equal(ActivityOutcome.Saved, cancelled.Outcome);
        Assert.All(await db.OutboxMessages.AsNoTracking().ToListAsync(), m => Assert.Equal(OutboxState.Cancelled, m.State));
        Assert.Equal(ActivityStatus.Cancelled, (await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == id)).Status);
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => (e.Action == AuditActions.CampaignPause || e.Action == AuditActions.CampaignResume) && e.EntityId == id.ToString()));
    }

    [Fact]
    public async Task SetStatusAsync_RunningForAnEmailActivity_MustGoThroughLaunch()
    {
        await using var db = _database.CreateContext();
        var id = await ActivityAsync(db, ActivityType.Email, await SegmentAsync(db, []), null, configure: a => a.Status = ActivityStatus.Scheduled);

        var result = await TestServices.Campaigns(db, _time).SetStatusAsync(id, ActivityStatus.Running, Marketer, default);

        Assert.Equal(ActivityOutcome.UseLaunch, result.Outcome);
    }

    [Fact]
    public async Task LaunchAsync_AbTest_SplitsTheTestShareEvenlyAndHoldsTheRestForTheWinner()
    {
        await using var db = _database.CreateContext();
        var segment = await SegmentAsync(db, await ContactableCustomersAsync(db, 2000));
        var (a, b) = (await TemplateAsync(db, subject: "A {{name}}"), await TemplateAsync(db, subject: "B {{name}}"));
        var id = await ActivityAsync(db, ActivityType.Email, segment, null, configure: x =>
        {
            x.AbTestSharePercent = 30;
            x.AbTestHours = 4;
            x.AbWinnerMetric = AbWinnerMetric.Open;
            x.Variants = [new ActivityVariant { Label = "A", TemplateId = a }, new ActivityVariant { Label = "B", TemplateId = b }];
        });

        var result = await Launcher(db, _time).LaunchAsync(id, [], Marketer, default);

        var byVariant = await db.CampaignRecipients.Where(r => !r.AwaitingWinner).GroupBy(r => r.VariantId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Assert.Equal(2, byVariant.Count);
        Assert.InRange(byVariant.Sum(v => v.Count), 2000 * 0.30 * 0.9, 2000 * 0.30 * 1.1);
        Assert.InRange(Math.Abs(byVariant[0].Count - byVariant[1].Count), 0, 60);
        Assert.Equal(byVariant.Sum(v => v.Count), result.Queued);
        Assert.False(await db.CampaignRecipients.AnyAsync(r => r.AwaitingWinner && (r.OutboxMessageId != null || r.VariantId != null)));
        Assert.Equal(2000 - result.Queued, await db.CampaignRecipients.CountAsync(r => r.AwaitingWinner));
    }

    [Fact]
    public async Task DecideAbTestAsync_BetterOpenRateWins_AndTheRestGetsTheWinnerOnce()
    {
        await using var db = _database.CreateContext();
        var segment = await SegmentAsync(db, await ContactableCustomersAsync(db, 400));
        var (a, b) = (await TemplateAsync(db, subject: "A {{name}}"), await TemplateAsync(db, subject: "B {{name}}"));
        var id = await ActivityAsync(db, ActivityType.Email, segment, null, configure: x =>
        {
            x.AbTestSharePercent = 50;
            x.AbTestHours = 4;
            x.Variants = [new ActivityVariant { Label = "A", TemplateId = a }, new ActivityVariant { Label = "B", TemplateId = b }];
        });
        var launcher = Launcher(db, _time);
        await launcher.LaunchAsync(id, [], Marketer, default);
        db.ChangeTracker.Clear();
        var variantB = await db.ActivityVariants.Where(v => v.ActivityId == id && v.Label == "B").Select(v => v.Id).SingleAsync();
        // The test messages went out (rates are per delivered message).
        await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sent).SetProperty(m => m.SentAt, _time.Now.UtcDateTime));
        var bMessages = await db.CampaignRecipients.Where(r => r.VariantId == variantB).Select(r => r.OutboxMessageId!.Value).Take(20).ToListAsync();
        db.MessageEvents.AddRange(bMessages.Select(m => new MessageEvent { OutboxMessageId = m, Type = MessageEventType.Open, OccurredAt = _time.Now.UtcDateTime }));
        // Bot opens do not count: many on A would otherwise make it win.
        var aMessages = await db.CampaignRecipients.Where(r => r.VariantId != variantB && r.OutboxMessageId != null).Select(r => r.OutboxMessageId!.Value).Take(60).ToListAsync();
        db.MessageEvents.AddRange(aMessages.Select(m => new MessageEvent { OutboxMessageId = m, Type = MessageEventType.Open, OccurredAt = _time.Now.UtcDateTime, IsSuspectedBot = true }));
        await db.SaveChangesAsync();
        var waiting = await db.CampaignRecipients.CountAsync(r => r.AwaitingWinner);

        Assert.Null(await launcher.DecideAbTestAsync(id, force: false, Marketer, default));
        db.ChangeTracker.Clear();
        _time.Now += TimeSpan.FromHours(4);
        var decision = await launcher.DecideAbTestAsync(id, force: false, Marketer, default);
        db.ChangeTracker.Clear();
        var again = await launcher.DecideAbTestAsync(id, force: true, Marketer, default);

        Assert.NotNull(decision);
        Assert.Equal("B", decision.Label);
        Assert.Equal(waiting, decision.Queued);
        Assert.Null(again);
        Assert.False(await db.CampaignRecipients.AnyAsync(r => r.AwaitingWinner || r.OutboxMessageId == null));
        Assert.Equal(400, await db.OutboxMessages.CountAsync());
        var onB = await db.CampaignRecipients.CountAsync(r => r.VariantId == variantB);
        Assert.True(onB > waiting);
        Assert.Equal(onB, await db.OutboxMessages.CountAsync(m => m.TemplateId == b));
        var activity = await db.MarketingActivities.AsNoTracking().SingleAsync(x => x.Id == id);
        Assert.Equal(variantB, activity.AbWinnerVariantId);
        Assert.NotNull(activity.AbDecidedAt);
    }

    [Fact]
    public async Task DecideAbTestAsync_ConversionMetric_CountsOnlyGoalPurchasesWithinTheWindow()
    {
        await using var db = _database.CreateContext();
        var segment = await SegmentAsync(db, await ContactableCustomersAsync(db, 200));
        var (a, b) = (await TemplateAsync(db), await TemplateAsync(db));
        var id = await ActivityAsync(db, ActivityType.Email, segment, null, configure: x =>
        {
            x.AbTestSharePercent = 50;
            x.AbTestHours = 1;
            x.AbWinnerMetric = AbWinnerMetric.Conversion;
            x.ConversionWindowDays = 7;
            x.Variants = [new ActivityVariant { Label = "A", TemplateId = a }, new ActivityVariant { Label = "B", TemplateId = b }];
        });
        var launcher = Launcher(db, _time);
        await launcher.LaunchAsync(id, [], Marketer, default);
        db.ChangeTracker.Clear();
        var sentAt = _time.Now.UtcDateTime;
        await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sent).SetProperty(m => m.SentAt, sentAt));
        await db.CampaignRecipients.Where(r => r.OutboxMessageId != null).ExecuteUpdateAsync(s => s.SetProperty(r => r.ContactedAt, sentAt));
        var tested = await db.CampaignRecipients.Where(r => r.VariantId != null && !r.AwaitingWinner)
            .Join(db.ActivityVariants, r => r.VariantId, v => v.Id, (r, v) => new { r.CustomerId, v.Label }).ToListAsync();
        // Ten of A's test recipients buy, but ten days after the message: outside the seven-day window. Three of B's buy
        // within it.
        foreach (var (customer, days) in tested.Where(t => t.Label == "A").Take(10).Select(t => (t.CustomerId, 10))
                     .Concat(tested.Where(t => t.Label == "B").Take(3).Select(t => (t.CustomerId, 2))))
        {
            db.Purchases.Add(new Purchase
            {
                OrderNumber = "AB-" + customer,
                CustomerId = customer,
                PurchasedAt = sentAt.AddDays(days),
                Total = 50m,
                CreatedAt = sentAt,
            });
        }

        await db.SaveChangesAsync();
        _time.Now += TimeSpan.FromDays(11);

        var decision = await launcher.DecideAbTestAsync(id, force: false, Marketer, default);

        Assert.Equal("B", decision?.Label);
    }

    [Fact]
    public async Task DecideAbTestAsync_Tie_GoesToTheLowestLabel()
    {
        await using var db = _database.CreateContext();
        var segment = await SegmentAsync(db, await ContactableCustomersAsync(db, 100));
        var templates = new[] { await TemplateAsync(db), await TemplateAsync(db), await TemplateAsync(db) };
        var id = await ActivityAsync(db, ActivityType.Email, segment, null, configure: x =>
        {
            x.AbTestSharePercent = 50;
            x.AbTestHours = 1;
            x.AbWinnerMetric = AbWinnerMetric.Click;
            x.Variants = [.. templates.Select((t, i) => new ActivityVariant { Label = ActivityRules.VariantLabel(2 - i), TemplateId = t })];
        });
        var launcher = Launcher(db, _time);
        await launcher.LaunchAsync(id, [], Marketer, default);
        db.ChangeTracker.Clear();

        var decision = await launcher.DecideAbTestAsync(id, force: true, Marketer, default);

        Assert.Equal("A", decision?.Label);
        Assert.Equal(3, await db.CampaignRecipients.Where(r => r.VariantId != null).Select(r => r.VariantId).Distinct().CountAsync());
    }

    [Fact]
    public async Task LaunchAsync_Phone_SplitsTheCallListRoundRobinAndAReachingCallCountsAsContact()
    {
        await using var db = _database.CreateContext();
        foreach (var user in new[] { "sales-a", "sales-b", "sales-c" })
        {
            await AddUserAsync(db, user, Roles.Sales);
        }

        await AddUserAsync(db, "marketer-x", Roles.Marketer);
        var customers = await ContactableCustomersAsync(db, 10);
        var id = await ActivityAsync(db, ActivityType.Phone, await SegmentAsync(db, customers), null);

        var refused = await Launcher(db, _time).LaunchAsync(id, ["marketer-x"], Marketer, default);
        var result = await Launcher(db, _time).LaunchAsync(id, ["sales-a", "sales-b", "sales-c", "sales-a", "marketer-x"], Marketer, default);

        Assert.Equal(LaunchOutcome.NoCallers, refused.Outcome);
        Assert.Equal(LaunchOutcome.Launched, result.Outcome);
        var split = await db.CampaignRecipients.GroupBy(r => r.AssignedUserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!, g => g.Count);
        Assert.Equal(new Dictionary<string, int> { ["sales-a"] = 4, ["sales-b"] = 3, ["sales-c"] = 3 }, split);
        Assert.False(await db.OutboxMessages.AnyAsync());

        var target = await db.CampaignRecipients.AsNoTracking().FirstAsync(r => r.AssignedUserId == "sales-b");
        var calls = TestServices.Calls(db, _time);
        await calls.LogAsync(target.CustomerId, new CallFormModel { Outcome = CallOutcome.NoAnswer }, new Actor("sales-b", "sales-b"), default);
        Assert.Null((await db.CampaignRecipients.AsNoTracking().SingleAsync(r => r.Id == target.Id)).ContactedAt);
        await calls.LogAsync(target.CustomerId, new CallFormModel { Outcome = CallOutcome.Reached }, new Actor("sales-a", "sales-a"), default);
        Assert.Null((await db.CampaignRecipients.AsNoTracking().SingleAsync(r => r.Id == target.Id)).ContactedAt);
        await calls.LogAsync(target.CustomerId, new CallFormModel { Outcome = CallOutcome.Reached }, new Actor("sales-b", "sales-b"), default);
        Assert.Equal(_time.Now.UtcDateTime, (await db.CampaignRecipients.AsNoTracking().SingleAsync(r => r.Id == target.Id)).ContactedAt);

        var list = await Launcher(db, _time).CallListAsync("sales-b", onlyOpen: true, default);
        Assert.Equal(3, list.TotalCount);
        Assert.Equal(2, list.OpenCount);
        Assert.DoesNotContain(list.Rows, r => r.CustomerId == target.CustomerId);
    }

    [Fact]
    public async Task RunDueAsync_LaunchesDueScheduledActivitiesOnly()
    {
        await using var db = _database.CreateContext();
        var segment = await SegmentAsync(db, await ContactableCustomersAsync(db, 3));
        var template = await TemplateAsync(db);
        var due = await ActivityAsync(db, ActivityType.Email, segment, template, configure: a => { a.Status = ActivityStatus.Scheduled; a.LaunchAt = _time.Now.UtcDateTime.AddMinutes(-1); });
        var later = await ActivityAsync(db, ActivityType.Email, segment, template, configure: a => { a.Status = ActivityStatus.Scheduled; a.LaunchAt = _time.Now.UtcDateTime.AddHours(1); });

        await Launcher(db, _time).RunDueAsync(default);

        Assert.NotNull((await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == due)).LaunchedAt);
        Assert.Null((await db.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == later)).LaunchedAt);
        Assert.Equal(3, await db.OutboxMessages.CountAsync(m => m.CampaignId == due));
    }

    private static async Task<List<int>> HoldoutIdsAsync(Web.Data.CrmDbContext db, int activityId) =>
        await db.CampaignRecipients.Where(r => r.ActivityId == activityId && r.Group == RecipientGroup.Holdout)
            .OrderBy(r => r.CustomerId).Select(r => r.CustomerId).ToListAsync();
}
