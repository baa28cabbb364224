using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace CrmMarketing.BrowserTests;

/// <summary>A marketer writes a template with merge fields, previews it for a customer, sends a test to
/// themselves and then the real message to the customer; both arrive in the pickup folder, and the customer's
/// click on the tracked link shows on their timeline.</summary>
public sealed partial class TemplateTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Template_WritePreviewSendTestAndSendToCustomer_ArrivesAndShowsOnTimeline()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/Templates");
        await page.Locator("#Email").FillAsync(BrowserFixture.DemoAdminEmail);
        await page.Locator("#Password").FillAsync(fixture.DemoPassword);
        await page.Locator("#login-submit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(TemplatesUrl());

        // A customer who accepts marketing email, taken from the filtered list.
        await page.GotoAsync("/Customers?Consent=EmailOptedIn");
        var customerLink = page.Locator("#customer-table tbody tr td:first-child a").First;
        var customerName = (await customerLink.InnerTextAsync()).Trim();
        var customerUrl = await customerLink.GetAttributeAsync("href");
        var customerId = customerUrl!.Split('/')[^1];

        // Write the template.
        await page.GotoAsync("/Templates");
        await page.Locator("#new-email-template").ClickAsync();
        var name = "Browser template " + Guid.NewGuid().ToString("N")[..8];
        var shopUrl = new Uri(fixture.BaseAddress, "/Dashboard").ToString();
        await page.Locator("#Form_Name").FillAsync(name);
        await page.Locator("#Form_Subject").FillAsync("Offers for {{name|Customer}}");
        await page.Locator("#Form_HtmlBody").FillAsync(
            $"<p>Dear {{{{name}}}} in {{{{city|your city}}}},</p><p><a href=\"{shopUrl}\">See what is new</a></p><p><a href=\"{{{{unsubscribe_url}}}}\">Unsubscribe</a></p>");
        await page.Locator("#save-template").ClickAsync();
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Template saved.");

        // Preview it for the customer.
        await page.Locator("#preview-template").ClickAsync();
        await page.Locator("#customer").FillAsync(customerId);
        await page.Locator("#preview-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#preview-customer")).ToHaveTextAsync(customerName);
        await Assertions.Expect(page.Locator("#preview-subject")).ToHaveTextAsync("Offers for " + customerName);
        var frame = page.FrameLocator("#preview-html");
        await Assertions.Expect(frame.Locator("p").First).ToContainTextAsync("Dear " + customerName);

        // Send a test to myself: it arrives in the pickup folder, addressed to me and merged for the customer.
        await page.Locator("#send-test").ClickAsync();
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Test message queued");
        var test = await WaitForEmailAsync(m => m.To.Mailboxes.Any(a => a.Address == BrowserFixture.DemoAdminEmail) && m.Subject == "Offers for " + customerName);
        Assert.Contains("Dear " + customerName, test.TextBody, StringComparison.Ordinal);

        // Send it to the customer from their page.
        await page.GotoAsync(customerUrl);
        await page.Locator("#send-email").ClickAsync();
        await page.Locator("#compose-template").SelectOptionAsync(new SelectOptionValue { Label = name + " (Marketing)" });
        await page.Locator("#compose-send").ClickAsync();
        await Assertions.Expect(page.Locator("#status-message")).ToContainTextAsync("Message queued for sending.");
        var sent = await WaitForEmailAsync(m => m.Subject == "Offers for " + customerName
            && !m.To.Mailboxes.Any(a => a.Address == BrowserFixture.DemoAdminEmail));
        Assert.StartsWith("<http", sent.Headers[HeaderId.ListUnsubscribe], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", sent.Headers[HeaderId.ListUnsubscribePost]);

        // The customer clicks the tracked link: it leads to the page written in the template...
        var click = ClickLink().Match(sent.HtmlBody ?? string.Empty);
        Assert.True(click.Success, "The sent email has no tracked link.");
        await page.GotoAsync(click.Groups["path"].Value);
        await Assertions.Expect(page).ToHaveURLAsync(shopUrl);

        // ...and the click shows on the customer's timeline.
        await page.GotoAsync(customerUrl);
        await Assertions.Expect(page.Locator("#timeline li[data-kind='message-event']").First).ToContainTextAsync("Link clicked");
        await Assertions.Expect(page.Locator("#timeline li[data-kind='message-event']").First).ToContainTextAsync(shopUrl);
        Assert.Empty(errors);
    }

    /// <summary>Polls the pickup folder (written by the background dispatcher) until a matching message appears.</summary>
    private async Task<MimeMessage> WaitForEmailAsync(Func<MimeMessage, bool> match)
    {
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        while (true)
        {
            if (Directory.Exists(fixture.PickupDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(fixture.PickupDirectory, "*.eml"))
                {
                    MimeMessage message;
                    try
                    {
                        message = await MimeMessage.LoadAsync(file);
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

            Assert.True(DateTime.UtcNow < deadline, $"No matching email arrived in {fixture.PickupDirectory} within {DeliveryTimeout}.");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"href=""https?://[^/""]+(?<path>/t/c/[^""]+)""")]
    private static partial Regex ClickLink();

    [GeneratedRegex(@"/Templates/?$")]
    private static partial Regex TemplatesUrl();
}
