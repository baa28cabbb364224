using System.Globalization;
using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

public sealed partial class SegmentBuilderTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task RuleBuilder_TwoConditions_PreviewCountEqualsSavedMembersAndChartRenders()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var browserErrors = page.CollectErrors();
        await page.SignInAsync(BrowserFixture.DemoAdminEmail, fixture.DemoPassword);

        await page.GotoAsync("/Segments/Create");
        await page.Locator("#Form_Name").FillAsync("Browser segment " + Guid.NewGuid().ToString("N")[..6]);

        // Condition 1: city equals the first city the builder suggests.
        var first = page.Locator("#segment-builder .segment-condition").Nth(0);
        await first.Locator("select.rule-field").SelectOptionAsync("city");
        await first.Locator("select.rule-operator").SelectOptionAsync("equals");
        var city = await page.Locator("#segment-builder datalist option").First.GetAttributeAsync("value");
        Assert.False(string.IsNullOrEmpty(city));
        await first.Locator("input.rule-value").FillAsync(city!);

        // Condition 2: at least one order.
        await page.Locator("#segment-builder .rule-add-condition").First.ClickAsync();
        var second = page.Locator("#segment-builder .segment-condition").Nth(1);
        await second.Locator("select.rule-field").SelectOptionAsync("orderCount");
        await second.Locator("select.rule-operator").SelectOptionAsync("gte");
        await second.Locator("input.rule-value").FillAsync("1");

        var preview = page.Locator("#segment-preview-count");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-count", DigitsRegex());
        // The rule field holds both conditions once the preview for them has answered.
        await Assertions.Expect(page.Locator("#segment-rule")).ToHaveValueAsync(new Regex("orderCount"));
        await page.WaitForFunctionAsync("() => document.getElementById('segment-builder').getAttribute('aria-busy') === null");
        var previewCount = int.Parse((await preview.GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture);
        Assert.True(previewCount > 0, "The demo data has customers in the suggested city with orders.");

        await page.Locator("#save-segment").ClickAsync();

        await Assertions.Expect(page.Locator("#segment-member-count")).ToBeVisibleAsync();
        var saved = await page.Locator("#segment-member-count").InnerTextAsync();
        Assert.Equal(previewCount, int.Parse(NonDigits().Replace(saved, string.Empty), CultureInfo.InvariantCulture));
        var canvas = page.Locator("canvas#segment-chart");
        await Assertions.Expect(canvas).ToBeVisibleAsync();
        await Assertions.Expect(canvas).ToHaveAttributeAsync("style", new Regex("height"));
        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex DigitsRegex();

    [GeneratedRegex("[^0-9]")]
    private static partial Regex NonDigits();
}
