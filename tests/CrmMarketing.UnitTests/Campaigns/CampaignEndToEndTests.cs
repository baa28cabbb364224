using CrmMarketing.UnitTests.Messaging;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Customers;
using Microsoft.EntityFrameworkCore;
using static CrmMarketing.UnitTests.Campaigns.CampaignLaunchHarness;

namespace CrmMarketing.UnitTests.Campaigns;

/// <summary>Launch to a segment, then the real dispatcher against a real SMTP server on a loopback port.</summary>
public sealed class CampaignEndToEndTests : IAsyncLifetime
{
    private readonly OutboxHarness _outbox = new();
    private readonly SmtpTestServer _server = new();

    public Task InitializeAsync()
    {
        _outbox.Smtp.Port = _server.Port;
        _outbox.Outbox.BatchSize = 500;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _outbox.DisposeAsync();
    }

    [Fact]
    public async Task LaunchThenDispatch_EveryTreatmentMemberGetsExactlyOneEmail_AndNoHoldoutMemberDoes()
    {
        await _server.StartAsync();
        int id;
        await using (var db = _outbox.CreateContext())
        {
            var segment = await SegmentAsync(db, await ContactableCustomersAsync(db, 120));
            id = await ActivityAsync(db, ActivityType.Email, segment, await TemplateAsync(db, tracking: true), holdout: 25);
            var result = await Launcher(db, _outbox.Time, batchSize: 50, smtp: _outbox.Smtp).LaunchAsync(id, [], new Actor("m", "marketer"), default);
            Assert.Equal(LaunchOutcome.Launched, result.Outcome);
            Assert.InRange(result.Holdout, 1, 119);
        }

        var dispatcher = _outbox.Dispatcher();
        while (await dispatcher.DispatchDueAsync(CancellationToken.None) > 0)
        {
        }

        await dispatcher.CloseIdleSessionsAsync();

        await using var check = _outbox.CreateContext();
        var recipients = await check.CampaignRecipients.AsNoTracking().Where(r => r.ActivityId == id)
            .Join(check.Customers, r => r.CustomerId, c => c.Id, (r, c) => new { r.Group, c.Email, c.Name, r.ContactedAt }).ToListAsync();
        var received = _server.Received.SelectMany(m => m.To.Mailboxes.Select(b => b.Address)).ToList();
        var treatment = recipients.Where(r => r.Group == RecipientGroup.Treatment).Select(r => r.Email!).Order().ToList();
        Assert.Equal(treatment, received.Order().ToList());
        Assert.DoesNotContain(recipients.Where(r => r.Group == RecipientGroup.Holdout), r => received.Contains(r.Email!));
        Assert.All(recipients.Where(r => r.Group == RecipientGroup.Treatment), r => Assert.Equal(_outbox.Time.Now.UtcDateTime, r.ContactedAt));
        Assert.All(recipients.Where(r => r.Group == RecipientGroup.Holdout), r => Assert.Null(r.ContactedAt));
        var sample = _server.Received.First();
        Assert.StartsWith("Hello c ", sample.Subject, StringComparison.Ordinal);
        Assert.Contains("/t/o/", sample.HtmlBody, StringComparison.Ordinal);
        Assert.NotNull(sample.Headers["List-Unsubscribe"]);

        var progress = await Launcher(check, _outbox.Time).ProgressAsync(id, default);
        Assert.Equal(treatment.Count, progress!.Sent);
        Assert.Equal(100, progress.Percent);
        Assert.Equal(1, await Launcher(check, _outbox.Time).RunDueAsync(default));
        Assert.Equal(ActivityStatus.Completed, (await check.MarketingActivities.AsNoTracking().SingleAsync(a => a.Id == id)).Status);
    }

    [Fact]
    public async Task Dispatch_PausedCampaign_SendsNothingUntilResumed()
    {
        await _server.StartAsync();
        int id;
        await using (var db = _outbox.CreateContext())
        {
            id = await ActivityAsync(db, ActivityType.Email, await SegmentAsync(db, await ContactableCustomersAsync(db, 4)), await TemplateAsync(db));
            var launcher = Launcher(db, _outbox.Time, smtp: _outbox.Smtp);
            await launcher.LaunchAsync(id, [], new Actor("m", "marketer"), default);
            db.ChangeTracker.Clear();
            await launcher.PauseAsync(id, new Actor("m", "marketer"), default);
        }

        var dispatcher = _outbox.Dispatcher();
        _outbox.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Empty(_server.Received);

        await using (var db = _outbox.CreateContext())
        {
            await Launcher(db, _outbox.Time).ResumeAsync(id, new Actor("m", "marketer"), default);
        }

        Assert.Equal(4, await dispatcher.DispatchDueAsync(CancellationToken.None));
        await dispatcher.CloseIdleSessionsAsync();
        Assert.Equal(4, _server.Received.Count);
    }
}
