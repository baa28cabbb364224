using System.Net.Mail;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace CrmMarketing.Web.Services.Customers;

/// <summary>Email and phone rules shared by forms, import and search.</summary>
public static partial class ContactNormalizer
{
    /// <summary>Region assumed for numbers written without a country code.</summary>
    public const string DefaultRegion = "CN";

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>E.164 (+8613812345678) or null when the text is not a valid number.
    /// 11-digit Chinese mobile numbers (13812345678) are accepted without a country code.</summary>
    public static string? NormalizePhone(string? text, string defaultRegion = DefaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith("00", StringComparison.Ordinal))
        {
            trimmed = "+" + trimmed[2..];
        }

        try
        {
            var number = Phones.Parse(trimmed, defaultRegion);
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>Trimmed, lower-cased address, or null when it is not a plausible mailbox.</summary>
    public static string? NormalizeEmail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (!EmailPattern().IsMatch(trimmed) || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>Candidate E.164 prefixes for a search term made of digits (and +, spaces, dashes).</summary>
    public static IReadOnlyList<string> PhoneSearchPrefixes(string term)
    {
        var digits = new string(term.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 3)
        {
            return [];
        }

        var trimmed = term.TrimStart();
        if (trimmed.StartsWith('+'))
        {
            return ["+" + digits];
        }

        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            return ["+" + digits[2..]];
        }

        var country = Phones.GetCountryCodeForRegion(DefaultRegion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A national number (138…) or an international one typed without the plus (86138…).
        return digits.StartsWith('0')
            ? ["+" + country + digits[1..]]
            : ["+" + country + digits, "+" + digits];
    }

    public static bool LooksLikePhone(string term) =>
        PhoneSearchPattern().IsMatch(term) && term.Count(char.IsAsciiDigit) >= 3;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\s*\+?[\d\s\-()]+$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex PhoneSearchPattern();
}
