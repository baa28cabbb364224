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

    /// <summary>The national significant number of an E.164 number (+8613812345678 → 13812345678), or null.</summary>
    public static string? NationalNumber(string? e164)
    {
        if (string.IsNullOrWhiteSpace(e164))
        {
            return null;
        }

        try
        {
            return Phones.Parse(e164, DefaultRegion).NationalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
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

    /// <summary>The E.164 prefix a phone search term stands for, read the way the forms read numbers:
    /// with + or 00 it is international; otherwise it is a number of the default region (138… → +86138…),
    /// unless it already starts with that region's country code (86138… → +86138…). Null under three digits.</summary>
    public static string? PhoneSearchPrefix(string term)
    {
        var digits = new string(term.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 3)
        {
            return null;
        }

        if (term.TrimStart().StartsWith('+'))
        {
            return "+" + digits;
        }

        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            return "+" + digits[2..];
        }

        var country = Phones.GetCountryCodeForRegion(DefaultRegion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (digits.StartsWith('0'))
        {
            return "+" + country + digits[1..];
        }

        // A national mobile number is 11 digits; a longer one that begins with the country code is international.
        return digits.StartsWith(country, StringComparison.Ordinal) && digits.Length > 11
            ? "+" + digits
            : "+" + country + digits;
    }

    public static bool LooksLikePhone(string term) =>
        PhoneSearchPattern().IsMatch(term) && term.Count(char.IsAsciiDigit) >= 3;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\s*\+?[\d\s\-()]+$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex PhoneSearchPattern();
}
