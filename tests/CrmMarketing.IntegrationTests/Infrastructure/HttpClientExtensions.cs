using System.Net;

using AngleSharp.Html.Dom;

namespace CrmMarketing.IntegrationTests.Infrastructure;

public static class HttpClientExtensions
{
    public const string LoginPath = "/Account/Login";
    public const string AccessDeniedPath = "/Account/AccessDenied";

    /// <summary>A page every signed-in or anonymous user can open; its layout carries a form with a token.</summary>
    public const string TokenPagePath = "/Home/Status/404";

    /// <summary>Signs in through the real login form and fails loudly when the form rejects the credentials.</summary>
    public static async Task SignInAsync(this HttpClient client, string email, string password)
    {
        using var page = await client.GetAsync(LoginPath);
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {LoginPath} returned {(int)page.StatusCode}; the login page is required to sign in.");
        }

        var document = await HtmlPage.ParseAsync(page);
        var form = document.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .FirstOrDefault(f => f.QuerySelector("input[type='password']") is not null)
            ?? throw new InvalidOperationException($"{LoginPath} has no form with a password field.");

        var fields = HtmlPage.GetFormValues(form);
        fields[FieldName(form, "Email")] = email;
        fields[FieldName(form, "Password")] = password;

        using var response = await client.PostAsync(HtmlPage.GetFormAction(form, LoginPath), new FormUrlEncodedContent(fields));
        var landedOnLogin = response.StatusCode == HttpStatusCode.OK
            && string.Equals(response.RequestMessage?.RequestUri?.AbsolutePath, LoginPath, StringComparison.OrdinalIgnoreCase);
        var redirectedToLogin = IsRedirectTo(response, LoginPath);
        if (landedOnLogin || redirectedToLogin || (int)response.StatusCode >= 400)
        {
            throw new InvalidOperationException(
                $"Signing in as {email} failed: POST {LoginPath} returned {(int)response.StatusCode}" +
                (response.Headers.Location is { } location ? $" to {location}" : string.Empty) + ".");
        }
    }

    /// <summary>GETs <paramref name="pageUrl"/> and returns the antiforgery token rendered for this client's user.</summary>
    public static async Task<string> GetAntiforgeryTokenAsync(this HttpClient client, string pageUrl = TokenPagePath)
    {
        using var page = await client.GetAsync(pageUrl);
        var document = await HtmlPage.ParseAsync(page);
        return HtmlPage.GetAntiforgeryToken(document);
    }

    /// <summary>POSTs the fields to <paramref name="actionUrl"/> with a token scraped from <paramref name="tokenPageUrl"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string actionUrl,
        IEnumerable<KeyValuePair<string, string>>? fields = null, string tokenPageUrl = TokenPagePath)
    {
        var token = await client.GetAntiforgeryTokenAsync(tokenPageUrl);
        var body = (fields ?? []).Append(new(HtmlPage.AntiforgeryFieldName, token));
        return await client.PostAsync(actionUrl, new FormUrlEncodedContent(body));
    }

    /// <summary>Opens <paramref name="pageUrl"/>, fills the form matched by <paramref name="formSelector"/> with its
    /// current values plus <paramref name="overrides"/>, and submits it to its own action.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string pageUrl,
        string formSelector, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        using var page = await client.GetAsync(pageUrl);
        var document = await HtmlPage.ParseAsync(page);
        var form = document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"{pageUrl} ({(int)page.StatusCode}) has no form matching '{formSelector}'.");
        var fields = HtmlPage.GetFormValues(form);
        foreach (var (key, value) in overrides ?? [])
        {
            fields[key] = value;
        }

        return await client.PostAsync(HtmlPage.GetFormAction(form, pageUrl), new FormUrlEncodedContent(fields));
    }

    /// <summary>True when the response is a redirect whose target path is <paramref name="path"/>.</summary>
    public static bool IsRedirectTo(HttpResponseMessage response, string path)
    {
        if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is not { } location)
        {
            return false;
        }

        var target = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?', 2)[0];
        return string.Equals(target, path, StringComparison.OrdinalIgnoreCase);
    }

    private static string FieldName(IHtmlFormElement form, string name)
    {
        var input = form.QuerySelectorAll("input[name]").OfType<IHtmlInputElement>()
            .FirstOrDefault(i => i.Name == name || i.Name!.EndsWith("." + name, StringComparison.Ordinal));
        return input?.Name ?? name;
    }
}
