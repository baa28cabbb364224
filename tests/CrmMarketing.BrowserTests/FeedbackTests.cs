using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

/// <summary>Logging feedback on a phone-sized screen with the keyboard, then reading it back in the list and the CSAT page.</summary>
public sealed partial class FeedbackTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task LogFeedback_PickCustomerWithKeyboardOnPhoneScreen_AppearsInListAndAnalytics()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.SetViewportSizeAsync(390, 844);

        await page.GotoAsync("/Feedback/Create");
        await page.Locator("#Email").FillAsync(BrowserFixture.DemoAdminEmail);
        await page.Locator("#Password").FillAsync(fixture.DemoPassword);
        await page.Locator("#login-submit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(CreateUrl());

        // A name prefix taken from the customer list, so the picker has something to find.
        await page.GotoAsync("/Customers");
        var firstName = (await page.Locator("#customer-table tbody tr td:first-child a").First.InnerTextAsync()).Trim();
        await page.GotoAsync("/Feedback/Create");

        var search = page.Locator("#customer-search");
        await search.FocusAsync();
        await search.PressSequentiallyAsync(firstName[..Math.Min(3, firstName.Length)]);
        await Assertions.Expect(page.Locator("#customer-results [role='option']").First).ToBeVisibleAsync();
        await Assertions.Expect(search).ToHaveAttributeAsync("aria-expanded", "true");
        await search.PressAsync("ArrowDown");
        await Assertions.Expect(search).ToHaveAttributeAsync("aria-activedescendant", "customer-option-0");
        await search.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#customer-results")).ToBeHiddenAsync();
        Assert.NotEqual(string.Empty, await page.Locator("#customer-id").InputValueAsync());

        // Stars: Tab reaches the radio group; the label is the visible, clickable target.
        await page.Locator("label[for='feedback-score-4']").ClickAsync();
        await Assertions.Expect(page.Locator("#feedback-score-4")).ToBeCheckedAsync();
        var text = "Browser feedback " + Guid.NewGuid().ToString("N")[..8];
        await page.Locator("#feedback-content").FillAsync(text);
        await page.Locator("#save-feedback").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(ListUrl());
        await Assertions.Expect(page.Locator("#feedback-table")).ToContainTextAsync(text);

        await page.GotoAsync("/Feedback/Analytics");
        await Assertions.Expect(page.Locator("#csat-count")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#csat-trend")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [GeneratedRegex("/Feedback/Create$")]
    private static partial Regex CreateUrl();

    [GeneratedRegex("/Feedback$")]
    private static partial Regex ListUrl();
}
