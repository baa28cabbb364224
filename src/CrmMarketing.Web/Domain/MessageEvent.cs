namespace CrmMarketing.Web.Domain;

public enum MessageEventType
{
    Open = 0,
    Click = 1,
    Unsubscribe = 2,
}

/// <summary>Something a recipient did with a sent message: opened it (the pixel loaded), clicked a link, or
/// unsubscribed through it. Rows are only appended.</summary>
public class MessageEvent
{
    public const int UserAgentMaxLength = 300;

    public long Id { get; set; }
    public long OutboxMessageId { get; set; }
    public MessageEventType Type { get; set; }
    public DateTime OccurredAt { get; set; }

    /// <summary>The link followed, for clicks.</summary>
    public string? Url { get; set; }

    /// <summary>Too soon after sending, or from a known link scanner: left out of open and click metrics.</summary>
    public bool IsSuspectedBot { get; set; }

    public string? UserAgent { get; set; }
}

/// <summary>A link of a sent message, recorded when the message is queued with click tracking. A click token names
/// the message and the link's <see cref="Index"/>; the redirect goes only to the URL stored here, so the click
/// endpoint can never be used to send people elsewhere.</summary>
public class MessageLink
{
    public long Id { get; set; }
    public long OutboxMessageId { get; set; }

    /// <summary>Position among the message's tracked links, from 0.</summary>
    public int Index { get; set; }

    public string Url { get; set; } = string.Empty;
}
