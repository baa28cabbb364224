using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CrmMarketing.Web.Data;

/// <summary>decimal ⇄ integer ten-thousandths of the currency unit (4 decimal places, exact).</summary>
public sealed class MoneyConverter() : ValueConverter<decimal, long>(
    v => Money.ToStored(v),
    v => Money.FromStored(v));

public static class Money
{
    public const long Scale = 10_000;

    public static long ToStored(decimal value) => (long)decimal.Round(value * Scale, 0, MidpointRounding.AwayFromZero);

    public static decimal FromStored(long value) => (decimal)value / Scale;
}

public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => UtcTime.Normalize(v),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
    v => v == null ? v : UtcTime.Normalize(v.Value),
    v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));

public static class UtcTime
{
    /// <summary>Local times are converted; unspecified ones are taken to be UTC already.</summary>
    public static DateTime Normalize(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}
