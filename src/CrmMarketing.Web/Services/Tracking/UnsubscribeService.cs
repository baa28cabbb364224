using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.ViewModels.Unsubscribe;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Tracking;

/// <summary>How the withdrawal arrived; kept as evidence in the consent ledger.</summary>
public enum UnsubscribeMethod
{
    ConfirmationPage,
    OneClick,
    SmsReply,
}

/// <summary>Withdraws a customer's consent for one channel: the consent ledger gets a row, the customer's current
/// state changes, the address goes on the suppression list (reason Unsubscribed) and, when it came through a
/// message, the message gets an Unsubscribe event. Repeating it changes nothing further.</summary>
public sealed partial class UnsubscribeService(
    CrmDbContext db, SuppressionService suppressions, AuditService audit, TimeProvider time, ILogger<UnsubscribeService> logger)
{
    private static readonly AuditActor PublicActor = new(null, "unsubscribe");

    /// <summary>The confirmation page for a valid token; null when the customer no longer exists.</summary>
    public async Task<UnsubscribeViewModel?> GetPageAsync(UnsubscribeToken token, string rawToken, CancellationToken ct)
    {
        var c = await db.Customers.AsNoTracking().Where(c => c.Id == token.CustomerId)
            .Select(c => new { c.Email, c.Phone, c.EmailConsent, c.SmsConsent }).FirstOrDefaultAsync(ct);
        if (c is null)
        {
            return null;
        }

        var email = token.Channel == MessageChannel.Email;
        return new UnsubscribeViewModel(
            rawToken,
            token.Channel,
            Mask(email ? c.Email : c.Phone, email),
            (email ? c.EmailConsent : c.SmsConsent) == ConsentState.OptedOut);
    }

    /// <summary>False when the customer no longer exists.</summary>
    public async Task<bool> UnsubscribeAsync(UnsubscribeToken token, UnsubscribeMethod method, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == token.CustomerId, ct);
        if (customer is null)
        {
            return false;
        }

        var evidence = method switch
        {
            UnsubscribeMethod.OneClick => "List-Unsubscribe one-click",
            UnsubscribeMethod.SmsReply => "SMS reply",
            _ => "Unsubscribe page",
        } + (token.OutboxMessageId is { } m ? string.Create(CultureInfo.InvariantCulture, $", message {m}") : string.Empty);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = Withdraw(customer, token.Channel, method == UnsubscribeMethod.SmsReply ? ConsentSources.SmsReply : ConsentSources.Unsubscribe, evidence);
        if (token.OutboxMessageId is { } messageId && await db.OutboxMessages.AnyAsync(x => x.Id == messageId && x.CustomerId == customer.Id, ct)
            && !await db.MessageEvents.AnyAsync(e => e.OutboxMessageId == messageId && e.Type == MessageEventType.Unsubscribe, ct))
        {
            db.MessageEvents.Add(new MessageEvent { OutboxMessageId = messageId, Type = MessageEventType.Unsubscribe, OccurredAt = time.GetUtcNow().UtcDateTime });
        }

        await db.SaveChangesAsync(ct);
        var address = token.Channel == MessageChannel.Email ? customer.Email : customer.Phone;
        if (!string.IsNullOrWhiteSpace(address))
        {
            await suppressions.AddAsync(token.Channel, address, SuppressionReason.Unsubscribed, ct);
        }

        if (changed)
        {
            var field = token.Channel == MessageChannel.Email ? nameof(Customer.EmailConsent) : nameof(Customer.SmsConsent);
            await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.Customer, customer.Id.ToString(CultureInfo.InvariantCulture),
                [new AuditChange(field, null, ConsentState.OptedOut.ToString())], ct, PublicActor);
        }

        await tx.CommitAsync(ct);
        LogUnsubscribed(logger, customer.Id, token.Channel, method);
        return true;
    }

    /// <summary>Withdraws SMS consent of every customer with this phone number (an inbound STOP reply).</summary>
    public async Task<int> UnsubscribePhoneAsync(string phone, CancellationToken ct)
    {
        var ids = await db.Customers.AsNoTracking().Where(c => c.Phone == phone).Select(c => c.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            await UnsubscribeAsync(new UnsubscribeToken(id, MessageChannel.Sms, null), UnsubscribeMethod.SmsReply, ct);
        }

        if (ids.Count == 0)
        {
            // Not a known customer, but the number asked not to be messaged: keep it off future sends.
            await suppressions.AddAsync(MessageChannel.Sms, phone, SuppressionReason.Unsubscribed, ct);
        }

        return ids.Count;
    }

    /// <summary>An inbound SMS: a stop word ("STOP", "退订", "TD", see <see cref="Options.TrackingOptions.SmsStopWords"/>)
    /// withdraws SMS consent for the sender's number. Returns how many customers were unsubscribed, or null when the
    /// text is not a stop word or the number is not valid.</summary>
    public async Task<int?> HandleInboundSmsAsync(string? from, string? text, IReadOnlyCollection<string> stopWords, CancellationToken ct)
    {
        var phone = ContactNormalizer.NormalizePhone(from);
        var word = text?.Trim();
        if (phone is null || string.IsNullOrEmpty(word) || !stopWords.Any(w => string.Equals(w.Trim(), word, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return await UnsubscribePhoneAsync(phone, ct);
    }

    private bool Withdraw(Customer customer, MessageChannel channel, string source, string evidence)
    {
        var current = channel == MessageChannel.Email ? customer.EmailConsent : customer.SmsConsent;
        if (current == ConsentState.OptedOut)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (channel == MessageChannel.Email)
        {
            customer.EmailConsent = ConsentState.OptedOut;
            customer.EmailConsentAt = now;
            customer.EmailConsentSource = source;
        }
        else
        {
            customer.SmsConsent = ConsentState.OptedOut;
            customer.SmsConsentAt = now;
            customer.SmsConsentSource = source;
        }

        customer.UpdatedAt = now;
        customer.Version++;
        db.ConsentChanges.Add(new ConsentChange
        {
            CustomerId = customer.Id,
            Channel = channel == MessageChannel.Email ? ConsentChannel.Email : ConsentChannel.Sms,
            State = ConsentState.OptedOut,
            ChangedAt = now,
            Source = source,
            Evidence = evidence,
        });
        return true;
    }

    /// <summary>Enough of the address for its owner to recognise it, not enough to harvest it: w***@example.com, ******5678.</summary>
    public static string Mask(string? address, bool email)
    {
        if (string.IsNullOrEmpty(address))
        {
            return string.Empty;
        }

        if (email)
        {
            var at = address.IndexOf('@', StringComparison.Ordinal);
            return at <= 0 ? "***" : address[0] + "***" + address[at..];
        }

        return address.Length <= 4 ? "****" : new string('*', address.Length - 4) + address[^4..];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} unsubscribed from {Channel} via {Method}")]
    private static partial void LogUnsubscribed(ILogger logger, int customerId, MessageChannel channel, UnsubscribeMethod method);
}
