namespace CrmMarketing.Web.Domain;

public enum MessageChannel
{
    Email = 0,
    Sms = 1,
}

public enum OutboxState
{
    /// <summary>Waiting to be sent at <see cref="OutboxMessage.NextAttemptAt"/>.</summary>
    Queued = 0,

    /// <summary>Claimed by a dispatcher until <see cref="OutboxMessage.LeaseExpiresAt"/>; reclaimed after that.</summary>
    Sending = 1,
    Sent = 2,
    Failed = 3,

    /// <summary>Not sent: the address is on the suppression list or the customer withdrew consent.</summary>
    Suppressed = 4,
    Cancelled = 5,
}

/// <summary>One email or SMS waiting for, or done with, delivery. Rows are written in the same transaction as the
/// business change that caused them and are sent by the dispatcher; the row records the outcome.</summary>
public class OutboxMessage
{
    public const int AddressMaxLength = 254;
    public const int NameMaxLength = 100;
    public const int SubjectMaxLength = 500;
    public const int MessageIdMaxLength = 255;
    public const int IdempotencyKeyMaxLength = 200;
    public const int UrlMaxLength = 2000;
    public const int LeaseOwnerMaxLength = 64;
    public const int LastErrorMaxLength = 1000;
    public const int ProviderMessageIdMaxLength = 200;
    public const int CreatedByMaxLength = 256;

    public long Id { get; set; }
    public MessageChannel Channel { get; set; }
    public int? CustomerId { get; set; }

    /// <summary>Email address, or E.164 phone number for SMS.</summary>
    public string ToAddress { get; set; } = string.Empty;

    public string? ToName { get; set; }

    /// <summary>Email subject; null for SMS.</summary>
    public string? Subject { get; set; }

    public string? HtmlBody { get; set; }

    /// <summary>Plain-text email body, or the SMS text.</summary>
    public string? TextBody { get; set; }

    /// <summary>RFC 5322 Message-ID without angle brackets, fixed at enqueue and identical across retries so that
    /// receivers can drop a duplicate.</summary>
    public string MessageId { get; set; } = string.Empty;

    /// <summary>Unique: the same logical message can be queued only once.</summary>
    public string IdempotencyKey { get; set; } = string.Empty;

    /// <summary>Marketing messages need the customer's consent at send time; transactional ones do not.</summary>
    public bool IsMarketing { get; set; }

    /// <summary>One-click unsubscribe URL; when set the email carries List-Unsubscribe and List-Unsubscribe-Post.</summary>
    public string? UnsubscribeUrl { get; set; }

    public long? TemplateId { get; set; }
    public long? CampaignId { get; set; }

    public OutboxState State { get; set; }

    /// <summary>Delivery attempts started so far (counted when a dispatcher claims the row).</summary>
    public int Attempts { get; set; }

    /// <summary>When the row is next due: the send time while queued, the lease expiry while sending.</summary>
    public DateTime NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public string? LastError { get; set; }
    public string? ProviderMessageId { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? SentAt { get; set; }
}
