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

    [SkippableFact]
    public async Task SurveyToSegment_SentThroughTemplate_ArrivesInPickupAndTheLinkOpensTheSurvey()
    {
        fixture.SkipUnlessAvailable();
        await using var staffContext = await fixture.NewContextAsync();
        var staff = await staffContext.NewPageAsync();
        var errors = new List<string>();
        staff.PageError += (_, error) => errors.Add(error);
        await SignInAsync(staff, BrowserFixture.DemoAdminEmail);
        var tag = Guid.NewGuid().ToString("N")[..8];

        // A segment of the customers who accept marketing email.
        await staff.GotoAsync("/Segments/Create");
        await staff.Locator("#Form_Name").FillAsync("Survey audience " + tag);
        var condition = staff.Locator("#segment-builder .segment-condition").Nth(0);
        await condition.Locator("select.rule-field").SelectOptionAsync("emailConsent");
        await condition.Locator("select.rule-operator").SelectOptionAsync("equals");
        await condition.Locator("select.rule-value").SelectOptionAsync("OptedIn");
        await staff.Locator("#save-segment").ClickAsync();
        await Assertions.Expect(staff.Locator("#segment-member-count")).ToBeVisibleAsync();

        // An email template carrying the survey link.
        await staff.GotoAsync("/Templates");
        await staff.Locator("#new-email-template").ClickAsync();
        var subject = "Your opinion " + tag;
        await staff.Locator("#Form_Name").FillAsync("Survey mail " + tag);
        await staff.Locator("#Form_Subject").FillAsync(subject);
        await staff.Locator("#Form_HtmlBody").FillAsync("<p>Dear {{name}}, <a href=\"{{survey_url}}\">two minutes for us?</a></p>");
        await staff.Locator("#save-template").ClickAsync();
        await Assertions.Expect(staff.Locator("#status-message")).ToContainTextAsync("Template saved.");

        // Send the demo survey to the segment through the template.
        await staff.GotoAsync("/Surveys");
        await staff.Locator("#send-to-segment").ClickAsync();
        await staff.Locator("#send-survey-id").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        var segmentId = await staff.Locator("#send-segment-id option", new() { HasText = "Survey audience " + tag }).GetAttributeAsync("value");
        await staff.Locator("#send-segment-id").SelectOptionAsync(segmentId!);
        var templateId = await staff.Locator("#send-template option", new() { HasText = "Survey mail " + tag }).GetAttributeAsync("value");
        await staff.Locator("#send-template").SelectOptionAsync(templateId!);
        await staff.Locator("#send-culture").SelectOptionAsync("en");
        await staff.Locator("#send-survey-to-segment").ClickAsync();
        await Assertions.Expect(staff.Locator("#status-message")).ToContainTextAsync("Survey sent to");
        await Assertions.Expect(staff.Locator("#send-table")).ToContainTextAsync("Survey audience " + tag);

        // The dispatcher delivers it to the pickup folder; the customer opens their link and answers.
        var mail = await WaitForEmailAsync(m => m.Subject == subject);
        var link = SurveyLink().Match(mail.HtmlBody ?? string.Empty);
        Assert.True(link.Success, "The email carries the survey link (or its tracked redirect).");
        await using var customerContext = await fixture.NewContextAsync();
        var phone = await customerContext.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync(System.Net.WebUtility.HtmlDecode(link.Groups["path"].Value));
        await Assertions.Expect(phone.Locator("#survey-question")).ToBeVisibleAsync();
        await phone.Locator("label[for='score-9']").ClickAsync();
        await phone.Locator("#survey-submit").ClickAsync();
        await Assertions.Expect(phone.Locator("#survey-thanks")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    /// <summary>Polls the pickup folder (written by the background dispatcher) until a matching message appears.</summary>
    private async Task<MimeKit.MimeMessage> WaitForEmailAsync(Func<MimeKit.MimeMessage, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (Directory.Exists(fixture.PickupDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(fixture.PickupDirectory, "*.eml"))
                {
                    MimeKit.MimeMessage message;
                    try
                    {
                        message = await MimeKit.MimeMessage.LoadAsync(file);
                    }
                    catch (IOException)
                    {
                        continue; // still being written
                    }
                    catch (FormatException)
                    {
                        continue;
                    }

                    if (match(message))
                    {
                        return message;
                    }
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No matching email arrived in {fixture.PickupDirectory}.");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"href=""https?://[^/""]+(?<path>/(?:s|t/c)/[^""]+)""")]
    private static partial Regex SurveyLink();

    [GeneratedRegex("/Account/Login")]
    private static partial Regex LoginUrl();
}
