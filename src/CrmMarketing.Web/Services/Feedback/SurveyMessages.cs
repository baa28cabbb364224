using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Feedback;

/// <summary>Queues a survey invitation in the outbox, in the invitation's language, with the signed link.
/// The dispatcher sends it after the caller's transaction commits.</summary>
public sealed class SurveyInvitationSender(CrmDbContext db, OutboxService outbox, IStringLocalizer<SharedResource> l, DisplayFormatter formatter)
{
    public async Task QueueAsync(SurveyInvitation invitation, string customerName, string? email, string? phone, string url, CancellationToken ct)
    {
        var firstName = SurveyService.FirstName(customerName) ?? customerName;
        var (subject, body, sms) = InCulture(invitation.Culture, () =>
        (
            l["A quick question from us"].Value,
            string.Join("\n\n", l["Hello {0},", firstName].Value, l["How did we do? Please answer one short question here:"].Value + "\n" + url,
                l["The link works until {0}. Thank you!", formatter.Date(invitation.ExpiresAt)].Value),
            l["How did we do? One short question: {0}", url].Value
        ));
        var request = new OutboxRequest
        {
            Channel = invitation.Channel == InvitationChannel.Sms ? MessageChannel.Sms : MessageChannel.Email,
            ToAddress = (invitation.Channel == InvitationChannel.Sms ? phone : email)!,
            ToName = customerName,
            Subject = invitation.Channel == InvitationChannel.Sms ? null : subject,
            TextBody = invitation.Channel == InvitationChannel.Sms ? sms : body,
            IdempotencyKey = "survey-invitation:" + invitation.Id.ToString(CultureInfo.InvariantCulture),
            CustomerId = invitation.CustomerId,
            // One customer asked by staff is service mail; a survey sent as a campaign needs marketing consent.
            IsMarketing = invitation.CampaignId is not null,
            CampaignId = invitation.CampaignId,
            CreatedBy = invitation.CreatedByName,
        };
        outbox.Enqueue(request);
        await db.SaveChangesAsync(ct);
    }

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
