using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace CrmMarketing.IntegrationTests.Infrastructure;

/// <summary>Parses responses with AngleSharp and reads what tests need from them.</summary>
public static class HtmlPage
{
    public const string AntiforgeryFieldName = "__RequestVerificationToken";

    /// <summary>The header the antiforgery service reads for requests without a form body.</summary>
    public const string AntiforgeryHeaderName = "RequestVerificationToken";

    private static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        return Parser.ParseDocument(html);
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>The antiforgery token of the first form that carries one (every layout page has the language form).</summary>
    public static string GetAntiforgeryToken(IParentNode document, string? formSelector = null)
    {
        var scope = formSelector is null ? document : document.QuerySelector(formSelector)
            ?? throw new InvalidOperationException($"No element matches '{formSelector}'.");
        var input = scope.QuerySelector($"input[name='{AntiforgeryFieldName}']") as IHtmlInputElement
            ?? throw new InvalidOperationException($"The page has no {AntiforgeryFieldName} input.");
        return input.Value;
    }

    /// <summary>The current values of a form's named fields (hidden, text, checked boxes, selects, text areas).</summary>
    public static Dictionary<string, string> GetFormValues(IHtmlFormElement form)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    if (input.Type is "checkbox" or "radio")
                    {
                        if (input.IsChecked)
                        {
                            values[input.Name] = input.Value;
                        }
                    }
                    else if (input.Type is not ("submit" or "button" or "image" or "file" or "reset"))
                    {
                        values.TryAdd(input.Name, input.Value);
                    }

                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    var selected = select.SelectedOptions.FirstOrDefault() ?? select.Options.FirstOrDefault();
                    if (selected is not null)
                    {
                        values[select.Name] = selected.Value;
                    }

                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    values[area.Name] = area.Value;
                    break;
            }
        }

        return values;
    }

    /// <summary>The form's action as a path relative to the site; an empty action posts back to the page.</summary>
    public static string GetFormAction(IHtmlFormElement form, string pageUrl)
    {
        var action = form.GetAttribute("action");
        return string.IsNullOrEmpty(action) ? pageUrl : action;
    }
}
