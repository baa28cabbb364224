using System.Text.RegularExpressions;

namespace CrmMarketing.Web.Services.Messaging;

public enum DeliveryStatus
{
    /// <summary>The server or gateway accepted the message.</summary>
    Sent = 0,

    /// <summary>Worth retrying later: SMTP 4xx, connection problems, timeouts, HTTP 429/5xx.</summary>
    Transient = 1,

    /// <summary>Retrying cannot help: SMTP 5xx, HTTP 4xx, a malformed message.</summary>
    Permanent = 2,
}

/// <summary>The outcome of one send. <see cref="HardBounce"/> marks a permanent rejection of the address itself
/// (SMTP 5.1.x), which puts the address on the suppression list.</summary>
public sealed record DeliveryResult(
    DeliveryStatus Status,
    string? Error = null,
    string? ProviderMessageId = null,
    TimeSpan? RetryAfter = null,
    bool HardBounce = false,
    bool ConnectionLost = false)
{
    public static readonly DeliveryResult Accepted = new(DeliveryStatus.Sent);

    public static DeliveryResult Sent(string? providerMessageId) => new(DeliveryStatus.Sent, ProviderMessageId: providerMessageId);
}

/// <summary>A message as the channel sends it: the outbox row's fields the senders need.</summary>
public sealed record OutgoingMessage(
    long Id,
    string ToAddress,
    string? ToName,
    string? Subject,
    string? HtmlBody,
    string? TextBody,
    string MessageId,
    string? UnsubscribeUrl);

/// <summary>Sends email. A session is one connection that sends many messages, one at a time.</summary>
public interface IEmailSender
{
    Task<IEmailSession> OpenAsync(CancellationToken ct);
}

public interface IEmailSession : IAsyncDisposable
{
    /// <summary>False once the connection is broken; the session is then disposed and a new one opened.</summary>
    bool IsUsable { get; }

    Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>Sends one SMS.</summary>
public interface ISmsSender
{
    Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}

public static partial class SmtpReplies
{
    /// <summary>True for an enhanced status code 5.1.x (bad destination mailbox, address or domain).</summary>
    public static bool IsBadAddress(string? reply) => reply is not null && BadAddress().IsMatch(reply);

    [GeneratedRegex(@"(?<![\d.])5\.1\.\d{1,3}(?![\d.])")]
    private static partial Regex BadAddress();
}
