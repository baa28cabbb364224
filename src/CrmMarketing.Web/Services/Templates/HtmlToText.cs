using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace CrmMarketing.Web.Services.Templates;

/// <summary>The plain-text alternative of an HTML email: paragraphs and list items on their own lines, links as
/// "text (url)", everything else as its text.</summary>
public static class HtmlToText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "header", "footer", "table", "tr", "ul", "ol", "blockquote",
        "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
    };

    public static string Convert(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return string.Empty;
        }

        var parser = new HtmlParser();
        using var document = parser.ParseDocument("<!doctype html><html><body></body></html>");
        var nodes = parser.ParseFragment(html, document.Body!);
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            Append(node, text);
        }

        var lines = text.ToString().Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }

            result.Append(line);
            blank = 0;
        }

        return result.ToString();
    }

    private static void Append(INode node, StringBuilder text)
    {
        switch (node)
        {
            case IText t:
                text.Append(t.Data.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' '));
                return;
            case IElement e:
                var tag = e.LocalName;
                if (tag is "script" or "style" or "head" or "title")
                {
                    return;
                }

                if (tag == "br")
                {
                    text.Append('\n');
                    return;
                }

                var block = BlockTags.Contains(tag);
                if (block)
                {
                    text.Append("\n\n");
                }
                else if (tag is "li")
                {
                    text.Append("\n- ");
                }
                else if (tag is "td" or "th")
                {
                    text.Append(' ');
                }

                foreach (var child in e.ChildNodes)
                {
                    Append(child, text);
                }

                if (tag == "a" && e.GetAttribute("href") is { Length: > 0 } href && !href.StartsWith('#')
                    && !string.Equals(e.TextContent.Trim(), href, StringComparison.Ordinal))
                {
                    text.Append(" (").Append(href).Append(')');
                }

                if (block)
                {
                    text.Append("\n\n");
                }

                return;
        }
    }
}
