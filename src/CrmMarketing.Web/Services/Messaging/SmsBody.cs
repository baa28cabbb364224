using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>Fills the gateway's JSON body template; values are JSON-escaped, so message text cannot change the
/// structure of the request.</summary>
public static class SmsBody
{
    public static string Render(string template, string to, string text, string? sender) => template
        .Replace("{to}", Escape(to), StringComparison.Ordinal)
        .Replace("{text}", Escape(text), StringComparison.Ordinal)
        .Replace("{sender}", Escape(sender ?? string.Empty), StringComparison.Ordinal);

    private static string Escape(string value)
    {
        var quoted = JsonSerializer.Serialize(value, EscapeOptions);
        return quoted[1..^1];
    }

    private static readonly JsonSerializerOptions EscapeOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
