using System.Globalization;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Import;

/// <summary>Reads cell text as dates, numbers and enum values under a job's options.</summary>
public sealed class ImportValues(string? dateFormat, string decimalSeparator)
{
    /// <summary>Date formats offered in the wizard; empty means ISO (yyyy-MM-dd or yyyy/MM/dd, optionally with a time).</summary>
    public static IReadOnlyList<string> DateFormats { get; } = ["", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "d/M/yyyy", "M/d/yyyy", "yyyyMMdd"];

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd H:mm",
        "yyyy-MM-dd H:mm:ss", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss",
        "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    private readonly string[] _formats = string.IsNullOrEmpty(dateFormat)
        ? IsoFormats
        : [dateFormat, dateFormat + " HH:mm", dateFormat + " HH:mm:ss", dateFormat + " H:mm", dateFormat + " H:mm:ss"];

    /// <summary>Wall-clock date and time as written (unspecified kind).</summary>
    public bool TryDateTime(string text, out DateTime value)
    {
        if (DateTime.TryParseExact(text, _formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value))
        {
            value = DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
            return true;
        }

        // Offsets written in the value (2026-01-02T10:00:00Z, +08:00) are honoured.
        if (string.IsNullOrEmpty(dateFormat) && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset))
        {
            value = DateTime.SpecifyKind(offset.UtcDateTime, DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    public bool TryDate(string text, out DateOnly value)
    {
        if (TryDateTime(text, out var dateTime))
        {
            value = DateOnly.FromDateTime(dateTime);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>A number with the job's decimal separator; the other separator, spaces and apostrophes group thousands.</summary>
    public bool TryDecimal(string text, out decimal value)
    {
        var cleaned = text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("'", string.Empty, StringComparison.Ordinal)
            .Replace("\u00A0", string.Empty, StringComparison.Ordinal);
        cleaned = decimalSeparator == ","
            ? cleaned.Replace(".", string.Empty, StringComparison.Ordinal).Replace(',', '.')
            : cleaned.Replace(",", string.Empty, StringComparison.Ordinal);
        return decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A whole number; "3.0" (as spreadsheets write integers) counts.</summary>
    public bool TryInt(string text, out int value)
    {
        if (TryDecimal(text, out var number) && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)number;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>External ids the way spreadsheets mangle them: "17850.0" is "17850".</summary>
    public static string NormaliseExternalId(string text)
    {
        var trimmed = text.Trim();
        var dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && trimmed[..dot].All(char.IsAsciiDigit) && trimmed[(dot + 1)..].All(c => c == '0'))
        {
            return trimmed[..dot];
        }

        return trimmed;
    }

    public static bool TryGender(string text, out Gender gender)
    {
        gender = NormaliseWord(text) switch
        {
            "m" or "male" or "man" or "男" or "男性" or "先生" => Gender.Male,
            "f" or "female" or "woman" or "女" or "女性" or "女士" => Gender.Female,
            "other" or "其他" => Gender.Other,
            "unknown" or "u" or "未知" => Gender.Unknown,
            _ => (Gender)(-1),
        };
        return gender >= 0 || (Enum.TryParse(text, true, out gender) && Enum.IsDefined(gender));
    }

    public static bool TryPurchaseChannel(string text, out PurchaseChannel channel)
    {
        channel = NormaliseWord(text) switch
        {
            "online" or "web" or "线上" or "网店" or "网上" => PurchaseChannel.Online,
            "store" or "shop" or "门店" or "线下" or "实体店" => PurchaseChannel.Store,
            "phone" or "电话" => PurchaseChannel.Phone,
            "marketplace" or "平台" or "第三方平台" => PurchaseChannel.Marketplace,
            "other" or "其他" => PurchaseChannel.Other,
            _ => (PurchaseChannel)(-1),
        };
        return channel >= 0;
    }

    public static bool TryFeedbackChannel(string text, out FeedbackChannel channel)
    {
        channel = NormaliseWord(text) switch
        {
            "phone" or "电话" => FeedbackChannel.Phone,
            "email" or "邮件" or "邮箱" => FeedbackChannel.Email,
            "store" or "门店" => FeedbackChannel.Store,
            "web" or "online" or "网站" or "线上" => FeedbackChannel.Web,
            "survey" or "问卷" or "调查" => FeedbackChannel.Survey,
            _ => (FeedbackChannel)(-1),
        };
        return channel >= 0;
    }

    public static bool TryFeedbackCategory(string text, out FeedbackCategory category)
    {
        category = NormaliseWord(text) switch
        {
            "product" or "产品" or "商品" => FeedbackCategory.Product,
            "service" or "服务" => FeedbackCategory.Service,
            "delivery" or "物流" or "配送" => FeedbackCategory.Delivery,
            "price" or "价格" => FeedbackCategory.Price,
            "other" or "其他" => FeedbackCategory.Other,
            _ => (FeedbackCategory)(-1),
        };
        return category >= 0;
    }

    private static string NormaliseWord(string text) => text.Trim().ToLowerInvariant();
}
