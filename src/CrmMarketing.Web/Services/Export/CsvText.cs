using System.Globalization;
using System.Text;

namespace CrmMarketing.Web.Services.Export;

/// <summary>RFC 4180 CSV cells that spreadsheets cannot run as formulas (CSV/formula injection).</summary>
public static class CsvText
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>UTF-8 with a byte order mark, so that Excel reads the text as UTF-8.</summary>
    public static Encoding Encoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>Prefixes a single quote when the value, after any leading spaces, starts with = + - @, a tab or a
    /// carriage return, so that a spreadsheet shows it as text instead of evaluating it.</summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var first = value.TrimStart(' ');
        return first.Length > 0 && FormulaStarts.Contains(first[0]) ? "'" + value : value;
    }

    /// <summary>A text cell: neutralised, then quoted when it holds a comma, quote or line break.</summary>
    public static string Text(string? value)
    {
        var safe = Neutralise(value);
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }

    /// <summary>A number cell in invariant culture; numbers are data, so a minus sign is kept as is.</summary>
    public static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes one line of cells that are already formatted with <see cref="Text"/> or <see cref="Number(decimal?)"/>.</summary>
    public static void AppendLine(StringBuilder csv, IEnumerable<string> cells) => csv.Append(string.Join(',', cells)).Append("\r\n");
}
