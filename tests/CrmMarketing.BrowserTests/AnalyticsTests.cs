using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

public sealed class AnalyticsTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task RfmPage_AfterRecompute_DrawsTheSegmentChartWithoutBrowserErrors()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var browserErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                browserErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => browserErrors.Add(error);

        await page.GotoAsync("/Account/Login");
        await page.Locator("input[name='Email']").FillAsync(BrowserFixture.DemoAdminEmail);
        await page.Locator("input[name='Password']").FillAsync(fixture.DemoPassword);
        await page.Locator("form:has(input[type='password']) [type='submit']").ClickAsync();
        await Assertions.Expect(page.Locator("#user-menu")).ToBeVisibleAsync();

        await page.GotoAsync("/Analytics/Rfm");
        await page.Locator("#rfm-refresh").ClickAsync();

        await Assertions.Expect(page.Locator(".alert")).ToContainTextAsync("RFM scores recomputed");
        var canvas = page.Locator("canvas#rfm-chart");
        await Assertions.Expect(canvas).ToBeVisibleAsync();
        // Chart.js sizes the canvas when it draws.
        await Assertions.Expect(canvas).ToHaveAttributeAsync("style", new System.Text.RegularExpressions.Regex("height"));
        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }
}
