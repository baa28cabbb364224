using System.Globalization;
using System.Text;

namespace CrmMarketing.Web.Services.Export;

/// <summary>RFC 4180 cells that spreadsheets cannot run as formulas.</summary>
/// <remarks>A text cell whose first non-whitespace character is = + - or @, or that starts with a tab or a
/// carriage return, gets a leading single quote, so Excel and LibreOffice show it as text instead of
/// evaluating it. This applies to "-5" typed into a text field too: a text cell cannot be told apart from an
/// attack by its look. Numbers the application itself produces (counts, money) are written with
/// <see cref="AppendValue"/> and are never prefixed.</remarks>
public static class CsvText
{
    public const string Separator = ",";
    public const string NewLine = "\r\n";

    /// <summary>The bytes of the UTF-8 byte-order mark, which tells Excel the file is UTF-8.</summary>
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The value with a leading single quote when a spreadsheet would read it as a formula.</summary>
    public static string Neutralize(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        if (value[0] is '\t' or '\r')
        {
            return "'" + value;
        }

        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                return c is '=' or '+' or '-' or '@' ? "'" + value : value;
            }
        }

        return value;
    }

    /// <summary>The value neutralized and quoted when it holds a comma, a quote, a CR or an LF (RFC 4180).</summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var safe = Neutralize(value);
        return safe.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? safe
            : "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Appends one text cell, preceded by a separator unless it is the first of the row.</summary>
    public static StringBuilder AppendCell(this StringBuilder row, string? value)
    {
        if (row.Length > 0)
        {
            row.Append(Separator);
        }

        return row.Append(Escape(value));
    }

    /// <summary>Appends a number or date the application produced, in the invariant culture: never prefixed or
    /// quoted (a negative total spent stays a number). Null leaves the cell empty.</summary>
    public static StringBuilder AppendValue(this StringBuilder row, IFormattable? value, string? format = null)
    {
        if (row.Length > 0)
        {
            row.Append(Separator);
        }

        return value is null ? row : row.Append(value.ToString(format, CultureInfo.InvariantCulture));
    }
}
