using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Services.Templates;

/// <summary>A message's content after merging: the subject (email), the HTML body (email) and the plain text
/// (the email's alternative part, or the SMS).</summary>
public sealed record RenderedMessage(string? Subject, string? HtmlBody, string TextBody);

/// <summary>Content that is not stored as a template: an ad hoc message written on the customer page.</summary>
public sealed record MessageContent(MessageChannel Channel, string? Subject, string? HtmlBody, string? TextBody, bool IsMarketing, bool TrackingEnabled)
{
    public static MessageContent From(MessageTemplate t) => new(t.Channel, t.Subject, t.HtmlBody, t.TextBody, t.IsMarketing, t.TrackingEnabled);
}

public static class MessageComposer
{
    public static RenderedMessage Render(MessageTemplate template, MergeValues values) => Render(MessageContent.From(template), values);

    /// <summary>Merges the values into the content. An email without its own plain text gets one generated from
    /// the merged HTML.</summary>
    public static RenderedMessage Render(MessageContent content, MergeValues values)
    {
        if (content.Channel == MessageChannel.Sms)
        {
            return new RenderedMessage(null, null, TemplateRenderer.Render(content.TextBody, values, html: false));
        }

        var subject = TemplateRenderer.RenderSubject(content.Subject, values);
        if (string.IsNullOrWhiteSpace(content.HtmlBody))
        {
            // Written as plain text (an ad hoc message): the HTML part is that text, encoded, in paragraphs.
            var plain = TemplateRenderer.Render(content.TextBody, values, html: false);
            return new RenderedMessage(subject, TextToHtml(plain), plain);
        }

        var html = TemplateRenderer.Render(content.HtmlBody, values, html: true);
        var text = string.IsNullOrWhiteSpace(content.TextBody)
            ? HtmlToText.Convert(html)
            : TemplateRenderer.Render(content.TextBody, values, html: false);
        return new RenderedMessage(subject, html, text);
    }

    /// <summary>Plain text as HTML: encoded, blank lines separate paragraphs, single line breaks become &lt;br&gt;.</summary>
    public static string TextToHtml(string text)
    {
        var paragraphs = text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Concat(paragraphs.Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>"));
    }
}
