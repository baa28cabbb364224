using System.Net;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Tracking;

/// <summary>One message to queue: content (template or ad hoc), who it goes to, and its idempotency key.</summary>
/// <param name="Recipient">The customer whose data fills the merge fields.</param>
/// <param name="ToAddress">Where it goes: the customer's address, or the staff member's for a test.</param>
/// <param name="ForCustomer">The message goes to <paramref name="Recipient"/> (and shows on their timeline); false
/// for a test that only borrows a customer's data.</param>
public sealed record PersonalMessage(
    MessageContent Content,
    MessageRecipient? Recipient,
    string ToAddress,
    string? ToName,
    MergeValuesSource Values,
    string IdempotencyKey,
    Actor Sender,
    bool ForCustomer,
    int? TemplateId = null,
    IReadOnlyDictionary<string, string?>? Extra = null);

/// <summary>Where merge values come from: a customer, or (for a test without one) the allow-list's examples.</summary>
public enum MergeValuesSource
{
    Customer,
    Examples,
}

public sealed record QueuedMessage(long OutboxMessageId, bool Created);

/// <summary>A message ready for its outbox row; <see cref="Links"/> are the tracked links in index order.</summary>
public sealed record ComposedMessage(string? Subject, string? HtmlBody, string TextBody, string? UnsubscribeUrl, IReadOnlyList<string> Links);

/// <summary>Queues personalised messages with their public links: the unsubscribe link of marketing messages
/// (also handed to the dispatcher for List-Unsubscribe), and for tracked emails the click links and the open
/// pixel. The links carry tokens naming the outbox row, so the row is saved first and filled in the same
/// transaction; the dispatcher never sees it half-written.</summary>
public sealed class TrackedOutbox(
    CrmDbContext db, OutboxService outbox, MergeValueBuilder merge, PublicLinks links, IStringLocalizer<SharedResource> l)
{
    public async Task<QueuedMessage> EnqueueAsync(PersonalMessage message, CancellationToken ct)
    {
        var existing = await db.OutboxMessages.AsNoTracking().Where(m => m.IdempotencyKey == message.IdempotencyKey)
            .Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id)
        {
            return new QueuedMessage(id, false);
        }

        var content = message.Content;
        var customerId = message.ForCustomer ? message.Recipient?.Id : null;
        var marketing = content.IsMarketing && customerId is not null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = outbox.Enqueue(new OutboxRequest
        {
            Channel = content.Channel,
            ToAddress = message.ToAddress,
            ToName = message.ToName,
            Subject = content.Channel == MessageChannel.Email ? "-" : null,
            TextBody = string.Empty,
            IdempotencyKey = message.IdempotencyKey,
            CustomerId = customerId,
            IsMarketing = marketing,
            TemplateId = message.TemplateId,
            CreatedBy = message.Sender.Name,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (OutboxService.IsIdempotencyConflict(ex))
        {
            // A double submit that raced this one: the first write wins.
            await tx.RollbackAsync(ct);
            db.Entry(row).State = EntityState.Detached;
            var winner = await db.OutboxMessages.AsNoTracking().Where(m => m.IdempotencyKey == message.IdempotencyKey).Select(m => m.Id).FirstAsync(ct);
            return new QueuedMessage(winner, false);
        }

        Fill(row, message);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new QueuedMessage(row.Id, true);
    }

    /// <summary>Renders a message into its saved outbox row (which must have its id) through <see cref="Compose"/>, and
    /// adds its tracked links to the context without saving, so bulk senders fill a whole batch of rows inside their
    /// own transaction and save once.</summary>
    public void Fill(OutboxMessage row, PersonalMessage message)
    {
        var content = message.Content;
        var customerId = message.ForCustomer ? message.Recipient?.Id : null;
        var marketing = content.IsMarketing && customerId is not null;
        var composed = Compose(content, message.Values == MergeValuesSource.Customer ? message.Recipient : null, row.Id,
            marketing ? customerId : null, message.Sender.Name, message.Extra);
        db.MessageLinks.AddRange(composed.Links.Select((url, index) => new MessageLink { OutboxMessageId = row.Id, Index = index, Url = url }));
        row.Subject = composed.Subject;
        row.HtmlBody = composed.HtmlBody;
        row.TextBody = composed.TextBody;
        row.UnsubscribeUrl = composed.UnsubscribeUrl;
    }

    /// <summary>The personalised content of outbox row <paramref name="outboxMessageId"/>: merge fields filled from
    /// <paramref name="recipient"/> (examples without one), the unsubscribe link for a marketing message to
    /// <paramref name="marketingCustomerId"/> (added when the text lacks the field), and for tracked emails the click
    /// links and the open pixel. Callers that write rows in bulk choose the row id first.</summary>
    public ComposedMessage Compose(MessageContent content, MessageRecipient? recipient, long outboxMessageId, int? marketingCustomerId,
        string senderName, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var unsubscribeUrl = marketingCustomerId is { } customerId ? links.Unsubscribe(customerId, content.Channel, outboxMessageId) : null;
        var values = recipient is not null ? merge.For(recipient, senderName, unsubscribeUrl, extra) : Examples(senderName, extra);
        var rendered = MessageComposer.Render(content, values);
        var html = rendered.HtmlBody;
        var text = rendered.TextBody;

        if (unsubscribeUrl is not null && !UsesUnsubscribeField(content))
        {
            // Every marketing message offers a way out, even when its author forgot the field.
            var footer = _footer ??= new Footer(l);
            if (content.Channel == MessageChannel.Sms)
            {
                text = text + " " + footer.Sms;
            }
            else
            {
                text = text + "\n\n" + string.Format(System.Globalization.CultureInfo.CurrentCulture, footer.TextFormat, unsubscribeUrl);
                html += footer.HtmlStart + WebUtility.HtmlEncode(unsubscribeUrl) + footer.HtmlEnd;
            }
        }

        IReadOnlyList<string> tracked = [];
        if (content.Channel == MessageChannel.Email && content.TrackingEnabled && html is not null)
        {
            var rewritten = LinkRewriter.Rewrite(html, index => links.Click(outboxMessageId, index), links.OpenPixel(outboxMessageId), unsubscribeUrl);
            html = rewritten.Html;
            tracked = rewritten.Links;
        }

        return new ComposedMessage(
            content.Channel == MessageChannel.Email ? HeaderText.SingleLine(rendered.Subject, OutboxMessage.SubjectMaxLength) : null,
            html, text, content.Channel == MessageChannel.Email ? unsubscribeUrl : null, tracked);
    }

    private Footer? _footer;

    /// <summary>The unsubscribe footer's texts, looked up once per instance rather than once per message.</summary>
    private sealed class Footer(IStringLocalizer<SharedResource> l)
    {
        public string Sms { get; } = l["Reply TD or STOP to unsubscribe"].Value;
        public string TextFormat { get; } = l["To stop receiving these messages, unsubscribe here: {0}"].Value;
        public string HtmlStart { get; } = "<p><small>" + WebUtility.HtmlEncode(l["To stop receiving these messages:"].Value) + " <a href=\"";
        public string HtmlEnd { get; } = "\">" + WebUtility.HtmlEncode(l["Unsubscribe"].Value) + "</a></small></p>";
    }

    private static bool UsesUnsubscribeField(MessageContent content) =>
        TemplateRenderer.Placeholders((content.Channel == MessageChannel.Email ? (content.HtmlBody ?? content.TextBody) : content.TextBody) ?? string.Empty)
            .Any(p => p.Name == MergeFields.UnsubscribeUrl);

    private static MergeValues Examples(string senderName, IReadOnlyDictionary<string, string?>? extra)
    {
        var values = new MergeValues();
        foreach (var field in MergeFields.All.Where(f => f.Source == MergeFieldSource.Customer))
        {
            values.Set(field.Name, field.Example);
        }

        return values.Set(MergeFields.SenderName, senderName).Set(MergeFields.Today, MergeFields.Find(MergeFields.Today)!.Example).With(extra);
    }
}
