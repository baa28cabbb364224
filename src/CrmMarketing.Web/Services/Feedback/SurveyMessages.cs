using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Feedback;

public enum SurveyTemplateCheck
{
    Ok,
    NotFound,

    /// <summary>The template is for the other channel.</summary>
    WrongChannel,

    /// <summary>The template has no <c>{{survey_url}}</c>, so the recipient would get no link.</summary>
    NoSurveyUrl,
}

/// <summary>One survey invitation message: the recipient, the content (a template or the built-in text) and the
/// signed link that fills <c>{{survey_url}}</c>.</summary>
public sealed record SurveyMessage(
    SurveyInvitation Invitation, MessageRecipient Recipient, string Address, MessageContent Content, int? TemplateId, string Url,
    string IdempotencyKey, Actor Sender);

/// <summary>Turns survey invitations into outbox messages: a chosen message template of the channel with
/// <c>{{survey_url}}</c> filled with the recipient's signed link, or the built-in text in the invitation's language.
/// Everything goes through the same renderer as other messages (merge fields, unsubscribe link of marketing
/// messages, click tracking); the dispatcher sends after the caller's transaction commits.</summary>
public sealed class SurveyInvitationSender(
    CrmDbContext db, OutboxService outbox, TrackedOutbox tracked, MergeValueBuilder merge, IStringLocalizer<SharedResource> l,
    DisplayFormatter formatter)
{
    public Task<MessageRecipient?> FindRecipientAsync(int customerId, CancellationToken ct) => merge.FindRecipientAsync(customerId, ct);

    /// <summary>Loads a template for a survey invitation on <paramref name="channel"/> and checks that it can carry the link.</summary>
    public async Task<(SurveyTemplateCheck Check, MessageTemplate? Template)> LoadTemplateAsync(int templateId, InvitationChannel channel, CancellationToken ct)
    {
        var template = await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct);
        if (template is null)
        {
            return (SurveyTemplateCheck.NotFound, null);
        }

        if (template.Channel != ToMessageChannel(channel))
        {
            return (SurveyTemplateCheck.WrongChannel, template);
        }

        return (HasSurveyUrl(template) ? SurveyTemplateCheck.Ok : SurveyTemplateCheck.NoSurveyUrl, template);
    }

    /// <summary>Every body the recipient may read carries the link: the SMS text; the email's HTML and, when the
    /// template has its own plain-text part, that part too (the subject does not count).</summary>
    public static bool HasSurveyUrl(MessageTemplate template)
    {
        var parts = (template.Channel == MessageChannel.Sms ? [template.TextBody] : new[] { template.HtmlBody, template.TextBody })
            .Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count > 0 && parts.All(p => MergeFields.Parse(p).Any(f => f.Name == MergeFields.SurveyUrl));
    }

    public static MessageChannel ToMessageChannel(InvitationChannel channel) => channel == InvitationChannel.Sms ? MessageChannel.Sms : MessageChannel.Email;

    /// <summary>The built-in invitation in the invitation's language, as content with <c>{{survey_url}}</c>.</summary>
    public MessageContent BuiltIn(InvitationChannel channel, string culture, string customerName, DateTime expiresAt, bool isMarketing)
    {
        // Braces cannot turn part of a name into a merge field.
        var firstName = (SurveyService.FirstName(customerName) ?? customerName).Replace("{", string.Empty, StringComparison.Ordinal)
            .Replace("}", string.Empty, StringComparison.Ordinal);
        var link = "{{" + MergeFields.SurveyUrl + "}}";
        var (subject, body, sms) = InCulture(culture, () =>
        (
            l["A quick question from us"].Value,
            string.Join("\n\n", l["Hello {0},", firstName].Value, l["How did we do? Please answer one short question here:"].Value + "\n" + link,
                l["The link works until {0}. Thank you!", formatter.Date(expiresAt)].Value),
            l["How did we do? One short question: {0}", link].Value
        ));
        return channel == InvitationChannel.Sms
            ? new MessageContent(MessageChannel.Sms, null, null, sms, isMarketing, TrackingEnabled: false)
            : new MessageContent(MessageChannel.Email, subject, null, body, isMarketing, TrackingEnabled: false);
    }

    /// <summary>Queues one invitation and saves it, inside the caller's transaction.</summary>
    public async Task QueueAsync(SurveyMessage message, CancellationToken ct)
    {
        var row = Add(outbox, message);
        await db.SaveChangesAsync(ct);
        Fill(row, message);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds the outbox row of an invitation to the context (not saved, not yet rendered: the unsubscribe and
    /// tracking links name the row, so <see cref="Fill"/> runs after the save that gives it its id).</summary>
    public static OutboxMessage Add(OutboxService queue, SurveyMessage message) => queue.Enqueue(new OutboxRequest
    {
        Channel = message.Content.Channel,
        ToAddress = message.Address,
        ToName = message.Recipient.Name,
        Subject = message.Content.Channel == MessageChannel.Email ? "-" : null,
        TextBody = string.Empty,
        IdempotencyKey = message.IdempotencyKey,
        CustomerId = message.Recipient.Id,
        IsMarketing = message.Content.IsMarketing,
        TemplateId = message.TemplateId,
        CampaignId = message.Invitation.CampaignId,
        CreatedBy = message.Sender.Name,
    });

    /// <summary>Renders the message into its saved row, with the signed link as <c>{{survey_url}}</c>.</summary>
    public void Fill(OutboxMessage row, SurveyMessage message) => tracked.Fill(row, new PersonalMessage(
        message.Content, message.Recipient, message.Address, message.Recipient.Name, MergeValuesSource.Customer, message.IdempotencyKey,
        message.Sender, ForCustomer: true, message.TemplateId, new Dictionary<string, string?> { [MergeFields.SurveyUrl] = message.Url }));

    /// <summary>Resource lookups follow the current UI culture; the message follows the recipient's instead.</summary>
    internal static T InCulture<T>(string culture, Func<T> read)
    {
        var previous = CultureInfo.CurrentUICulture;
        var previousFormat = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            return read();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
            CultureInfo.CurrentCulture = previousFormat;
        }
    }
}

/// <summary>E-mails the assignee of a new follow-up (when <see cref="FeedbackOptions.EmailAssignee"/> is on).</summary>
public sealed class FollowUpMailer(CrmDbContext db, OutboxService outbox, IStringLocalizer<SharedResource> l, DisplayFormatter formatter,
    IOptions<FeedbackOptions> options)
{
    /// <summary>Adds the message to the context; the caller's SaveChanges writes it with the task.</summary>
    public async Task QueueAsync(FollowUpTask task, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == task.AssigneeUserId)
            .Select(u => new { u.Email, u.DisplayName }).SingleOrDefaultAsync(ct);
        if (user?.Email is null)
        {
            return;
        }

        var link = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? "/FollowUps" : options.Value.PublicBaseUrl.TrimEnd('/') + "/FollowUps";
        outbox.Enqueue(new OutboxRequest
        {
            Channel = MessageChannel.Email,
            ToAddress = user.Email,
            ToName = user.DisplayName,
            Subject = l["Follow-up due {0}: {1}", formatter.Date(task.DueAt), task.Reason].Value,
            TextBody = l["A customer gave a low score ({0}). Please get back to them by {1}.", task.Reason, formatter.Date(task.DueAt)].Value
                + "\n\n" + l["Your follow-ups: {0}", link].Value,
            IdempotencyKey = "follow-up:" + task.Id.ToString(CultureInfo.InvariantCulture),
            IsMarketing = false,
            CreatedBy = "system",
        });
    }
}
