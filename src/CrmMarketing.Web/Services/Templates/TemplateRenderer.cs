using System.Net;
using System.Text;

namespace CrmMarketing.Web.Services.Templates;

/// <summary>Values for the merge fields of one message. <see cref="With"/> adds caller-supplied fields
/// (<see cref="MergeFieldSource.Caller"/>); their names must be in the allow-list. Values set explicitly win; any
/// other field is asked of the optional resolver the first time a template uses it, so a message pays only for the
/// fields its template contains (formatting money and dates for 100,000 recipients adds up).</summary>
public sealed class MergeValues
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Func<string, string?>? _resolve;

    public MergeValues()
    {
    }

    /// <summary>Values computed on demand by <paramref name="resolve"/>, which receives allow-listed names only.</summary>
    public MergeValues(Func<string, string?> resolve) => _resolve = resolve;

    public MergeValues Set(string field, string? value)
    {
        if (!MergeFields.IsKnown(field))
        {
            throw new ArgumentException($"'{field}' is not an allow-listed merge field.", nameof(field));
        }

        _values[field] = value;
        return this;
    }

    /// <summary>Adds caller-supplied values, e.g. a survey link; unknown names are a programming error.</summary>
    public MergeValues With(IReadOnlyDictionary<string, string?>? extra)
    {
        if (extra is not null)
        {
            foreach (var (field, value) in extra)
            {
                Set(field, value);
            }
        }

        return this;
    }

    public string? Get(string field)
    {
        if (_values.TryGetValue(field, out var value))
        {
            return value;
        }

        if (_resolve is null || !MergeFields.IsKnown(field))
        {
            return null;
        }

        value = _resolve(field);
        _values[field] = value;
        return value;
    }
}

/// <summary>Replaces <c>{{field}}</c> and <c>{{field|default}}</c>. An empty value falls back to the default (or
/// nothing). In HTML bodies values and defaults are HTML-encoded, so a customer called <c>&lt;b&gt;</c> cannot
/// inject markup; subjects and plain text are inserted as they are.</summary>
public static class TemplateRenderer
{
    public static string Render(string? template, MergeValues values, bool html)
    {
        if (string.IsNullOrEmpty(template))
        {
            return string.Empty;
        }

        var output = new StringBuilder(template.Length + 64);
        var last = 0;
        foreach (var p in Placeholders(template))
        {
            output.Append(template, last, p.Index - last);
            var value = values.Get(p.Name);
            if (string.IsNullOrWhiteSpace(value))
            {
                value = p.Default;
            }

            if (!string.IsNullOrEmpty(value))
            {
                output.Append(html ? WebUtility.HtmlEncode(value) : value);
            }

            last = p.Index + p.Length;
        }

        output.Append(template, last, template.Length - last);
        return output.ToString();
    }

    /// <summary>The placeholders of a template, parsed once: a campaign renders the same few templates for every
    /// recipient. The cache is small and simply starts over when full.</summary>
    public static IReadOnlyList<MergePlaceholder> Placeholders(string template)
    {
        if (Parsed.TryGetValue(template, out var cached))
        {
            return cached;
        }

        var parsed = MergeFields.Parse(template).ToArray();
        if (Parsed.Count >= MaxCachedTemplates)
        {
            Parsed.Clear();
        }

        Parsed[template] = parsed;
        return parsed;
    }

    private const int MaxCachedTemplates = 256;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MergePlaceholder[]> Parsed = new(StringComparer.Ordinal);

    /// <summary>A subject is one header line: line breaks in values or the template become spaces.</summary>
    public static string RenderSubject(string? template, MergeValues values) =>
        Render(template, values, html: false).ReplaceLineEndings(" ").Trim();
}
