using System.Globalization;
using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Formatting;

/// <summary>Formats money, dates and numbers for the current UI culture and the configured time zone.</summary>
public sealed class DisplayFormatter
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["CNY"] = "¥",
        ["USD"] = "$",
        ["EUR"] = "€",
        ["GBP"] = "£",
        ["JPY"] = "¥",
        ["HKD"] = "HK$",
    };

    private readonly string _currencySymbol;

    public DisplayFormatter(IOptions<CrmOptions> options)
    {
        Currency = options.Value.Currency;
        _currencySymbol = Symbols.GetValueOrDefault(Currency, Currency + " ");
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
    }

    public string Currency { get; }

    public TimeZoneInfo TimeZone { get; }

    public string Money(decimal amount)
    {
        var format = (NumberFormatInfo)CultureInfo.CurrentCulture.NumberFormat.Clone();
        format.CurrencySymbol = _currencySymbol;
        format.CurrencyDecimalDigits = 2;
        return amount.ToString("C", format);
    }

    public string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public string Number(decimal value, int decimals = 2) => value.ToString("N" + decimals, CultureInfo.CurrentCulture);

    public System.DateTime ToLocal(System.DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(System.DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);

    public string Date(System.DateTime? utc) => utc is null ? string.Empty : ToLocal(utc.Value).ToString("d", CultureInfo.CurrentCulture);

    public string Date(DateOnly? date) => date?.ToString("d", CultureInfo.CurrentCulture) ?? string.Empty;

    public string DateTime(System.DateTime? utc) => utc is null ? string.Empty : ToLocal(utc.Value).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>ISO 8601 for machine-readable attributes (datetime="…").</summary>
    public static string Iso(System.DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The UTC instant at which a calendar day of the display zone begins: the inclusive lower bound
    /// of a date-range filter.</summary>
    public System.DateTime StartOfDayUtc(DateOnly day) => ToUtc(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>The UTC instant at which the day after <paramref name="day"/> begins: the exclusive upper bound
    /// of a date-range filter that includes <paramref name="day"/>.</summary>
    public System.DateTime EndOfDayUtc(DateOnly day) => StartOfDayUtc(day.AddDays(1));

    /// <summary>Converts a wall-clock time entered in the display zone back to UTC.</summary>
    public System.DateTime ToUtc(System.DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(System.DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZone);
}
