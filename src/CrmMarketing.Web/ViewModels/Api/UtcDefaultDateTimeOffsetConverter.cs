using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmMarketing.Web.ViewModels.Api;

/// <summary>Reads an ISO 8601 time; one written without an offset is taken as UTC, not as the server's local
/// time (which is what System.Text.Json would assume), so the stored instant never depends on the host.</summary>
public sealed class UtcDefaultDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out _))
        {
            throw new JsonException("Expected an ISO 8601 date and time, e.g. 2026-11-25T10:15:00+08:00.");
        }

        return DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
