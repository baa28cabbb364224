using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace CrmMarketing.Web.Extensions;

public static class JsonDataBlockExtensions
{
    // The default encoder escapes <, >, &, ' and non-ASCII as \uXXXX, so no value can close the
    // script element or inject markup: the JSON is safe to emit raw inside it.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Default };

    /// <summary>Renders <c>&lt;script type="application/json" id="…"&gt;</c> with the model serialised as JSON,
    /// for a page module under wwwroot/js to read. Not executable, so the CSP stays strict.</summary>
    public static IHtmlContent JsonDataBlock(this IHtmlHelper html, string id, object model)
    {
        var builder = new HtmlContentBuilder();
        builder.AppendHtml("<script type=\"application/json\" id=\"");
        builder.Append(id);
        builder.AppendHtml("\">");
        builder.AppendHtml(JsonSerializer.Serialize(model, Options));
        builder.AppendHtml("</script>");
        return builder;
    }
}
