using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Segments;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.ViewModels.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Feedback;

public enum SurveySendOutcome
{
    Sent,
    SurveyNotFound,
    SurveyInactive,
    SegmentNotFound,
    TemplateNotFound,
    TemplateWrongChannel,
    TemplateWithoutSurveyUrl,
    ActivityNotFound,
}

/// <param name="Repeated">The form's key had been sent before: nothing new was queued for customers already invited.</param>
public sealed record SurveySendResult(SurveySendOutcome Outcome, int SendId = 0, int SurveyId = 0, int Queued = 0, int Skipped = 0, bool Repeated = false);

/// <summary>Sends a survey to the members of a saved segment as a campaign: one invitation (signed link) and one
/// outbox message per eligible member, written in batches of <see cref="BatchSize"/> with one transaction per batch and
/// never more than a batch in memory. The audience is the segment's stored members minus archived customers, those
/// without consent or a valid address on the channel, and suppressed addresses. The send is idempotent: its form key
/// names one <see cref="SurveySend"/>, members it has invited are skipped, and each invitation is written in the same
/// transaction as its outbox message, whose unique key <c>survey:{surveyId}:{customerId}:{sendId}</c> stops a concurrent
/// duplicate; so a retried or interrupted request continues where it stopped and sends nobody twice.</summary>
public sealed partial class SurveySendService(
    CrmDbContext db,
    TimeProvider time,
    SurveyTokens tokens,
    SurveyService surveys,
    SurveyInvitationSender sender,
    SegmentService segments,
    IOptions<FeedbackOptions> options,
    IOptions<SmtpOptions> smtp,
    AuditService audit,
    ILogger<SurveySendService> logger)
{
    public const int BatchSize = 500;
    private const int MaxBatchRetries = 3;

    public async Task<SurveySendViewModel> GetFormAsync(SurveySendFormModel? form, int? surveyId, CancellationToken ct)
    {
        form ??= new SurveySendFormModel { SurveyId = surveyId };
        if (string.IsNullOrEmpty(form.Key))
        {
            form.Key = NewKey();
        }

        return new SurveySendViewModel
        {
            Surveys = await surveys.ActiveChoicesAsync(ct),
            Segments = await db.Segments.AsNoTracking().OrderBy(s => s.Name).Take(500)
                .Select(s => new SegmentChoice(s.Id, s.Name, s.MemberCount)).ToListAsync(ct),
            Templates = await surveys.TemplateChoicesAsync(ct),
            Activities = await db.MarketingActivities.AsNoTracking()
                .Where(a => a.Status != ActivityStatus.Cancelled && a.Status != ActivityStatus.Completed)
                .OrderByDescending(a => a.StartDate).ThenBy(a => a.Name).Take(200)
                .Select(a => new ActivityChoice(a.Id, a.Name)).ToListAsync(ct),
            Form = form,
        };
    }

    public static string NewKey() => Guid.NewGuid().ToString("N");

    public async Task<SurveySendResult> SendAsync(SurveySendFormModel form, string requestBaseUrl, Actor actor, CancellationToken ct)
    {
        var existing = await db.SurveySends.AsNoTracking().SingleOrDefaultAsync(s => s.Key == form.Key, ct);
        if (existing?.CompletedAt is not null)
        {
            return new SurveySendResult(SurveySendOutcome.Sent, existing.Id, existing.SurveyId, existing.QueuedCount, existing.SkippedCount, Repeated: true);
        }

        // A send that stopped half-way continues with what it was started with, whatever the form says now.
        var surveyId = existing?.SurveyId ?? form.SurveyId.GetValueOrDefault();
        var segmentId = existing is null ? form.SegmentId.GetValueOrDefault() : existing.SegmentId.GetValueOrDefault();
        var channel = existing?.Channel ?? form.Channel;
        var templateId = existing is null ? form.TemplateId : existing.TemplateId;
        var campaignId = existing is null ? form.CampaignId : existing.CampaignId;

        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId).Select(s => new { s.IsActive }).SingleOrDefaultAsync(ct);
        if (survey is null)
        {
            return new SurveySendResult(SurveySendOutcome.SurveyNotFound);
        }

        if (!survey.IsActive)
        {
            return new SurveySendResult(SurveySendOutcome.SurveyInactive, SurveyId: surveyId);
        }

        var segmentName = await db.Segments.AsNoTracking().Where(s => s.Id == segmentId).Select(s => s.Name).SingleOrDefaultAsync(ct);
        if (segmentName is null)
        {
            return new SurveySendResult(SurveySendOutcome.SegmentNotFound, SurveyId: surveyId);
        }

        MessageTemplate? template = null;
        if (templateId is { } tid)
        {
            var (check, found) = await sender.LoadTemplateAsync(tid, channel, ct);
            switch (check)
            {
                case SurveyTemplateCheck.NotFound:
                    return new SurveySendResult(SurveySendOutcome.TemplateNotFound, SurveyId: surveyId);
                case SurveyTemplateCheck.WrongChannel:
                    return new SurveySendResult(SurveySendOutcome.TemplateWrongChannel, SurveyId: surveyId);
                case SurveyTemplateCheck.NoSurveyUrl:
                    return new SurveySendResult(SurveySendOutcome.TemplateWithoutSurveyUrl, SurveyId: surveyId);
            }

            template = found;
        }

        if (campaignId is { } cid && !await db.MarketingActivities.AnyAsync(a => a.Id == cid, ct))
        {
            return new SurveySendResult(SurveySendOutcome.ActivityNotFound, SurveyId: surveyId);
        }

        var send = existing ?? await StartAsync(form, surveyId, segmentId, segmentName, actor, ct);
        var repeated = existing is not null || send.CreatedByName is null;
        var queued = await QueueAllAsync(send, template, requestBaseUrl, actor, ct);

        var total = await db.SurveyInvitations.CountAsync(i => i.SendId == send.Id, ct);
        var skipped = Math.Max(0, send.MemberCount - total);
        var now = time.GetUtcNow().UtcDateTime;
        await db.SurveySends.Where(s => s.Id == send.Id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.QueuedCount, total)
            .SetProperty(s => s.SkippedCount, skipped)
            .SetProperty(s => s.CompletedAt, now), ct);
        LogSent(logger, send.Id, surveyId, segmentId, queued, total, skipped);
        return new SurveySendResult(SurveySendOutcome.Sent, send.Id, surveyId, total, skipped, repeated);
    }

    /// <summary>Creates the send row for a new form key. When a concurrent submission of the same form created it
    /// first, that row is returned (with no creator name, so the caller reports a repeat).</summary>
    private async Task<SurveySend> StartAsync(SurveySendFormModel form, int surveyId, int segmentId, string segmentName, Actor actor, CancellationToken ct)
    {
        var send = new SurveySend
        {
            Key = form.Key,
            SurveyId = surveyId,
            SegmentId = segmentId,
            SegmentName = segmentName,
            Channel = form.Channel,
            TemplateId = form.TemplateId,
            CampaignId = form.CampaignId,
            Culture = form.Culture == "en" ? "en" : "zh-Hans",
            MemberCount = await segments.MemberIds(segmentId).CountAsync(ct),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedByName = actor.Name,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SurveySends.Add(send);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            var winner = await db.SurveySends.AsNoTracking().SingleOrDefaultAsync(s => s.Key == form.Key, ct);
            if (winner is null)
            {
                throw;
            }

            winner.CreatedByName = null;
            return winner;
        }

        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.SurveySend, Key(send.Id),
            [new("SurveyId", null, Key(surveyId)), new("SegmentId", null, Key(segmentId)), new("Channel", null, send.Channel.ToString()),
             new("TemplateId", null, send.TemplateId?.ToString(CultureInfo.InvariantCulture)), new("CampaignId", null, send.CampaignId?.ToString(CultureInfo.InvariantCulture)),
             new("Members", null, Key(send.MemberCount))],
            ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return send;
    }

    /// <summary>The customers of the send's segment that may receive it and have not been invited by it yet. Suppressed
    /// addresses are hashed, so they are checked per batch (<see cref="QueueBatchAsync"/>).</summary>
    public IQueryable<Customer> Audience(SurveySend send)
    {
        var members = segments.MemberIds(send.SegmentId.GetValueOrDefault());
        var customers = db.Customers.AsNoTracking().Where(c => members.Contains(c.Id) && !c.IsArchived);
        customers = send.Channel == InvitationChannel.Sms
            ? customers.Where(c => c.Phone != null && c.Phone != "" && c.SmsConsent == ConsentState.OptedIn)
            : customers.Where(c => c.Email != null && c.Email != "" && c.EmailConsent == ConsentState.OptedIn);
        var sendId = send.Id;
        return customers.Where(c => !db.SurveyInvitations.Any(i => i.SendId == sendId && i.CustomerId == c.Id));
    }

    private async Task<int> QueueAllAsync(SurveySend send, MessageTemplate? template, string requestBaseUrl, Actor actor, CancellationToken ct)
    {
        var queued = 0;
        var lastId = 0;
        var retries = 0;
        while (true)
        {
            var batch = await Audience(send).Where(c => c.Id > lastId).OrderBy(c => c.Id).Take(BatchSize)
                .Select(MergeValueBuilder.Projection)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return queued;
            }

            var written = await QueueBatchAsync(send, batch, template, requestBaseUrl, actor, ct);
            if (written is null && ++retries <= MaxBatchRetries)
            {
                // A concurrent submission of the same form wrote part of this batch; read it again without those.
                continue;
            }

            queued += written ?? 0;
            retries = 0;
            lastId = batch[^1].Id;
        }
    }

    /// <summary>One batch in one transaction: invitations and outbox messages saved, then rendered with the rows' ids
    /// (unsubscribe and tracking links), then saved again. Null when a concurrent writer got there first.</summary>
    private async Task<int?> QueueBatchAsync(SurveySend send, IReadOnlyList<MessageRecipient> batch, MessageTemplate? template,
        string requestBaseUrl, Actor actor, CancellationToken ct)
    {
        var channel = SurveyInvitationSender.ToMessageChannel(send.Channel);
        var candidates = batch
            .Select(r => (Recipient: r, Address: OutboxService.NormalizeAddress(channel, send.Channel == InvitationChannel.Sms ? r.Phone : r.Email)))
            .Where(x => x.Address is not null)
            .Select(x => (x.Recipient, Address: x.Address!, Hash: SuppressionService.Hash(channel, x.Address!)))
            .ToList();
        var hashes = candidates.Select(c => c.Hash).ToList();
        var suppressed = (await db.Suppressions.AsNoTracking().Where(s => s.Channel == channel && hashes.Contains(s.AddressHash))
            .Select(s => s.AddressHash).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        var now = time.GetUtcNow().UtcDateTime;
        var expiresAt = now.AddDays(options.Value.InvitationValidDays);
        // A queue per batch: the outbox service remembers every message it added, and a send must not hold them all.
        var queue = new OutboxService(db, time, smtp);
        var messages = new List<(OutboxMessage Row, SurveyMessage Message)>(candidates.Count);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            foreach (var (recipient, address, _) in candidates.Where(c => !suppressed.Contains(c.Hash)))
            {
                var invitation = new SurveyInvitation
                {
                    SurveyId = send.SurveyId,
                    CustomerId = recipient.Id,
                    TokenId = SurveyTokens.NewTokenId(),
                    Channel = send.Channel,
                    Culture = send.Culture,
                    CampaignId = send.CampaignId,
                    SendId = send.Id,
                    CreatedAt = now,
                    ExpiresAt = expiresAt,
                    CreatedByName = actor.Name,
                };
                db.SurveyInvitations.Add(invitation);
                var content = template is null
                    ? sender.BuiltIn(send.Channel, send.Culture, recipient.Name, expiresAt, isMarketing: true)
                    : MessageContent.From(template) with { IsMarketing = true };
                var url = surveys.BuildUrl(requestBaseUrl, tokens.Protect(invitation.TokenId, expiresAt));
                var message = new SurveyMessage(invitation, recipient, address, content, template?.Id, url,
                    string.Create(CultureInfo.InvariantCulture, $"survey:{send.SurveyId}:{recipient.Id}:{send.Id}"), actor);
                messages.Add((SurveyInvitationSender.Add(queue, message), message));
            }

            await db.SaveChangesAsync(ct);
            foreach (var (row, message) in messages)
            {
                sender.Fill(row, message);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return messages.Count;
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct);
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey send {SendId} of survey {SurveyId} to segment {SegmentId}: {Queued} queued now, {Total} in all, {Skipped} skipped")]
    private static partial void LogSent(ILogger logger, int sendId, int surveyId, int segmentId, int queued, int total, int skipped);
}
