using CrmMarketing.Web.Options;
using MimeKit;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>Builds the MIME message for an outbox row. Every header value goes through MimeKit's encoders after
/// control characters are removed, so CR/LF in a name, subject or address can never start a new header.</summary>
public static class MimeMessageFactory
{
    public static MimeMessage Create(OutgoingMessage message, SmtpOptions options, DateTimeOffset date)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(HeaderText.SingleLine(options.FromName, OutboxMessageLimits.NameMaxLength), options.FromAddress.Trim()));
        mime.To.Add(Mailbox(message.ToName, message.ToAddress));
        mime.Subject = HeaderText.SingleLine(message.Subject, OutboxMessageLimits.SubjectMaxLength) ?? string.Empty;
        mime.MessageId = message.MessageId;
        mime.Date = date;
        if (message.UnsubscribeUrl is { Length: > 0 } url
            && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
        {
            // RFC 8058 one-click unsubscribe.
            mime.Headers.Add("List-Unsubscribe", "<" + uri.AbsoluteUri + ">");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var body = new BodyBuilder { HtmlBody = message.HtmlBody, TextBody = message.TextBody };
        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>The recipient; a malformed address (including one with CR/LF) throws <see cref="ParseException"/>.</summary>
    public static MailboxAddress Mailbox(string? name, string address)
    {
        if (address.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ParseException("The address contains a line break.", 0, 0);
        }

        var parsed = MailboxAddress.Parse(ParserOptions.Default, address.Trim());
        parsed.Name = HeaderText.SingleLine(name, OutboxMessageLimits.NameMaxLength);
        return parsed;
    }

    private static class OutboxMessageLimits
    {
        public const int NameMaxLength = Domain.OutboxMessage.NameMaxLength;
        public const int SubjectMaxLength = Domain.OutboxMessage.SubjectMaxLength;
    }
}
