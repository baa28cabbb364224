using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Customers;

public sealed class ConsentHistoryTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Fact]
    public async Task Details_AfterConsentEdit_ListsTheLedgerNewestFirst()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        using var created = await admin.SubmitFormAsync("/Customers/Create", "#customer-form",
            [new("Form.Name", "Consent " + Guid.NewGuid().ToString("N")[..8]), new("Form.EmailConsent", nameof(ConsentState.OptedIn))]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var detailsUrl = created.Headers.Location!.OriginalString;
        var id = detailsUrl.Split('/')[^1];

        using var edited = await admin.SubmitFormAsync($"/Customers/Edit/{id}", "#customer-form",
            [
                new("Form.EmailConsent", nameof(ConsentState.OptedOut)),
                new("Form.City", "Ningbo"),
                new("Form.ConsentEvidence", "<b>Phone call</b> on 3 May"),
            ]);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);

        using var details = await admin.GetAsync(detailsUrl);
        var page = await HtmlPage.ParseAsync(details);
        CspAssert.NoInlineCode(page, detailsUrl);
        var rows = page.QuerySelectorAll("#consent-history-list li")
            .Select(li => (li.GetAttribute("data-channel"), li.GetAttribute("data-state"))).ToList();
        Assert.Equal(
            [("Email", "OptedOut"), ("Sms", "Unknown"), ("Email", "OptedIn")],
            rows);
        var history = page.QuerySelector("#consent-history")!;
        Assert.Contains("admin@test.local", history.TextContent, StringComparison.Ordinal);
        Assert.Contains("<b>Phone call</b> on 3 May", history.QuerySelector("li")!.TextContent, StringComparison.Ordinal);
        Assert.Null(history.QuerySelector("b"));
    }
}
