using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

public sealed class CampaignMetricsTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task Metrics_CompletedDemoNewsletter_DrawsItsChartsAndTheReportDrawsRoi()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var browserErrors = page.CollectErrors();
        await page.SignInAsync(BrowserFixture.DemoAdminEmail, fixture.DemoPassword);

        // From the list of completed email activities to the newsletter's details, then its metrics.
        await page.GotoAsync("/Campaigns?type=Email&status=Completed");
        await page.Locator("#activity-table tbody tr[data-activity-id] a").First.ClickAsync();
        await page.Locator("#metrics-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("/Campaigns/Metrics/\\d+"));

        foreach (var id in new[] { "funnel-chart", "daily-chart" })
        {
            var canvas = page.Locator("canvas#" + id);
            await canvas.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(canvas).ToBeVisibleAsync();
            // Chart.js sizes the canvas when it draws.
            await Assertions.Expect(canvas).ToHaveAttributeAsync("style", new Regex("height"));
            Assert.True(await canvas.EvaluateAsync<bool>("c => Chart.getChart(c) !== undefined"), id + " has no chart");
        }

        var conversions = await page.Locator("#kpi-conversions .kpi").InnerTextAsync();
        Assert.True(int.Parse(conversions.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) > 0, conversions);
        await Assertions.Expect(page.Locator("#uplift-verdict")).ToBeVisibleAsync();

        // Another attribution model keeps the page and selects the model.
        await page.Locator("#model").SelectOptionAsync("Linear");
        await page.Locator("#apply-model").ClickAsync();
        await page.WaitForURLAsync(new Regex("model=Linear"));
        await Assertions.Expect(page.Locator("canvas#daily-chart")).ToHaveAttributeAsync("style", new Regex("height"));

        await page.Locator("#report-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("/Campaigns/Report"));
        var roi = page.Locator("canvas#roi-chart");
        await Assertions.Expect(roi).ToHaveAttributeAsync("style", new Regex("height"));
        Assert.True(await page.Locator("#report-table tbody tr[data-activity-id]").CountAsync() > 3);
        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }
}
