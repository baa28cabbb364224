using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Customers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>What to send. <see cref="IdempotencyKey"/> names the logical message ("campaign:12:customer:345",
/// "test:email:{user}:{ticks}"); queueing the same key again returns the first message.</summary>
public sealed record OutboxRequest
{
    public required MessageChannel Channel { get; init; }

    /// <summary>Email address, or a phone number (normalised to E.164 when queued).</summary>
    public required string ToAddress { get; init; }

    public string? ToName { get; init; }

    /// <summary>Email only.</summary>
    public string? Subject { get; init; }

    public string? HtmlBody { get; init; }

    /// <summary>Plain-text email body, or the SMS text.</summary>
    public string? TextBody { get; init; }

    public required string IdempotencyKey { get; init; }
    public int? CustomerId { get; init; }
    public bool IsMarketing { get; init; }
    public string? UnsubscribeUrl { get; init; }
    public long? TemplateId { get; init; }
    public long? CampaignId { get; init; }

    /// <summary>Not sent before this time (UTC); null means now.</summary>
    public DateTime? NotBefore { get; init; }

    public string? CreatedBy { get; init; }
}

public sealed record EnqueueResult(OutboxMessage Message, bool Created);

/// <summary>Writes messages to the outbox. <see cref="Enqueue"/> only adds to the caller's context, so the caller's
/// SaveChanges (and transaction) covers both the business change and the message.</summary>
public sealed class OutboxService(CrmDbContext db, TimeProvider time, IOptions<SmtpOptions> smtp)
{
    /// <summary>Adds the message to the context without saving. A message with the same key already added to this
    /// context is returned instead of a second one; one already saved is caught by the unique index when the caller
    /// saves (see <see cref="IsIdempotencyConflict"/>) — use <see cref="EnqueueAsync"/> to look it up first.</summary>
    /// <exception cref="ArgumentException">The address is not a valid email address / phone number.</exception>
    public OutboxMessage Enqueue(OutboxRequest request)
    {
        var pending = db.ChangeTracker.Entries<OutboxMessage>()
            .FirstOrDefault(e => e.State == EntityState.Added && e.Entity.IdempotencyKey == request.IdempotencyKey);
        if (pending is not null)
        {
            return pending.Entity;
        }

        var message = Create(request);
        db.OutboxMessages.Add(message);
        return message;
    }

    /// <summary>Like <see cref="Enqueue"/>, but first returns the saved message with the same key, if any.</summary>
    public async Task<EnqueueResult> EnqueueAsync(OutboxRequest request, CancellationToken ct)
    {
        var existing = await db.OutboxMessages.FirstOrDefaultAsync(m => m.IdempotencyKey == request.IdempotencyKey, ct);
        if (existing is not null)
        {
            return new EnqueueResult(existing, false);
        }

        var tracked = db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added && e.Entity.IdempotencyKey == request.IdempotencyKey);
        return new EnqueueResult(Enqueue(request), !tracked);
    }

    /// <summary>Queues one message and saves it (and whatever else the context holds). A concurrent writer that
    /// queued the same key first wins; its message is returned.</summary>
    public async Task<EnqueueResult> EnqueueAndSaveAsync(OutboxRequest request, CancellationToken ct)
    {
        var result = await EnqueueAsync(request, ct);
        if (!result.Created)
        {
            return result;
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return result;
        }
        catch (DbUpdateException ex) when (IsIdempotencyConflict(ex))
        {
            db.Entry(result.Message).State = EntityState.Detached;
            var winner = await db.OutboxMessages.AsNoTracking().FirstAsync(m => m.IdempotencyKey == request.IdempotencyKey, ct);
            return new EnqueueResult(winner, false);
        }
    }

    /// <summary>True when saving failed because a message with the same idempotency key (or Message-ID) exists.</summary>
    public static bool IsIdempotencyConflict(DbUpdateException ex) =>
        ex.InnerException is SqliteException { SqliteErrorCode: 19 } sqlite
        && (sqlite.Message.Contains("OutboxMessages.IdempotencyKey", StringComparison.Ordinal)
            || sqlite.Message.Contains("OutboxMessages.MessageId", StringComparison.Ordinal));

    /// <summary>The address in the form the outbox stores, or null when it is not valid for the channel.
    /// CR and LF never survive, so an address cannot carry extra headers.</summary>
    public static string? NormalizeAddress(MessageChannel channel, string? address) => channel switch
    {
        MessageChannel.Email => address is null || address.AsSpan().IndexOfAny('\r', '\n') >= 0 ? null : ContactNormalizer.NormalizeEmail(address) is null ? null : address.Trim(),
        _ => ContactNormalizer.NormalizePhone(address),
    };

    /// <summary>A new RFC 5322 Message-ID (without angle brackets) in the sender's domain.</summary>
    public static string NewMessageId(string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..].Trim().ToLowerInvariant() : "crm.invalid";
        return Guid.CreateVersion7().ToString("N") + "@" + domain;
    }

    private OutboxMessage Create(OutboxRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.IdempotencyKey) || request.IdempotencyKey.Length > OutboxMessage.IdempotencyKeyMaxLength)
        {
            throw new ArgumentException("An idempotency key of at most " + OutboxMessage.IdempotencyKeyMaxLength + " characters is required.", nameof(request));
        }

        var address = NormalizeAddress(request.Channel, request.ToAddress)
            ?? throw new ArgumentException("The recipient address is not valid for the channel.", nameof(request));
        var now = time.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Channel = request.Channel,
            CustomerId = request.CustomerId,
            ToAddress = address,
            ToName = HeaderText.SingleLine(request.ToName, OutboxMessage.NameMaxLength),
            Subject = request.Channel == MessageChannel.Email ? HeaderText.SingleLine(request.Subject, OutboxMessage.SubjectMaxLength) : null,
            HtmlBody = request.HtmlBody,
            TextBody = request.TextBody,
            MessageId = NewMessageId(smtp.Value.FromAddress),
            IdempotencyKey = request.IdempotencyKey,
            IsMarketing = request.IsMarketing,
            UnsubscribeUrl = ValidUrl(request.UnsubscribeUrl),
            TemplateId = request.TemplateId,
            CampaignId = request.CampaignId,
            State = OutboxState.Queued,
            NextAttemptAt = request.NotBefore is { } notBefore && notBefore > now ? UtcTime.Normalize(notBefore) : now,
            CreatedAt = now,
            CreatedBy = HeaderText.SingleLine(request.CreatedBy, OutboxMessage.CreatedByMaxLength),
        };
    }

    private static string? ValidUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        if (url.Length > OutboxMessage.UrlMaxLength || url.AsSpan().IndexOfAny('\r', '\n') >= 0
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The unsubscribe URL must be an absolute http(s) URL.", nameof(url));
        }

        return uri.AbsoluteUri;
    }
}

/// <summary>Text that goes into a header: one line, no control characters, bounded length.</summary>
public static class HeaderText
{
    public static string? SingleLine(string? text, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var chars = text.Trim().Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        var line = new string(chars).Trim();
        return line.Length > maxLength ? line[..maxLength] : line;
    }
}
