using AngleSharp.Dom;

namespace CrmMarketing.IntegrationTests.Infrastructure;

/// <summary>The page must work under the app's CSP (script-src 'self'; style-src 'self'): no inline script,
/// no inline style, no inline event handlers, no javascript: URLs. JSON data blocks are not scripts.</summary>
public static class CspAssert
{
    private static readonly string[] DataBlockTypes = ["application/json", "application/ld+json"];

    public static async Task NoInlineCodeAsync(HttpResponseMessage response)
    {
        var document = await HtmlPage.ParseAsync(response);
        NoInlineCode(document, response.RequestMessage?.RequestUri?.PathAndQuery ?? "(page)");
    }

    public static void NoInlineCode(IDocument document, string pageName)
    {
        var violations = FindViolations(document).ToList();
        Assert.True(violations.Count == 0,
            $"{pageName} has markup the Content-Security-Policy blocks:\n  " + string.Join("\n  ", violations));
    }

    public static IEnumerable<string> FindViolations(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script"))
        {
            var type = script.GetAttribute("type")?.Trim().ToLowerInvariant();
            if (!script.HasAttribute("src") && !DataBlockTypes.Contains(type))
            {
                yield return "inline <script>: " + Shorten(script.OuterHtml);
            }
        }

        foreach (var style in document.QuerySelectorAll("style"))
        {
            yield return "<style> block: " + Shorten(style.OuterHtml);
        }

        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                var name = attribute.Name.ToLowerInvariant();
                if (name == "style")
                {
                    yield return $"style=\"\" attribute on <{element.LocalName}>: " + Shorten(attribute.Value);
                }
                else if (name.StartsWith("on", StringComparison.Ordinal) && name.Length > 2)
                {
                    yield return $"inline event handler {name} on <{element.LocalName}>";
                }
                else if (name is "href" or "src" or "action" or "formaction"
                    && attribute.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                {
                    yield return $"javascript: URL in {name} on <{element.LocalName}>";
                }
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
