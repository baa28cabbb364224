namespace CrmMarketing.Web.Domain;

/// <summary>A reusable email or SMS text with <c>{{merge_fields}}</c>. An email template's HTML is sanitised when
/// saved; its plain-text part is generated from the HTML when <see cref="TextBody"/> is empty. An SMS template
/// uses <see cref="TextBody"/> only.</summary>
public class MessageTemplate
{
    public const int NameMaxLength = 100;
    public const int SubjectMaxLength = 200;
    public const int HtmlBodyMaxLength = 100_000;
    public const int TextBodyMaxLength = 20_000;

    /// <summary>Ten concatenated UCS-2 segments; gateways rarely accept longer texts.</summary>
    public const int SmsBodyMaxLength = 670;

    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public MessageChannel Channel { get; set; }

    /// <summary>Marketing messages need consent and carry an unsubscribe link; transactional ones need neither.</summary>
    public bool IsMarketing { get; set; }

    /// <summary>Open pixel and click tracking for emails sent from this template.</summary>
    public bool TrackingEnabled { get; set; }

    public string? Subject { get; set; }
    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
