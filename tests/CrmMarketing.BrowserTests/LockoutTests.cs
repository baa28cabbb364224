using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

/// <summary>Its own app instance: it locks an account on purpose.</summary>
public sealed class LockoutTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task Login_FiveWrongPasswords_LocksEvenTheRightOne()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.Locator("#Email").FillAsync(BrowserFixture.DemoAdminEmail);
            await page.Locator("#Password").FillAsync("wrong-password-" + attempt);
            await page.Locator("#login-submit").ClickAsync();
            await Assertions.Expect(page.Locator("form .validation-summary-errors, form [data-valmsg-summary]").First).ToBeVisibleAsync();
        }

        await page.Locator("#Email").FillAsync(BrowserFixture.DemoAdminEmail);
        await page.Locator("#Password").FillAsync(fixture.DemoPassword);
        await page.Locator("#login-submit").ClickAsync();

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("This account is locked");
        Assert.EndsWith("/Account/Login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }
}
