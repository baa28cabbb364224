using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.Options;

public enum SmtpSecurity
{
    None = 0,
    StartTls = 1,
    SslOnConnect = 2,

    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise.</summary>
    Auto = 3,
}

public enum SmtpMode
{
    /// <summary>Deliver to the configured SMTP server.</summary>
    Smtp = 0,

    /// <summary>Write each message as an .eml file into <see cref="SmtpOptions.PickupDirectory"/>; nothing leaves the machine.</summary>
    Pickup = 1,
}

public class SmtpOptions
{
    public const string SectionName = "Smtp";

    public SmtpMode Mode { get; set; } = SmtpMode.Smtp;

    [StringLength(255)]
    public string? Host { get; set; }

    [Range(1, 65_535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? User { get; set; }

    /// <summary>Secret: set it with an environment variable (Smtp__Password) or user-secrets.</summary>
    public string? Password { get; set; }

    [Required, EmailAddress, StringLength(254)]
    public string FromAddress { get; set; } = "crm@example.com";

    [StringLength(100)]
    public string? FromName { get; set; } = "CrmMarketing";

    /// <summary>SMTP connections opened in parallel; each sends many messages.</summary>
    [Range(1, 32)]
    public int ParallelConnections { get; set; } = 2;

    /// <summary>Messages sent over one connection before it is closed and reopened.</summary>
    [Range(1, 100_000)]
    public int MessagesPerConnection { get; set; } = 100;

    /// <summary>Upper bound over all connections; 0 means unlimited.</summary>
    [Range(0, 100_000)]
    public int MessagesPerSecond { get; set; }

    /// <summary>Seconds to wait for the server on connect and on each command.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Folder of .eml files in pickup mode; relative paths are taken from the content root.</summary>
    public string PickupDirectory { get; set; } = "App_Data/mail-pickup";
}

public enum SmsMode
{
    /// <summary>POST to the configured HTTP gateway.</summary>
    Http = 0,

    /// <summary>Append each message to <see cref="SmsGatewayOptions.LogFile"/>; nothing leaves the machine.</summary>
    Log = 1,
}

public class SmsGatewayOptions
{
    public const string SectionName = "SmsGateway";
    public const string DefaultBodyTemplate = """{"to":"{to}","text":"{text}","from":"{sender}"}""";

    public SmsMode Mode { get; set; } = SmsMode.Http;

    /// <summary>The gateway's send endpoint (https, or http to a local relay).</summary>
    public Uri? Url { get; set; }

    [Required, RegularExpression("^(POST|PUT)$")]
    public string Method { get; set; } = "POST";

    /// <summary>Secret: sent as "Authorization: Bearer {ApiKey}" unless <see cref="Headers"/> sets Authorization.
    /// Set it with an environment variable (SmsGateway__ApiKey) or user-secrets.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Extra request headers.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>JSON body; {to}, {text} and {sender} are replaced by JSON-escaped values.</summary>
    [Required]
    public string BodyTemplate { get; set; } = DefaultBodyTemplate;

    /// <summary>Sender id or number put in {sender}.</summary>
    [StringLength(20)]
    public string? Sender { get; set; }

    /// <summary>Status codes that mean accepted; others are failures (429 and 5xx transient, other 4xx permanent).</summary>
    public int[] SuccessStatusCodes { get; set; } = [200, 201, 202];

    /// <summary>Dotted path of the provider's message id in the JSON response, e.g. "data.messageId"; empty to ignore.</summary>
    public string? MessageIdPath { get; set; } = "id";

    /// <summary>Upper bound on requests per second; 0 means unlimited.</summary>
    [Range(0, 10_000)]
    public int MessagesPerSecond { get; set; } = 10;

    /// <summary>Requests in flight at once.</summary>
    [Range(1, 32)]
    public int ParallelRequests { get; set; } = 2;

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Local time from which no SMS is sent (e.g. 21:00); both ends empty means no quiet hours.</summary>
    public TimeOnly? QuietHoursStart { get; set; } = new(21, 0);

    /// <summary>Local time from which sending resumes (e.g. 08:00).</summary>
    public TimeOnly? QuietHoursEnd { get; set; } = new(8, 0);

    /// <summary>Time zone of the quiet hours; empty means Crm:TimeZone.</summary>
    public string? QuietHoursTimeZone { get; set; }

    /// <summary>File the log mode appends to; relative paths are taken from the content root.</summary>
    public string LogFile { get; set; } = "App_Data/sms.log";
}

public class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Run the dispatcher in this process.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Rows claimed at a time.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How long a claim lasts; a row still Sending after that (a crashed dispatcher) is claimed again.</summary>
    [Range(10, 86_400)]
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>Attempts before a transient failure becomes Failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; each further retry doubles it (with jitter) up to <see cref="RetryMaxSeconds"/>.</summary>
    [Range(1, 86_400)]
    public int RetryBaseSeconds { get; set; } = 30;

    [Range(1, 604_800)]
    public int RetryMaxSeconds { get; set; } = 3_600;

    /// <summary>Pause between polls when nothing is due.</summary>
    [Range(0.01, 3_600)]
    public double PollSeconds { get; set; } = 2;

    /// <summary>Most delivery outcomes written in one transaction, and most waiting for the next one; together with
    /// one message per connection this bounds what a crash can send twice (see docs/messaging.md).</summary>
    [Range(1, 1_000)]
    public int OutcomeBatchSize { get; set; } = 64;

    /// <summary>How long the outcome writer waits for a group to fill before writing what it has; 0 writes as soon
    /// as the previous transaction is done.</summary>
    [Range(0, 1_000)]
    public int OutcomeFlushMilliseconds { get; set; } = 5;
}
