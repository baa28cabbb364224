using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.ViewModels.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.Web.Services.Feedback;

public enum SurveyOutcome
{
    Saved,
    NotFound,
    UnknownCustomer,
    Inactive,
    NoEmail,
    NoPhone,
    TemplateNotFound,

    /// <summary>The template is for the other channel.</summary>
    TemplateWrongChannel,

    /// <summary>The template has no <c>{{survey_url}}</c>.</summary>
    TemplateWithoutSurveyUrl,

    /// <summary>A marketing invitation to a customer who has not opted in on the channel (or is archived).</summary>
    NoConsent,

    /// <summary>The address is on the suppression list.</summary>
    Suppressed,
}

public sealed record SurveyInviteResult(SurveyOutcome Outcome, string? Url = null, int CustomerId = 0);

public enum SurveyAnswerOutcome
{
    Saved,
    Invalid,
    Expired,
    AlreadyAnswered,
    Closed,
    ScoreOutOfRange,
}

/// <summary>Survey definitions, per-customer invitations with signed links, and the public answers that
/// become <see cref="FeedbackEntity"/> rows (channel Survey) linked to the survey and campaign.</summary>
public sealed partial class SurveyService(
    CrmDbContext db, TimeProvider time, SurveyTokens tokens, IOptions<FeedbackOptions> options, AuditService audit,
    FollowUpService followUps, SurveyInvitationSender sender, SuppressionService suppressions, ILogger<SurveyService> logger)
{
    public const string PublicPathPrefix = "/s/";

    public async Task<SurveyListViewModel> ListAsync(CancellationToken ct)
    {
        var rows = await db.Surveys.AsNoTracking().OrderByDescending(s => s.IsActive).ThenBy(s => s.Name)
            .Select(s => new SurveyRowViewModel(s.Id, s.Name, s.Type, s.IsActive,
                db.SurveyInvitations.Count(i => i.SurveyId == s.Id),
                db.SurveyInvitations.Count(i => i.SurveyId == s.Id && i.AnsweredAt != null),
                s.CreatedAt))
            .Take(500).ToListAsync(ct);
        return new SurveyListViewModel { Rows = rows };
    }

    public async Task<IReadOnlyList<SurveyChoice>> ActiveChoicesAsync(CancellationToken ct) =>
        await db.Surveys.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).Take(200)
            .Select(s => new SurveyChoice(s.Id, s.Name)).ToListAsync(ct);

    /// <summary>Templates that can carry a survey link (they mention <c>{{survey_url}}</c>), by channel and name. The send
    /// checks the template again (<see cref="SurveyInvitationSender.HasSurveyUrl"/>).</summary>
    public async Task<IReadOnlyList<SurveyTemplateChoice>> TemplateChoicesAsync(CancellationToken ct) =>
        await db.MessageTemplates.AsNoTracking()
            .Where(t => (t.HtmlBody != null && t.HtmlBody.Contains(MergeFields.SurveyUrl)) || (t.TextBody != null && t.TextBody.Contains(MergeFields.SurveyUrl)))
            .OrderBy(t => t.Channel).ThenBy(t => t.Name).Take(200)
            .Select(t => new SurveyTemplateChoice(t.Id, t.Name, t.Channel, t.IsMarketing)).ToListAsync(ct);

    public async Task<SurveyInviteCardViewModel?> GetInviteCardAsync(int customerId, CancellationToken ct)
    {
        var contact = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { HasEmail = c.Email != null, HasPhone = c.Phone != null }).SingleOrDefaultAsync(ct);
        return contact is null ? null : new SurveyInviteCardViewModel(customerId, await ActiveChoicesAsync(ct), contact.HasEmail, contact.HasPhone)
        {
            Templates = await TemplateChoicesAsync(ct),
        };
    }

    public async Task<SurveyEditViewModel?> GetForEditAsync(int id, CancellationToken ct)
    {
        var form = await db.Surveys.AsNoTracking().Where(s => s.Id == id).Select(s => new SurveyFormModel
        {
            Name = s.Name,
            Type = s.Type,
            Category = s.Category,
            QuestionEn = s.QuestionEn,
            QuestionZh = s.QuestionZh,
            AskComment = s.AskComment,
            ExtraQuestionEn = s.ExtraQuestionEn,
            ExtraQuestionZh = s.ExtraQuestionZh,
            IsActive = s.IsActive,
        }).SingleOrDefaultAsync(ct);
        return form is null ? null : new SurveyEditViewModel { Id = id, Form = form };
    }

    public async Task<int> CreateAsync(SurveyFormModel form, Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var survey = new Survey { CreatedAt = now, CreatedByName = actor.Name };
        Apply(survey, form, now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.Survey, Key(survey.Id),
            [new("Name", null, survey.Name), new("Type", null, survey.Type.ToString())], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return survey.Id;
    }

    public async Task<SurveyOutcome> UpdateAsync(int id, SurveyFormModel form, Actor actor, CancellationToken ct)
    {
        var survey = await db.Surveys.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null)
        {
            return SurveyOutcome.NotFound;
        }

        // Answers already given keep their meaning: the scale of a survey with answers cannot change.
        if (survey.Type != form.Type && await db.Feedback.AnyAsync(f => f.SurveyId == id, ct))
        {
            form.Type = survey.Type;
        }

        var before = (survey.Name, survey.Type, survey.IsActive);
        Apply(survey, form, time.GetUtcNow().UtcDateTime);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.Survey, Key(id),
            [new("Name", before.Name, survey.Name), new("Type", before.Type.ToString(), survey.Type.ToString()),
             new("IsActive", before.IsActive.ToString(), survey.IsActive.ToString())], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return SurveyOutcome.Saved;
    }

    private static void Apply(Survey survey, SurveyFormModel form, DateTime now)
    {
        survey.Name = form.Name.Trim();
        survey.Type = form.Type;
        survey.Category = form.Category;
        survey.QuestionEn = form.QuestionEn.Trim();
        survey.QuestionZh = form.QuestionZh.Trim();
        survey.AskComment = form.AskComment;
        survey.ExtraQuestionEn = string.IsNullOrWhiteSpace(form.ExtraQuestionEn) ? null : form.ExtraQuestionEn.Trim();
        survey.ExtraQuestionZh = string.IsNullOrWhiteSpace(form.ExtraQuestionZh) ? null : form.ExtraQuestionZh.Trim();
        survey.IsActive = form.IsActive;
        survey.UpdatedAt = now;
    }

    public async Task<SurveyDetailsViewModel?> GetDetailsAsync(int id, SurveyInviteFormModel? invite, CancellationToken ct)
    {
        var survey = await db.Surveys.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (survey is null)
        {
            return null;
        }

        var counts = await db.SurveyInvitations.AsNoTracking().Where(i => i.SurveyId == id).GroupBy(_ => 1)
            .Select(g => new { Invited = g.Count(), Answered = g.Sum(i => i.AnsweredAt != null ? 1 : 0) })
            .SingleOrDefaultAsync(ct);
        var answers = await db.Feedback.AsNoTracking().Where(f => f.SurveyId == id).GroupBy(_ => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Sum = g.Sum(f => f.Score),
                Promoters = g.Sum(f => f.Score >= Satisfaction.PromoterScore ? 1 : 0),
                Detractors = g.Sum(f => f.Score <= Satisfaction.DetractorMaxScore ? 1 : 0),
                Satisfied = g.Sum(f => f.Score >= FeedbackEntity.SatisfiedScore ? 1 : 0),
            })
            .SingleOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var invitations = await db.SurveyInvitations.AsNoTracking().Where(i => i.SurveyId == id)
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(50)
            .Select(i => new SurveyInvitationRowViewModel(i.Id, i.CustomerId,
                db.Customers.Where(c => c.Id == i.CustomerId).Select(c => c.Name).FirstOrDefault() ?? string.Empty,
                i.Channel, i.Culture, i.CreatedAt, i.ExpiresAt, i.AnsweredAt,
                db.Feedback.Where(f => f.Id == i.FeedbackId).Select(f => (int?)f.Score).FirstOrDefault(),
                i.AnsweredAt == null && i.ExpiresAt <= now))
            .ToListAsync(ct);

        double? headline = null;
        if (answers is { Count: > 0 })
        {
            headline = survey.Type == ScoreScale.Nps
                ? Satisfaction.Nps(answers.Promoters, answers.Detractors, answers.Count)
                : 100.0 * answers.Satisfied / answers.Count;
        }

        return new SurveyDetailsViewModel
        {
            Id = survey.Id,
            Name = survey.Name,
            Type = survey.Type,
            Category = survey.Category,
            IsActive = survey.IsActive,
            QuestionEn = survey.QuestionEn,
            QuestionZh = survey.QuestionZh,
            AskComment = survey.AskComment,
            ExtraQuestionEn = survey.ExtraQuestionEn,
            ExtraQuestionZh = survey.ExtraQuestionZh,
            Invited = counts?.Invited ?? 0,
            Answered = counts?.Answered ?? 0,
            AverageScore = answers is { Count: > 0 } ? (double)answers.Sum / answers.Count : null,
            Headline = headline,
            Invitations = invitations,
            Invite = invite ?? new SurveyInviteFormModel(),
            Templates = await TemplateChoicesAsync(ct),
            Sends = await db.SurveySends.AsNoTracking().Where(s => s.SurveyId == id).OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(20)
                .Select(s => new SurveySendRowViewModel(s.Id, s.SegmentName, s.Channel,
                    db.MessageTemplates.Where(t => t.Id == s.TemplateId).Select(t => t.Name).FirstOrDefault(),
                    s.CampaignId, db.MarketingActivities.Where(a => a.Id == s.CampaignId).Select(a => a.Name).FirstOrDefault(),
                    s.MemberCount, s.QueuedCount, s.SkippedCount, s.CreatedAt, s.CompletedAt, s.CreatedByName))
                .ToListAsync(ct),
        };
    }

    /// <summary>Invites one customer: stores the invitation, builds the signed link and, for e-mail or SMS,
    /// queues the message in the same transaction. <paramref name="campaignId"/> links the answer to a campaign.</summary>
    /// <param name="requestBaseUrl">scheme://host[/pathbase] of the current request, used when
    /// <see cref="FeedbackOptions.PublicBaseUrl"/> is not configured.</param>
    public async Task<SurveyInviteResult> InviteAsync(int surveyId, SurveyInviteFormModel form, string requestBaseUrl, Actor actor,
        CancellationToken ct, int? campaignId = null)
    {
        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId)
            .Select(s => new { s.Id, s.IsActive, s.Name }).SingleOrDefaultAsync(ct);
        if (survey is null)
        {
            return new(SurveyOutcome.NotFound);
        }

        if (!survey.IsActive)
        {
            return new(SurveyOutcome.Inactive);
        }

        var customerId = form.CustomerId.GetValueOrDefault();
        var customer = await sender.FindRecipientAsync(customerId, ct);
        if (customer is null)
        {
            return new(SurveyOutcome.UnknownCustomer);
        }

        var email = form.Channel == InvitationChannel.Email;
        var address = email ? customer.Email : customer.Phone;
        if (form.Channel != InvitationChannel.Link
            && (string.IsNullOrWhiteSpace(address) || OutboxService.NormalizeAddress(SurveyInvitationSender.ToMessageChannel(form.Channel), address) is null))
        {
            return new(email ? SurveyOutcome.NoEmail : SurveyOutcome.NoPhone, CustomerId: customerId);
        }

        MessageTemplate? template = null;
        if (form.Channel != InvitationChannel.Link && form.TemplateId is { } templateId)
        {
            var (check, found) = await sender.LoadTemplateAsync(templateId, form.Channel, ct);
            var problem = check switch
            {
                SurveyTemplateCheck.NotFound => SurveyOutcome.TemplateNotFound,
                SurveyTemplateCheck.WrongChannel => SurveyOutcome.TemplateWrongChannel,
                SurveyTemplateCheck.NoSurveyUrl => SurveyOutcome.TemplateWithoutSurveyUrl,
                _ => (SurveyOutcome?)null,
            };
            if (problem is { } refused)
            {
                return new(refused, CustomerId: customerId);
            }

            template = found;
        }

        // One customer asked by staff is service mail; a marketing template or a campaign needs consent.
        var marketing = campaignId is not null || template?.IsMarketing == true;
        if (marketing && form.Channel != InvitationChannel.Link)
        {
            var consent = email ? customer.EmailConsent : customer.SmsConsent;
            if (consent != ConsentState.OptedIn || customer.IsArchived)
            {
                return new(SurveyOutcome.NoConsent, CustomerId: customerId);
            }

            if (await suppressions.IsSuppressedAsync(SurveyInvitationSender.ToMessageChannel(form.Channel), address!, ct))
            {
                return new(SurveyOutcome.Suppressed, CustomerId: customerId);
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var invitation = new SurveyInvitation
        {
            SurveyId = surveyId,
            CustomerId = customerId,
            TokenId = SurveyTokens.NewTokenId(),
            Channel = form.Channel,
            Culture = form.Culture == "en" ? "en" : "zh-Hans",
            CampaignId = campaignId,
            CreatedAt = now,
            ExpiresAt = now.AddDays(options.Value.InvitationValidDays),
            CreatedByName = actor.Name,
        };
        var url = BuildUrl(requestBaseUrl, tokens.Protect(invitation.TokenId, invitation.ExpiresAt));

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SurveyInvitations.Add(invitation);
        await db.SaveChangesAsync(ct);
        if (form.Channel != InvitationChannel.Link)
        {
            var content = template is null
                ? sender.BuiltIn(form.Channel, invitation.Culture, customer.Name, invitation.ExpiresAt, marketing)
                : MessageContent.From(template) with { IsMarketing = marketing };
            await sender.QueueAsync(new SurveyMessage(invitation, customer, address!, content, template?.Id, url,
                "survey-invitation:" + Key(invitation.Id), actor), ct);
        }

        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.SurveyInvitation, Key(invitation.Id),
            [new("SurveyId", null, Key(surveyId)), new("CustomerId", null, Key(customerId)), new("Channel", null, form.Channel.ToString())],
            ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        LogInvited(logger, invitation.Id, surveyId, customerId, form.Channel);
        return new(SurveyOutcome.Saved, url, customerId);
    }

    /// <summary>The public link for a signed token: <see cref="FeedbackOptions.PublicBaseUrl"/>, or the current request's base.</summary>
    public string BuildUrl(string requestBaseUrl, string token)
    {
        var baseUrl = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? requestBaseUrl : options.Value.PublicBaseUrl;
        return baseUrl.TrimEnd('/') + PublicPathPrefix + Uri.EscapeDataString(token);
    }

    /// <summary>The invitation's language when the token is good; null otherwise (the page then shows its error).</summary>
    public async Task<string?> GetCultureAsync(string token, CancellationToken ct)
    {
        if (tokens.Read(token, out var tokenId) == SurveyTokenStatus.Invalid)
        {
            return null;
        }

        return await db.SurveyInvitations.AsNoTracking().Where(i => i.TokenId == tokenId).Select(i => i.Culture).SingleOrDefaultAsync(ct);
    }

    public async Task<SurveyPageViewModel> GetPageAsync(string token, SurveyAnswerFormModel? form, bool chinese, CancellationToken ct)
    {
        var (state, invitation) = await CheckAsync(token, ct);
        if (state != SurveyPageState.Open || invitation is null)
        {
            return new SurveyPageViewModel { State = state };
        }

        var page = await db.Surveys.AsNoTracking().Where(s => s.Id == invitation.SurveyId)
            .Select(s => new
            {
                s.Type,
                s.AskComment,
                Question = chinese ? s.QuestionZh : s.QuestionEn,
                Extra = chinese ? s.ExtraQuestionZh : s.ExtraQuestionEn,
                CustomerName = db.Customers.Where(c => c.Id == invitation.CustomerId).Select(c => c.Name).FirstOrDefault(),
            })
            .SingleAsync(ct);
        return new SurveyPageViewModel
        {
            State = SurveyPageState.Open,
            Token = token,
            FirstName = FirstName(page.CustomerName),
            Type = page.Type,
            Question = page.Question,
            AskComment = page.AskComment,
            ExtraQuestion = page.Extra,
            Form = form ?? new SurveyAnswerFormModel(),
        };
    }

    private async Task<(SurveyPageState State, SurveyInvitation? Invitation)> CheckAsync(string token, CancellationToken ct)
    {
        var status = tokens.Read(token, out var tokenId);
        if (status == SurveyTokenStatus.Invalid)
        {
            return (SurveyPageState.Invalid, null);
        }

        var invitation = await db.SurveyInvitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenId == tokenId, ct);
        if (invitation is null)
        {
            return (SurveyPageState.Invalid, null);
        }

        if (invitation.AnsweredAt is not null)
        {
            return (SurveyPageState.Answered, invitation);
        }

        if (status == SurveyTokenStatus.Expired || invitation.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return (SurveyPageState.Expired, invitation);
        }

        var active = await db.Surveys.AsNoTracking().Where(s => s.Id == invitation.SurveyId).Select(s => s.IsActive).SingleAsync(ct);
        return (active ? SurveyPageState.Open : SurveyPageState.Closed, invitation);
    }

    /// <summary>Records the one answer a token allows. Two simultaneous submissions cannot both win: the
    /// invitation is claimed with a conditional update before the feedback row is written.</summary>
    public async Task<SurveyAnswerOutcome> AnswerAsync(string token, SurveyAnswerFormModel form, CancellationToken ct)
    {
        var (state, invitation) = await CheckAsync(token, ct);
        switch (state)
        {
            case SurveyPageState.Invalid:
                return SurveyAnswerOutcome.Invalid;
            case SurveyPageState.Expired:
                return SurveyAnswerOutcome.Expired;
            case SurveyPageState.Answered:
                return SurveyAnswerOutcome.AlreadyAnswered;
            case SurveyPageState.Closed:
                return SurveyAnswerOutcome.Closed;
        }

        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.Id == invitation!.SurveyId, ct);
        var score = form.Score.GetValueOrDefault(-1);
        var (min, max) = FeedbackEntity.Range(survey.Type);
        if (score < min || score > max)
        {
            return SurveyAnswerOutcome.ScoreOutOfRange;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.SurveyInvitations.Where(i => i.Id == invitation!.Id && i.AnsweredAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AnsweredAt, now), ct);
        if (claimed == 0)
        {
            return SurveyAnswerOutcome.AlreadyAnswered;
        }

        var entry = new FeedbackEntity
        {
            CustomerId = invitation!.CustomerId,
            Score = score,
            Scale = survey.Type,
            Content = survey.AskComment ? form.Comment?.Trim() ?? string.Empty : string.Empty,
            ExtraAnswer = survey.ExtraQuestionEn is null || string.IsNullOrWhiteSpace(form.ExtraAnswer) ? null : form.ExtraAnswer.Trim(),
            Channel = FeedbackChannel.Survey,
            Category = survey.Category,
            Status = FeedbackStatus.New,
            SurveyId = survey.Id,
            CampaignId = invitation.CampaignId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Feedback.Add(entry);
        await db.SaveChangesAsync(ct);
        await db.SurveyInvitations.Where(i => i.Id == invitation.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.FeedbackId, entry.Id), ct);
        await audit.RecordAsync(AuditActions.Create, AuditEntityTypes.Feedback, Key(entry.Id),
            [new("CustomerId", null, Key(entry.CustomerId)), new("SurveyId", null, Key(survey.Id)), new("Score", null, Key(score))],
            ct, new AuditActor(null, "survey"));
        await followUps.OpenIfLowAsync(entry, ct);
        await tx.CommitAsync(ct);
        LogAnswered(logger, invitation.Id, entry.Id);
        return SurveyAnswerOutcome.Saved;
    }

    /// <summary>What the public page may call the customer: the first word of a Latin name, or the given name
    /// (all but the one-character surname) of a Chinese one; nothing when the name is too short to split.</summary>
    public static string? FirstName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            return trimmed[..space];
        }

        var isHan = trimmed.All(c => c is >= '\u4E00' and <= '\u9FFF');
        return isHan ? (trimmed.Length >= 2 ? trimmed[1..] : null) : trimmed;
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey invitation {InvitationId} for survey {SurveyId} and customer {CustomerId} by {Channel}")]
    private static partial void LogInvited(ILogger logger, int invitationId, int surveyId, int customerId, InvitationChannel channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey invitation {InvitationId} answered as feedback {FeedbackId}")]
    private static partial void LogAnswered(ILogger logger, int invitationId, int feedbackId);
}
