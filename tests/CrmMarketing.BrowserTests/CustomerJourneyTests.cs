using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

/// <summary>The foundation's main path, as a user clicks it: sign in, find, create, record, read, switch language.</summary>
public sealed partial class CustomerJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> SignInAsync(IBrowserContext context, List<string> browserErrors)
    {
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                browserErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => browserErrors.Add(error);
        await page.GotoAsync("/Customers");
        await page.Locator("#Email").FillAsync(BrowserFixture.DemoAdminEmail);
        await page.Locator("#Password").FillAsync(fixture.DemoPassword);
        await page.Locator("#login-submit").ClickAsync();
        // The return URL is honoured: back to the customer list.
        await Assertions.Expect(page).ToHaveURLAsync(CustomersUrl());
        return page;
    }

    [SkippableFact]
    public async Task Journey_SignInSearchCreateRecordPurchaseAndSwitchToChinese()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var errors = new List<string>();
        var page = await SignInAsync(context, errors);

        // The list shows demo customers; search narrows it to a name prefix.
        var rows = page.Locator("#customer-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(25);
        var firstName = (await rows.First.Locator("td").First.InnerTextAsync()).Trim();
        var prefix = firstName[..Math.Min(2, firstName.Length)];
        await page.Locator("#q").FillAsync(prefix);
        await page.Locator("#apply-filters").ClickAsync();
        await Assertions.Expect(page.Locator("#q")).ToHaveValueAsync(prefix);
        var names = await page.Locator("#customer-table tbody tr td:first-child a").AllInnerTextsAsync();
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.StartsWith(prefix.ToLowerInvariant(), n.Trim().ToLowerInvariant(), StringComparison.Ordinal));

        // Create: first with a validation error, then valid.
        await page.Locator("#create-customer").ClickAsync();
        await page.Locator("#Form_Email").FillAsync("not an email");
        await page.Locator("#save-customer").ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.Name']")).ToContainTextAsync("required");
        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.Email']")).ToContainTextAsync("valid email");
        await page.Locator("#Form_Name").FillAsync("Journey Customer");
        await page.Locator("#Form_Email").FillAsync("journey.customer@example.com");
        await page.Locator("#Form_Phone").FillAsync("13700001234");
        await page.Locator("#Form_City").FillAsync("成都");
        await page.Locator("#save-customer").ClickAsync();
        await Assertions.Expect(page.Locator("#customer-name")).ToContainTextAsync("Journey Customer");
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Customer created.");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("+8613700001234");

        // Record a purchase; the details page shows it in the history, the KPIs and the timeline.
        await page.Locator("#record-purchase").ClickAsync();
        await page.Locator("#Form_Lines_0__ProductId").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.Locator("#Form_Lines_0__Quantity").FillAsync("3");
        await page.Locator("#save-purchase").ClickAsync();
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Purchase recorded.");
        await Assertions.Expect(page.Locator("#kpi-orders")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#purchase-table tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#purchase-table")).ToContainTextAsync("3 ×");
        await Assertions.Expect(page.Locator("#timeline li.kind-purchase")).ToHaveCountAsync(1);

        // A note lands on the timeline too.
        await page.Locator("#NewNote_Body").FillAsync("Asked for the spring catalogue");
        await page.Locator("#add-note").ClickAsync();
        await Assertions.Expect(page.Locator("#timeline li.kind-note").First).ToContainTextAsync("Asked for the spring catalogue");

        // Switch to Chinese: the same page, in Chinese.
        await page.Locator("#culture-form button[value='zh-Hans']").ClickAsync();
        await Assertions.Expect(page.Locator("#customer-name")).ToContainTextAsync("Journey Customer");
        await Assertions.Expect(page.Locator("#purchases .card-header")).ToContainTextAsync("购买记录");
        await Assertions.Expect(page.Locator("#mainNav")).ToContainTextAsync("客户");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        Assert.True(errors.Count == 0, "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task CustomerDetails_DemoCustomerWithPurchases_ShowsHistoryTimelineAndOlderEntries()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var errors = new List<string>();
        var page = await SignInAsync(context, errors);

        // The best customer has a long history: purchases over several pages and a timeline with older entries.
        await page.GotoAsync("/Customers?sort=Orders&desc=true");
        await page.Locator("#customer-table tbody tr").First.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("#purchase-table tbody tr")).ToHaveCountAsync(10);
        var before = await page.Locator("#timeline > li[data-kind]").CountAsync();
        Assert.True(before >= 30, $"expected a full timeline page, got {before}");
        await page.Locator("#timeline-more").ClickAsync();
        await Assertions.Expect(page.Locator("#timeline > li[data-kind]")).Not.ToHaveCountAsync(before);
        Assert.True(await page.Locator("#timeline > li[data-kind]").CountAsync() > before);

        Assert.True(errors.Count == 0, "The browser reported errors:\n" + string.Join("\n", errors));
    }

    [GeneratedRegex("/Customers$")]
    private static partial Regex CustomersUrl();
}
