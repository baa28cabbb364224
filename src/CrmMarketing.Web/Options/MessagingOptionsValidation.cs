using System.Text.Json;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Options;

/// <summary>Cross-field rules of <see cref="SmtpOptions"/> checked at start-up.</summary>
public sealed class SmtpOptionsValidation : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == SmtpMode.Smtp && string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("Smtp:Host is required when Smtp:Mode is Smtp (use Pickup to write .eml files instead).");
        }

        if (options.Mode == SmtpMode.Pickup && string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            failures.Add("Smtp:PickupDirectory is required when Smtp:Mode is Pickup.");
        }

        if (string.IsNullOrEmpty(options.User) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add("Smtp:User and Smtp:Password are set together (the password from an environment variable or user-secrets).");
        }

        if (options.Security == SmtpSecurity.None && !string.IsNullOrEmpty(options.Password) && !IsLoopback(options.Host))
        {
            failures.Add("Smtp:Security None would send the password in clear text; use StartTls, SslOnConnect or Auto.");
        }

        if (options.FromAddress.AsSpan().IndexOfAny('\r', '\n') >= 0 || (options.FromName?.AsSpan().IndexOfAny('\r', '\n') ?? -1) >= 0)
        {
            failures.Add("Smtp:FromAddress and Smtp:FromName must be single lines.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(string? host) =>
        host is "localhost" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
}

/// <summary>Cross-field rules of <see cref="SmsGatewayOptions"/> checked at start-up.</summary>
public sealed class SmsGatewayOptionsValidation(IOptions<CrmOptions> crm) : IValidateOptions<SmsGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsGatewayOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == SmsMode.Http)
        {
            if (options.Url is null || !options.Url.IsAbsoluteUri || (options.Url.Scheme != Uri.UriSchemeHttps && options.Url.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add("SmsGateway:Url must be an absolute http(s) URL when SmsGateway:Mode is Http (use Log to write a file instead).");
            }

            if (options.SuccessStatusCodes.Length == 0 || options.SuccessStatusCodes.Any(c => c is < 200 or > 299))
            {
                failures.Add("SmsGateway:SuccessStatusCodes must list 2xx codes.");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.LogFile))
        {
            failures.Add("SmsGateway:LogFile is required when SmsGateway:Mode is Log.");
        }

        if (!IsJsonTemplate(options.BodyTemplate))
        {
            failures.Add("SmsGateway:BodyTemplate must be JSON once {to}, {text} and {sender} are filled in.");
        }

        foreach (var (header, value) in options.Headers)
        {
            if (string.IsNullOrWhiteSpace(header) || header.Any(c => c <= ' ' || c == ':') || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                failures.Add($"SmsGateway:Headers:{header} is not a valid header.");
            }
        }

        if ((options.QuietHoursStart is null) != (options.QuietHoursEnd is null))
        {
            failures.Add("SmsGateway:QuietHoursStart and QuietHoursEnd are set together.");
        }

        var zone = string.IsNullOrWhiteSpace(options.QuietHoursTimeZone) ? crm.Value.TimeZone : options.QuietHoursTimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            failures.Add($"SmsGateway:QuietHoursTimeZone '{zone}' is not a known time zone.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsJsonTemplate(string template)
    {
        try
        {
            using var _ = JsonDocument.Parse(SmsBody.Render(template, "+8613800000000", "a \"quoted\"\nline", "CRM"));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
