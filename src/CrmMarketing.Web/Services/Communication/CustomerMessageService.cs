using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;
using CrmMarketing.Web.ViewModels.Messages;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Communication;

public enum SendOutcome
{
    Queued,

    /// <summary>The same form was submitted before; its message is already queued.</summary>
    AlreadyQueued,
    CustomerNotFound,
    TemplateNotFound,

    /// <summary>The template is for the other channel.</summary>
    WrongChannel,
    NoAddress,

    /// <summary>A marketing message to a customer who has not opted in (or is archived).</summary>
    NoConsent,

    /// <summary>The address is on the suppression list (unsubscribed, bounced).</summary>
    Suppressed,
}

public sealed record SendResult(SendOutcome Outcome, long OutboxMessageId = 0);

/// <summary>One-to-one messages from the customer page, and template tests sent to the current user. Both go
/// through the outbox; nothing is sent inside the request.</summary>
public sealed partial class CustomerMessageService(
    CrmDbContext db, TemplateService templates, MergeValueBuilder merge, TrackedOutbox outbox, SuppressionService suppressions,
    ILogger<CustomerMessageService> logger)
{
    public async Task<ComposeViewModel?> GetComposeAsync(int customerId, ComposeFormModel form, CancellationToken ct)
    {
        var recipient = await merge.FindRecipientAsync(customerId, ct);
        if (recipient is null)
        {
            return null;
        }

        var email = form.Channel == MessageChannel.Email;
        return new ComposeViewModel
        {
            CustomerId = customerId,
            CustomerName = recipient.Name,
            Address = email ? recipient.Email : recipient.Phone,
            Consent = email ? recipient.EmailConsent : recipient.SmsConsent,
            Templates = await templates.ListForChannelAsync(form.Channel, ct),
            Form = form,
        };
    }

    public async Task<SendResult> SendAsync(int customerId, ComposeFormModel form, Actor actor, CancellationToken ct)
    {
        var recipient = await merge.FindRecipientAsync(customerId, ct);
        if (recipient is null)
        {
            return new SendResult(SendOutcome.CustomerNotFound);
        }

        MessageContent content;
        if (form.TemplateId is { } templateId)
        {
            var template = await templates.FindAsync(templateId, ct);
            if (template is null)
            {
                return new SendResult(SendOutcome.TemplateNotFound);
            }

            if (template.Channel != form.Channel)
            {
                return new SendResult(SendOutcome.WrongChannel);
            }

            content = MessageContent.From(template);
        }
        else
        {
            content = new MessageContent(form.Channel, form.Subject, null, form.Body?.Trim(), form.IsMarketing, TrackingEnabled: false);
        }

        var email = form.Channel == MessageChannel.Email;
        var address = email ? recipient.Email : recipient.Phone;
        if (string.IsNullOrWhiteSpace(address) || OutboxService.NormalizeAddress(form.Channel, address) is null)
        {
            return new SendResult(SendOutcome.NoAddress);
        }

        if (content.IsMarketing)
        {
            var consent = email ? recipient.EmailConsent : recipient.SmsConsent;
            if (consent != ConsentState.OptedIn || recipient.IsArchived)
            {
                return new SendResult(SendOutcome.NoConsent);
            }

            if (await suppressions.IsSuppressedAsync(form.Channel, address, ct))
            {
                return new SendResult(SendOutcome.Suppressed);
            }
        }

        var queued = await outbox.EnqueueAsync(new PersonalMessage(
            content, recipient, address, recipient.Name, MergeValuesSource.Customer,
            $"compose:{customerId}:{form.Key}", actor, ForCustomer: true, form.TemplateId), ct);
        LogQueued(logger, queued.OutboxMessageId, customerId, queued.Created);
        return new SendResult(queued.Created ? SendOutcome.Queued : SendOutcome.AlreadyQueued, queued.OutboxMessageId);
    }

    /// <summary>Queues the template to the current user's own email address or phone number, merged for the
    /// customer found by <paramref name="customerQuery"/> or, without one, with example values. Test messages
    /// are never marketing: no consent check and no working unsubscribe link.</summary>
    public async Task<SendResult> SendTestAsync(int templateId, string? customerQuery, string key, Actor actor, CancellationToken ct)
    {
        var template = await templates.FindAsync(templateId, ct);
        if (template is null)
        {
            return new SendResult(SendOutcome.TemplateNotFound);
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
            .Select(u => new { u.Email, u.PhoneNumber, u.DisplayName }).FirstOrDefaultAsync(ct);
        var address = template.Channel == MessageChannel.Email ? user?.Email : user?.PhoneNumber;
        if (string.IsNullOrWhiteSpace(address) || OutboxService.NormalizeAddress(template.Channel, address) is null)
        {
            return new SendResult(SendOutcome.NoAddress);
        }

        var recipient = string.IsNullOrWhiteSpace(customerQuery) ? null : await merge.SearchRecipientAsync(customerQuery, ct);
        var content = MessageContent.From(template) with { IsMarketing = false };
        var queued = await outbox.EnqueueAsync(new PersonalMessage(
            content, recipient, address, user?.DisplayName ?? actor.Name,
            recipient is null ? MergeValuesSource.Examples : MergeValuesSource.Customer,
            $"test:{templateId}:{actor.UserId}:{key}", actor, ForCustomer: false, templateId), ct);
        return new SendResult(queued.Created ? SendOutcome.Queued : SendOutcome.AlreadyQueued, queued.OutboxMessageId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox message {OutboxMessageId} for customer {CustomerId} (new: {Created})")]
    private static partial void LogQueued(ILogger logger, long outboxMessageId, int customerId, bool created);
}
