using Ganss.Xss;

namespace CrmMarketing.Web.Services.Templates;

/// <summary>Cleans template HTML on save with HtmlSanitizer (AngleSharp-based): scripts, event handler
/// attributes, forms, frames and javascript: URLs go; ordinary email markup and inline styles stay.</summary>
public sealed class HtmlBodySanitizer
{
    private readonly HtmlSanitizer _sanitizer;

    public HtmlBodySanitizer()
    {
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto", "tel" })
        {
            _sanitizer.AllowedSchemes.Add(scheme);
        }

        _sanitizer.AllowedAttributes.Add("class");
        _sanitizer.AllowedAttributes.Remove("id");
        _sanitizer.AllowedTags.Remove("form");
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);
}
