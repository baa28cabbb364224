using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CrmMarketing.Web.Services.Feedback;

public enum SurveyTokenStatus
{
    Valid,
    Invalid,
    Expired,
}

/// <summary>The signed, time-limited survey link token: "tokenId|expiry ticks" encrypted and authenticated
/// with ASP.NET Core Data Protection. The expiry is inside the signed payload and checked against the injected
/// clock (so tests can move time); any change to the token fails authentication and reads as invalid.</summary>
public sealed class SurveyTokens(IDataProtectionProvider provider, TimeProvider time)
{
    private const string Purpose = "CrmMarketing.Surveys.Invitation.v1";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public static string NewTokenId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string Protect(string tokenId, DateTime expiresAtUtc) =>
        _protector.Protect(tokenId + "|" + expiresAtUtc.Ticks.ToString(CultureInfo.InvariantCulture));

    public SurveyTokenStatus Read(string? token, out string tokenId)
    {
        tokenId = string.Empty;
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return SurveyTokenStatus.Invalid;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return SurveyTokenStatus.Invalid;
        }
        catch (FormatException)
        {
            return SurveyTokenStatus.Invalid;
        }

        var parts = payload.Split('|');
        if (parts.Length != 2 || parts[0].Length == 0
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return SurveyTokenStatus.Invalid;
        }

        tokenId = parts[0];
        return time.GetUtcNow().UtcDateTime >= new DateTime(ticks, DateTimeKind.Utc) ? SurveyTokenStatus.Expired : SurveyTokenStatus.Valid;
    }
}
