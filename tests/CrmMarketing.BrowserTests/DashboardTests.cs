using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

public sealed class DashboardTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task Dashboard_YearRange_DrawsChartsAndABarClickOpensTheFilteredCustomerList()
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

        await page.GotoAsync("/Dashboard");
        await page.Locator("#preset-365").ClickAsync();
        await Assertions.Expect(page.Locator("#preset-365")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("btn-primary"));

        foreach (var id in new[] { "sales-chart", "new-chart", "region-chart", "products-chart" })
        {
            var canvas = page.Locator("canvas#" + id);
            await Assertions.Expect(canvas).ToBeVisibleAsync();
            // Chart.js sizes the canvas when it draws.
            await Assertions.Expect(canvas).ToHaveAttributeAsync("style", new System.Text.RegularExpressions.Regex("height"));
        }

        // Click the middle of the best-selling product's bar.
        var products = page.Locator("canvas#products-chart");
        await products.ScrollIntoViewIfNeededAsync();
        var point = await products.EvaluateAsync<double[]>(
            "c => { const bar = Chart.getChart(c).getDatasetMeta(0).data[0]; return [bar.x, (bar.y + bar.base) / 2]; }");
        var box = (await products.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(box.X + point[0]), (float)(box.Y + point[1]));

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/Customers\\?.*product="));
        Assert.Contains("purchasedFrom=", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#product-filter")).ToBeVisibleAsync();
        Assert.True(await page.Locator("a[href^='/Customers/Details/']").CountAsync() > 0);
        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }
}
