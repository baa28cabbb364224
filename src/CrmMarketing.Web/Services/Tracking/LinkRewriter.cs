using AngleSharp.Html.Parser;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Tracking;

public sealed record RewrittenHtml(string Html, IReadOnlyList<string> Links);

/// <summary>Prepares a merged HTML body for tracking: every absolute http(s) link (except the unsubscribe link)
/// is replaced by a click URL naming the link's index, and an open pixel is appended. The original URLs are
/// returned in index order so that they can be stored with the message; the click endpoint redirects only to
/// them. Links are found with an HTML parser, not with patterns.</summary>
public static class LinkRewriter
{
    public static RewrittenHtml Rewrite(string html, Func<int, string> clickUrl, string? openPixelUrl, string? unsubscribeUrl)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument("<!doctype html><html><body></body></html>");
        var body = document.Body!;
        foreach (var node in parser.ParseFragment(html, body).ToList())
        {
            body.AppendChild(node);
        }

        var links = new List<string>();
        foreach (var anchor in body.QuerySelectorAll("a[href]"))
        {
            var href = anchor.GetAttribute("href")!.Trim();
            if (!Uri.TryCreate(href, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || href.Length > OutboxMessage.UrlMaxLength
                || string.Equals(href, unsubscribeUrl, StringComparison.Ordinal))
            {
                continue;
            }

            var index = links.IndexOf(href);
            if (index < 0)
            {
                index = links.Count;
                links.Add(href);
            }

            anchor.SetAttribute("href", clickUrl(index));
        }

        if (openPixelUrl is not null)
        {
            var pixel = document.CreateElement("img");
            pixel.SetAttribute("src", openPixelUrl);
            pixel.SetAttribute("width", "1");
            pixel.SetAttribute("height", "1");
            pixel.SetAttribute("alt", string.Empty);
            body.AppendChild(pixel);
        }

        return new RewrittenHtml(body.InnerHtml, links);
    }
}
