using System.Globalization;
using System.Security.Claims;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.ViewModels.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>The Settings page: the effective messaging configuration (secrets masked) and test messages, which go
/// through the outbox like any other message.</summary>
public sealed class MessagingSettingsService(
    CrmDbContext db,
    OutboxService outbox,
    TimeProvider time,
    IOptions<SmtpOptions> smtp,
    IOptions<SmsGatewayOptions> sms,
    IOptions<OutboxOptions> outboxOptions)
{
    public const string Mask = "••••••";

    public async Task<SettingsViewModel> GetAsync(ClaimsPrincipal user, TestSmsFormModel? form, CancellationToken ct)
    {
        var e = smtp.Value;
        var s = sms.Value;
        var o = outboxOptions.Value;
        var inv = CultureInfo.InvariantCulture;
        var email = new List<SettingRow>
        {
            new("Smtp:Mode", e.Mode.ToString()),
            new("Smtp:Host", e.Host ?? string.Empty),
            new("Smtp:Port", e.Port.ToString(inv)),
            new("Smtp:Security", e.Security.ToString()),
            new("Smtp:User", e.User ?? string.Empty),
            new("Smtp:Password", Secret(e.Password)),
            new("Smtp:FromAddress", e.FromAddress),
            new("Smtp:FromName", e.FromName ?? string.Empty),
            new("Smtp:ParallelConnections", e.ParallelConnections.ToString(inv)),
            new("Smtp:MessagesPerConnection", e.MessagesPerConnection.ToString(inv)),
            new("Smtp:MessagesPerSecond", e.MessagesPerSecond.ToString(inv)),
            new("Smtp:TimeoutSeconds", e.TimeoutSeconds.ToString(inv)),
            new("Smtp:PickupDirectory", e.PickupDirectory),
        };
        var smsRows = new List<SettingRow>
        {
            new("SmsGateway:Mode", s.Mode.ToString()),
            new("SmsGateway:Url", s.Url is null ? string.Empty : MaskQuery(s.Url)),
            new("SmsGateway:Method", s.Method),
            new("SmsGateway:ApiKey", Secret(s.ApiKey)),
        };
        // Header values often carry credentials: only their names are shown.
        smsRows.AddRange(s.Headers.Select(h => new SettingRow("SmsGateway:Headers:" + h.Key, Secret(h.Value))));
        smsRows.AddRange(
        [
            new("SmsGateway:BodyTemplate", s.BodyTemplate),
            new("SmsGateway:Sender", s.Sender ?? string.Empty),
            new("SmsGateway:SuccessStatusCodes", string.Join(", ", s.SuccessStatusCodes)),
            new("SmsGateway:MessageIdPath", s.MessageIdPath ?? string.Empty),
            new("SmsGateway:MessagesPerSecond", s.MessagesPerSecond.ToString(inv)),
            new("SmsGateway:ParallelRequests", s.ParallelRequests.ToString(inv)),
            new("SmsGateway:QuietHours", s.QuietHoursStart is { } qs && s.QuietHoursEnd is { } qe
                ? qs.ToString("HH:mm", inv) + "–" + qe.ToString("HH:mm", inv) + " " + (s.QuietHoursTimeZone ?? "Crm:TimeZone")
                : string.Empty),
            new("SmsGateway:LogFile", s.LogFile),
        ]);
        var outboxRows = new List<SettingRow>
        {
            new("Outbox:DispatcherEnabled", o.DispatcherEnabled.ToString()),
            new("Outbox:BatchSize", o.BatchSize.ToString(inv)),
            new("Outbox:LeaseSeconds", o.LeaseSeconds.ToString(inv)),
            new("Outbox:MaxAttempts", o.MaxAttempts.ToString(inv)),
            new("Outbox:RetryBaseSeconds", o.RetryBaseSeconds.ToString(inv)),
            new("Outbox:RetryMaxSeconds", o.RetryMaxSeconds.ToString(inv)),
            new("Outbox:OutcomeBatchSize", o.OutcomeBatchSize.ToString(inv)),
            new("Outbox:OutcomeFlushMilliseconds", o.OutcomeFlushMilliseconds.ToString(inv)),
        };
        return new SettingsViewModel(email, smsRows, outboxRows, await CurrentEmailAsync(user, ct), form ?? new TestSmsFormModel());
    }

    /// <summary>Queues a test email to the signed-in user. False when the user has no email address.</summary>
    public async Task<bool> SendTestEmailAsync(ClaimsPrincipal user, string subject, string body, CancellationToken ct)
    {
        var to = await CurrentEmailAsync(user, ct);
        if (to is null || OutboxService.NormalizeAddress(MessageChannel.Email, to) is null)
        {
            return false;
        }

        await outbox.EnqueueAndSaveAsync(new OutboxRequest
        {
            Channel = MessageChannel.Email,
            ToAddress = to,
            Subject = subject,
            TextBody = body,
            HtmlBody = "<p>" + System.Net.WebUtility.HtmlEncode(body) + "</p>",
            IdempotencyKey = TestKey("email", user),
            CreatedBy = user.Identity?.Name,
        }, ct);
        return true;
    }

    /// <summary>Queues a test SMS to the number entered on the form (already validated).</summary>
    public async Task SendTestSmsAsync(ClaimsPrincipal user, string phone, string text, CancellationToken ct)
    {
        await outbox.EnqueueAndSaveAsync(new OutboxRequest
        {
            Channel = MessageChannel.Sms,
            ToAddress = phone,
            TextBody = text,
            IdempotencyKey = TestKey("sms", user),
            CreatedBy = user.Identity?.Name,
        }, ct);
    }

    private string TestKey(string channel, ClaimsPrincipal user) =>
        "settings-test:" + channel + ":" + user.FindFirstValue(ClaimTypes.NameIdentifier) + ":" + Guid.NewGuid().ToString("N") + ":"
        + time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private async Task<string?> CurrentEmailAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return id is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.Email).FirstOrDefaultAsync(ct);
    }

    private static string Secret(string? value) => string.IsNullOrEmpty(value) ? string.Empty : Mask;

    /// <summary>Query strings of gateway URLs often carry keys.</summary>
    private static string MaskQuery(Uri url) =>
        string.IsNullOrEmpty(url.Query) ? url.AbsoluteUri : url.GetLeftPart(UriPartial.Path) + "?" + Mask;
}
