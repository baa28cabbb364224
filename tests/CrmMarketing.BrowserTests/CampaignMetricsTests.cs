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

        // From the list of completed email activities to the newsletter's details (not the demo A/B test), then its metrics.
        await page.GotoAsync("/Campaigns?type=Email&status=Completed");
        await page.Locator("#activity-table tbody tr[data-activity-id]").Filter(new() { HasNotText = "A/B" }).Locator("a").First.ClickAsync();
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

    [SkippableFact]
    public async Task Metrics_DemoAbTest_ShowsBothVariantsTheWinnerAndItsChart()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var browserErrors = page.CollectErrors();
        await page.SignInAsync(DemoMarketerEmail, fixture.DemoPassword);

        // The demo subject-line test ("… A/B …" in either demo locale) through the list, then its metrics.
        await page.GotoAsync("/Campaigns?type=Email&status=Completed&q=A%2FB");
        var rows = page.Locator("#activity-table tbody tr[data-activity-id]");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await rows.Locator("a").First.ClickAsync();
        await page.Locator("#metrics-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("/Campaigns/Metrics/\\d+"));

        var variants = page.Locator("#variant-table tbody tr[data-variant-id]");
        await Assertions.Expect(variants).ToHaveCountAsync(2);
        await Assertions.Expect(variants.Nth(0)).ToContainTextAsync("Variant A");
        await Assertions.Expect(variants.Nth(1)).ToContainTextAsync("Variant B");
        for (var i = 0; i < 2; i++)
        {
            // Every variant was opened by someone: a rate, not the dash of an undefined one or zero.
            var openRate = await variants.Nth(i).Locator("td[data-col='open-rate']").InnerTextAsync();
            Assert.Matches(new Regex("[1-9]"), openRate);
        }

        // One winner, badged, and the winner metric (open rate) highlighted in the header and in every row.
        await Assertions.Expect(page.Locator("#variant-table #variant-winner")).ToHaveCountAsync(1);
        var winner = page.Locator("#variant-table tbody tr.ab-winner");
        await Assertions.Expect(winner).ToHaveCountAsync(1);
        await Assertions.Expect(winner.Locator("#variant-winner")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#variant-table thead th.table-primary")).ToHaveTextAsync("Open rate");
        await Assertions.Expect(page.Locator("#variant-table td.table-primary[data-col='open-rate']")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#variant-table td.table-primary[data-col='click-rate']")).ToHaveCountAsync(0);

        // The bar chart is drawn, the winner starred among its labels.
        var canvas = page.Locator("canvas#variant-chart");
        await canvas.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(canvas).ToBeVisibleAsync();
        await Assertions.Expect(canvas).ToHaveAttributeAsync("style", new Regex("height"));
        Assert.True(await canvas.EvaluateAsync<bool>("c => Chart.getChart(c) !== undefined && c.width > 0 && c.height > 0"), "variant-chart has no chart");
        var labels = await canvas.EvaluateAsync<string[]>("c => Chart.getChart(c).data.labels");
        var winnerLabel = (await winner.Locator("strong").InnerTextAsync()).Trim();
        Assert.Equal([winnerLabel + " ★"], labels.Where(l => l.EndsWith('★')));
        Assert.Equal(3, await canvas.EvaluateAsync<int>("c => Chart.getChart(c).data.datasets.length"));
        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }

    private const string DemoMarketerEmail = "marketer@crm.local";
}
