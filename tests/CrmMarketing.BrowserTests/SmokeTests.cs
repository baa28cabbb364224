using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

public sealed partial class SmokeTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task OpenApp_Anonymous_SignInAsDemoAdminLandsOnDashboard()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var browserErrors = page.CollectErrors();

        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(PageExtensions.LoginUrl());

        await page.Locator("input[name='Email']").FillAsync(BrowserFixture.DemoAdminEmail);
        await page.Locator("input[name='Password']").FillAsync(fixture.DemoPassword);
        await page.Locator("form:has(input[type='password']) [type='submit']").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(DashboardUrl());
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");
        await Assertions.Expect(page.Locator("#kpi-customers")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#user-menu")).ToContainTextAsync(BrowserFixture.DemoAdminEmail);
        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }

    [SkippableFact]
    public async Task CustomerList_DemoData_ShowsSeededCustomers()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var browserErrors = page.CollectErrors();
        await page.SignInAsync(BrowserFixture.DemoAdminEmail, fixture.DemoPassword);

        await page.GotoAsync("/Customers");

        await Assertions.Expect(page.Locator("#customer-table")).ToBeVisibleAsync();
        var customerRows = await page.Locator("#customer-table tbody tr:has(td a)").CountAsync();
        Assert.True(customerRows > 0,
            $"The list is empty: the demo seeder should have created customers (Demo:Customers={BrowserAppFactory.DemoCustomers}).");
        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }

    [GeneratedRegex("^https?://[^/]+/(Dashboard(/Index)?)?$")]
    private static partial Regex DashboardUrl();
}
