using System.Globalization;
using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace CrmMarketing.BrowserTests;

/// <summary>A marketer creates an email activity for a small segment with a marketing template, launches it, and
/// watches the progress bar fill up while the background dispatcher writes every message to the pickup folder.</summary>
public sealed partial class CampaignTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>Generous: the dispatcher polls every half second in the fixture, the page every two seconds.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task EmailActivity_CreateAndLaunchNow_ProgressReachesHundredPercentAndEveryMessageIsSent()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var browserErrors = page.CollectErrors();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.SignInAsync(BrowserFixture.DemoAdminEmail, fixture.DemoPassword);
        var suffix = Guid.NewGuid().ToString("N")[..8];

        // A small segment: customers in one city who accept marketing email.
        var segmentName = "Campaign segment " + suffix;
        await page.GotoAsync("/Segments/Create");
        await page.Locator("#Form_Name").FillAsync(segmentName);
        var first = page.Locator("#segment-builder .segment-condition").Nth(0);
        await first.Locator("select.rule-field").SelectOptionAsync("city");
        await first.Locator("select.rule-operator").SelectOptionAsync("equals");
        var city = await page.Locator("#segment-builder datalist option").First.GetAttributeAsync("value");
        Assert.False(string.IsNullOrEmpty(city));
        await first.Locator("input.rule-value").FillAsync(city!);
        await page.Locator("#segment-builder .rule-add-condition").First.ClickAsync();
        var second = page.Locator("#segment-builder .segment-condition").Nth(1);
        await second.Locator("select.rule-field").SelectOptionAsync("emailConsent");
        await second.Locator("select.rule-operator").SelectOptionAsync("equals");
        await second.Locator("select.rule-value").SelectOptionAsync("OptedIn");
        await Assertions.Expect(page.Locator("#segment-rule")).ToHaveValueAsync(new Regex("emailConsent"));
        await page.WaitForFunctionAsync("() => document.getElementById('segment-builder').getAttribute('aria-busy') === null");
        await page.Locator("#save-segment").ClickAsync();
        await Assertions.Expect(page.Locator("#segment-member-count")).ToBeVisibleAsync();
        var members = ParseCount(await page.Locator("#segment-member-count").InnerTextAsync());
        Assert.True(members > 0, $"The demo data has customers in {city} who accept marketing email.");

        // A marketing email template.
        var templateName = "Campaign template " + suffix;
        var subject = "Spring offers " + suffix;
        await page.GotoAsync("/Templates");
        await page.Locator("#new-email-template").ClickAsync();
        await page.Locator("#Form_Name").FillAsync(templateName);
        await Assertions.Expect(page.Locator("#Form_IsMarketing")).ToBeCheckedAsync();
        await page.Locator("#Form_Subject").FillAsync(subject);
        await page.Locator("#Form_HtmlBody").FillAsync(
            "<p>Dear {{name|customer}},</p><p>Our spring offers are here.</p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>");
        await page.Locator("#save-template").ClickAsync();
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Template saved.");

        // Campaigns → New: an email activity for the segment with the template, no holdout.
        await page.GotoAsync("/Campaigns");
        await page.Locator("#new-activity").ClickAsync();
        await page.Locator("#Form_Name").FillAsync("Spring email " + suffix);
        await page.Locator("#Form_Type").SelectOptionAsync("Email");
        await page.Locator("#Form_HoldoutPercent").FillAsync("0");
        await page.Locator("#Form_SegmentId").SelectOptionAsync(new SelectOptionValue { Label = string.Create(CultureInfo.InvariantCulture, $"{segmentName} ({members:N0})") });
        await page.Locator("#Form_TemplateId").SelectOptionAsync(new SelectOptionValue { Label = templateName });
        await page.Locator("#save-activity").ClickAsync();
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Activity created.");
        await Assertions.Expect(page.Locator("#execution")).ToContainTextAsync(templateName);

        // Launch now.
        await page.Locator("#launch-now").ClickAsync();
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync($"Launched to {members} recipients (0 in the holdout group); {members} messages queued.");
        await Assertions.Expect(page.Locator("#activity-status")).ToHaveTextAsync(RunningOrCompleted());

        // The bar fills up as the dispatcher sends; every message counts as sent.
        var waitOptions = new LocatorAssertionsToHaveTextOptions { Timeout = (float)SendTimeout.TotalMilliseconds };
        await Assertions.Expect(page.Locator("#progress-bar")).ToHaveTextAsync("100 %", waitOptions);
        await Assertions.Expect(page.Locator("#progress-bar-outer")).ToHaveAttributeAsync("aria-valuenow", "100");
        await Assertions.Expect(page.Locator("#progress-bar")).ToHaveClassAsync(new Regex(@"\bbg-success\b"));
        var counts = page.Locator("#progress-counts");
        await Assertions.Expect(counts.Locator("[data-count='audience']")).ToHaveTextAsync(members.ToString("N0", CultureInfo.InvariantCulture));
        await Assertions.Expect(counts.Locator("[data-count='sent']")).ToHaveTextAsync(members.ToString("N0", CultureInfo.InvariantCulture));
        await Assertions.Expect(counts.Locator("[data-count='failed']")).ToHaveTextAsync("0");
        await Assertions.Expect(counts.Locator("[data-count='queued']")).ToHaveTextAsync("0");

        // The messages really went out: one per recipient in the pickup folder.
        Assert.Equal(members, await CountPickedUpAsync(subject));

        // After a reload the activity is still running or already completed, and the bar starts full.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#activity-status")).ToHaveTextAsync(RunningOrCompleted());
        await Assertions.Expect(page.Locator("#progress-bar")).ToHaveTextAsync("100 %", waitOptions);

        Assert.True(browserErrors.Count == 0,
            "The browser reported errors (CSP violations show up here):\n" + string.Join("\n", browserErrors));
    }

    private async Task<int> CountPickedUpAsync(string subject)
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(fixture.PickupDirectory, "*.eml"))
        {
            var message = await MimeMessage.LoadAsync(file);
            count += message.Subject == subject ? 1 : 0;
        }

        return count;
    }

    private static int ParseCount(string text) => int.Parse(NonDigits().Replace(text, string.Empty), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*(Running|Completed)\s*$")]
    private static partial Regex RunningOrCompleted();

    [GeneratedRegex("[^0-9]")]
    private static partial Regex NonDigits();
}
