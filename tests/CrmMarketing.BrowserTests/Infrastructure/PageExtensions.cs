using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests.Infrastructure;

public static partial class PageExtensions
{
    /// <summary>Collects console errors and uncaught exceptions; CSP violations are reported as console errors.</summary>
    public static List<string> CollectErrors(this IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }

    /// <summary>Opens the login page and signs in through the form.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.Locator("input[name='Email']").FillAsync(email);
        await page.Locator("input[name='Password']").FillAsync(password);
        await page.Locator("form:has(input[type='password']) [type='submit']").ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(LoginUrl());
    }

    [GeneratedRegex("/Account/Login(\\?|$)")]
    public static partial Regex LoginUrl();
}
