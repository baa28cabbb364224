using System.Globalization;
using System.Security.Cryptography;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Tracking;

public sealed record UnsubscribeToken(int CustomerId, MessageChannel Channel, long? OutboxMessageId);

public sealed record ClickToken(long OutboxMessageId, int LinkIndex);

/// <summary>Signed, time-limited tokens for the public links in messages (ASP.NET Core Data Protection). Each
/// kind has its own purpose string, so an open token cannot be replayed as a click or unsubscribe token. The
/// expiry travels inside the protected payload and is checked against the injected clock. A tampered, foreign
/// or expired token reads as null.</summary>
public sealed class TrackingTokens
{
    public const string UnsubscribePurpose = "CrmMarketing.Tracking.Unsubscribe.v1";
    public const string OpenPurpose = "CrmMarketing.Tracking.Open.v1";
    public const string ClickPurpose = "CrmMarketing.Tracking.Click.v1";

    private readonly IDataProtector _unsubscribe;
    private readonly IDataProtector _open;
    private readonly IDataProtector _click;
    private readonly TimeProvider _time;
    private readonly TrackingOptions _options;

    public TrackingTokens(IDataProtectionProvider provider, TimeProvider time, IOptions<TrackingOptions> options)
    {
        _unsubscribe = provider.CreateProtector(UnsubscribePurpose);
        _open = provider.CreateProtector(OpenPurpose);
        _click = provider.CreateProtector(ClickPurpose);
        _time = time;
        _options = options.Value;
    }

    public string ForUnsubscribe(UnsubscribeToken token) =>
        Protect(_unsubscribe, string.Create(CultureInfo.InvariantCulture, $"{token.CustomerId}|{(int)token.Channel}|{token.OutboxMessageId ?? 0}"),
            TimeSpan.FromDays(_options.UnsubscribeTokenDays));

    public string ForOpen(long outboxMessageId) =>
        Protect(_open, outboxMessageId.ToString(CultureInfo.InvariantCulture), TimeSpan.FromDays(_options.TrackingTokenDays));

    public string ForClick(long outboxMessageId, int linkIndex) =>
        Protect(_click, string.Create(CultureInfo.InvariantCulture, $"{outboxMessageId}|{linkIndex}"), TimeSpan.FromDays(_options.TrackingTokenDays));

    public UnsubscribeToken? ReadUnsubscribe(string? token)
    {
        var parts = Unprotect(_unsubscribe, token)?.Split('|');
        if (parts is not { Length: 3 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var customerId)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var channel)
            || !Enum.IsDefined((MessageChannel)channel)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var messageId))
        {
            return null;
        }

        return new UnsubscribeToken(customerId, (MessageChannel)channel, messageId == 0 ? null : messageId);
    }

    public long? ReadOpen(string? token) =>
        long.TryParse(Unprotect(_open, token), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    public ClickToken? ReadClick(string? token)
    {
        var parts = Unprotect(_click, token)?.Split('|');
        if (parts is not { Length: 2 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var messageId)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return null;
        }

        return new ClickToken(messageId, index);
    }

    private string Protect(IDataProtector protector, string payload, TimeSpan lifetime) =>
        protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{(_time.GetUtcNow() + lifetime).ToUnixTimeSeconds()}|{payload}"));

    private string? Unprotect(IDataProtector protector, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2000)
        {
            return null;
        }

        try
        {
            var plain = protector.Unprotect(token);
            var bar = plain.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0 || !long.TryParse(plain.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                || _time.GetUtcNow().ToUnixTimeSeconds() >= expires)
            {
                return null;
            }

            return plain[(bar + 1)..];
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
