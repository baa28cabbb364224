using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>SMS through a generic HTTP gateway: the configured method, URL, headers and JSON body template.</summary>
public sealed class HttpSmsSender(IHttpClientFactory clients, IOptions<SmsGatewayOptions> options, TimeProvider time) : ISmsSender
{
    public const string HttpClientName = "sms-gateway";
    private const int ErrorBodyChars = 300;

    public async Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(new HttpMethod(o.Method), o.Url)
        {
            Content = new StringContent(SmsBody.Render(o.BodyTemplate, message.ToAddress, message.TextBody ?? string.Empty, o.Sender), Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in o.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (!string.IsNullOrEmpty(o.ApiKey) && !o.Headers.Keys.Any(k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);
        }

        var client = clients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (o.SuccessStatusCodes.Contains(status))
            {
                return DeliveryResult.Sent(ReadMessageId(body, o.MessageIdPath));
            }

            var error = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {Excerpt(body)}");
            return status is 408 or 429 or >= 500
                ? new DeliveryResult(DeliveryStatus.Transient, error, RetryAfter: RetryAfter(response))
                : new DeliveryResult(DeliveryStatus.Permanent, error);
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryResult(DeliveryStatus.Transient, "SMS gateway unreachable: " + ex.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryStatus.Transient, "SMS gateway timed out.");
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>The value at a dotted path ("data.messageId") of a JSON response, as text; null when absent.</summary>
    public static string? ReadMessageId(string body, string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var element = document.RootElement;
            foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(part, out var child))
                {
                    element = child;
                }
                else if (element.ValueKind == JsonValueKind.Array && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength())
                {
                    element = element[index];
                }
                else
                {
                    return null;
                }
            }

            var text = element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            };
            return HeaderText.SingleLine(text, Domain.OutboxMessage.ProviderMessageIdMaxLength);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Excerpt(string body)
    {
        var line = HeaderText.SingleLine(body, ErrorBodyChars);
        return line ?? string.Empty;
    }
}

/// <summary>Log mode: each SMS is appended to a file as one JSON line; nothing leaves the machine.</summary>
public sealed class LogFileSmsSender(IOptions<SmsGatewayOptions> options, IHostEnvironment environment, TimeProvider time) : ISmsSender
{
    // Readable text (+, Chinese) in the file; it is never embedded in HTML.
    private static readonly JsonSerializerOptions LogJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SemaphoreSlim _lock = new(1, 1);

    public string FilePath => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.LogFile));

    public async Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var line = JsonSerializer.Serialize(new
        {
            at = time.GetUtcNow(),
            messageId = message.MessageId,
            to = message.ToAddress,
            sender = options.Value.Sender,
            text = message.TextBody,
        }, LogJson) + "\n";
        await _lock.WaitAsync(ct);
        try
        {
            var folder = Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await File.AppendAllTextAsync(FilePath, line, Encoding.UTF8, ct);
            return DeliveryResult.Sent(message.MessageId);
        }
        catch (IOException ex)
        {
            return new DeliveryResult(DeliveryStatus.Transient, "SMS log file: " + ex.Message);
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>Hours during which no SMS goes out, in a time zone; the window may span midnight (21:00–08:00).</summary>
public sealed class QuietHours(TimeOnly? start, TimeOnly? end, TimeZoneInfo zone)
{
    public static QuietHours From(SmsGatewayOptions sms, CrmOptions crm) => new(
        sms.QuietHoursStart,
        sms.QuietHoursEnd,
        TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(sms.QuietHoursTimeZone) ? crm.TimeZone : sms.QuietHoursTimeZone));

    /// <summary>Null when sending is allowed at <paramref name="utcNow"/>; otherwise when the quiet hours end (UTC).</summary>
    public DateTimeOffset? EndsAt(DateTimeOffset utcNow)
    {
        if (start is not { } s || end is not { } e || s == e)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(utcNow, zone);
        var now = TimeOnly.FromDateTime(local.DateTime);
        var quiet = s < e ? now >= s && now < e : now >= s || now < e;
        if (!quiet)
        {
            return null;
        }

        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (s > e && now >= s)
        {
            endDate = endDate.AddDays(1);
        }

        var endLocal = endDate.ToDateTime(e);
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }
}
