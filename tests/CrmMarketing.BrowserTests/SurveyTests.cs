using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

/// <summary>The closed loop in a real browser: quick feedback from the customer page, and a survey answered on
/// the public page that shows up in the analytics and, being low, as a follow-up.</summary>
public sealed partial class SurveyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string SalesEmail = "sales@crm.local";

    private async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(fixture.DemoPassword);
        await page.Locator("#login-submit").ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(LoginUrl());
    }

    [SkippableFact]
    public async Task QuickFeedback_SalesOnCustomerPage_TakesAtMostFiveInteractions()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await SignInAsync(page, SalesEmail);
        await page.GotoAsync("/Customers");
        await page.Locator("#customer-table tbody tr td:first-child a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#feedback-quick-form")).ToBeVisibleAsync();
        var text = "Quick note " + Guid.NewGuid().ToString("N")[..8];

        // Every click or typing action on the customer page counts.
        var interactions = 0;
        await page.Locator("label[for='quick-score-5']").ClickAsync();
        interactions++;
        await page.Locator("#feedback-quick-form textarea[name='Form.Content']").FillAsync(text);
        interactions++;
        await page.Locator("#log-feedback").ClickAsync();
        interactions++;

        Assert.InRange(interactions, 1, 5);
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Feedback logged.");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync(text);
    }

    [SkippableFact]
    public async Task Survey_AnsweredLowOnPublicPage_AppearsInAnalyticsAndAsFollowUp()
    {
        fixture.SkipUnlessAvailable();
        await using var staffContext = await fixture.NewContextAsync();
        var staff = await staffContext.NewPageAsync();
        var errors = new List<string>();
        staff.PageError += (_, error) => errors.Add(error);
        await SignInAsync(staff, BrowserFixture.DemoAdminEmail);

        // Invite a customer by link from their page (the demo data has an active NPS survey).
        await staff.GotoAsync("/Customers");
        await staff.Locator("#customer-table tbody tr td:first-child a").Nth(2).ClickAsync();
        var invite = staff.Locator("#customer-survey-form");
        await Assertions.Expect(invite).ToBeVisibleAsync();
        await invite.Locator("select[name='SurveyId']").SelectOptionAsync(new SelectOptionValue { Index = 0 });
        await invite.Locator("select[name='Invite.Channel']").SelectOptionAsync("Link");
        await invite.Locator("select[name='Invite.Culture']").SelectOptionAsync("en");
        await staff.Locator("#send-survey").ClickAsync();
        var link = await staff.Locator("#survey-link-input").InputValueAsync();
        Assert.Contains("/s/", link, StringComparison.Ordinal);

        // The customer answers on a phone, without signing in.
        await using var customerContext = await fixture.NewContextAsync();
        var phone = await customerContext.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.Locator("#survey-question")).ToBeVisibleAsync();
        Assert.Equal(0, await phone.Locator(".navbar").CountAsync());
        var comment = "Parcel arrived crushed " + Guid.NewGuid().ToString("N")[..8];
        await phone.Locator("label[for='score-2']").ClickAsync();
        await phone.Locator("#survey-comment").FillAsync(comment);
        await phone.Locator("#survey-submit").ClickAsync();
        await Assertions.Expect(phone.Locator("#survey-thanks")).ToBeVisibleAsync();
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.Locator("#survey-answered")).ToBeVisibleAsync();

        await staff.GotoAsync("/Feedback/Analytics");
        await Assertions.Expect(staff.Locator("#recent-low")).ToContainTextAsync(comment);
        await Assertions.Expect(staff.Locator("#nps-score")).Not.ToHaveTextAsync("–");
        await staff.GotoAsync("/FollowUps?all=true");
        var task = staff.Locator("#follow-up-list .list-group-item", new() { HasText = comment });
        await Assertions.Expect(task).ToBeVisibleAsync();

        // Closing it records what was done.
        await task.Locator("input[name='Resolution']").FillAsync("Called and replaced the parcel");
        await task.Locator("button[type='submit']").ClickAsync();
        await Assertions.Expect(staff.Locator("#status-message")).ToContainTextAsync("Follow-up closed.");
        Assert.Empty(errors);
    }

    [GeneratedRegex("/Account/Login")]
    private static partial Regex LoginUrl();
}
