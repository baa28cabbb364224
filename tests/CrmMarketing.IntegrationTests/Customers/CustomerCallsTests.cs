using System.Globalization;
using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Customers;

public sealed class CustomerCallsTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private async Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    private async Task<(string Url, int Id)> CreateCustomerAsync(string prefix)
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        using var created = await admin.SubmitFormAsync("/Customers/Create", "#customer-form", [new("Form.Name", $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)])]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var url = created.Headers.Location!.OriginalString;
        return (url, int.Parse(url.Split('/')[^1], CultureInfo.InvariantCulture));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task LogCall_AsSales_RedirectsAndTimelineShowsTheEncodedCall()
    {
        var (detailsUrl, id) = await CreateCustomerAsync("Caller");
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        const string notes = "<script>alert('x')</script> call back about the order";
        var followUp = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);

        using var response = await sales.SubmitFormAsync(detailsUrl, "#call-form",
        [
            new("NewCall.Direction", nameof(CallDirection.Inbound)),
            new("NewCall.Outcome", nameof(CallOutcome.CallbackRequested)),
            new("NewCall.DurationSeconds", "125"),
            new("NewCall.FollowUpOn", Iso(followUp)),
            new("NewCall.Notes", notes),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(detailsUrl, response.Headers.Location!.OriginalString);
        using var details = await sales.GetAsync(detailsUrl);
        var html = await details.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert", html, StringComparison.Ordinal);
        var page = HtmlPage.Parse(html);
        CspAssert.NoInlineCode(page, detailsUrl);
        Assert.Equal("Call logged.", page.QuerySelector("#status-message")?.FirstChild?.TextContent.Trim());
        var entry = Assert.Single(page.QuerySelectorAll("#timeline li.kind-call"));
        Assert.Contains(notes, entry.TextContent, StringComparison.Ordinal);
        Assert.Contains("2:05", entry.TextContent, StringComparison.Ordinal);
        Assert.Contains(Roles.Sales, entry.TextContent, StringComparison.OrdinalIgnoreCase);

        var saved = await WithDbAsync(db => db.CustomerCalls.AsNoTracking().SingleAsync(c => c.CustomerId == id));
        Assert.Equal(CallDirection.Inbound, saved.Direction);
        Assert.Equal(CallOutcome.CallbackRequested, saved.Outcome);
        Assert.Equal(125, saved.DurationSeconds);
        Assert.Equal(followUp, saved.FollowUpOn);
        Assert.NotNull(saved.CreatedByUserId);
    }

    [Fact]
    public async Task LogCall_InvalidForm_ReRendersDetailsWithMessagesAndSavesNothing()
    {
        var (detailsUrl, id) = await CreateCustomerAsync("Bad call");
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await sales.SubmitFormAsync(detailsUrl, "#call-form",
        [
            new("NewCall.DurationSeconds", "86401"),
            new("NewCall.Notes", "kept text"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, detailsUrl + " (invalid call)");
        Assert.Equal("The Duration (seconds) field must be between 0 and 86400.",
            page.QuerySelector("[data-valmsg-for='NewCall.DurationSeconds']")?.TextContent.Trim());
        // The page is still the customer's details page, with what the user typed kept.
        Assert.NotNull(page.QuerySelector("#customer-name"));
        Assert.Equal("kept text", page.QuerySelector("#NewCall_Notes")!.TextContent.Trim());

        using var past = await sales.SubmitFormAsync(detailsUrl, "#call-form",
            [new("NewCall.FollowUpOn", Iso(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3)))]);

        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        Assert.Equal("The follow-up date cannot be in the past.",
            (await HtmlPage.ParseAsync(past)).QuerySelector("[data-valmsg-for='NewCall.FollowUpOn']")?.TextContent.Trim());
        Assert.Equal(0, await WithDbAsync(db => db.CustomerCalls.CountAsync(c => c.CustomerId == id)));
    }

    [Fact]
    public async Task LogCall_UnknownCustomer_IsNotFound()
    {
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await sales.PostFormAsync("/Customers/LogCall/99999999", [new("NewCall.DurationSeconds", "10")]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task LogCall_MalformedId_IsBadRequest()
    {
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await sales.PostFormAsync("/Customers/LogCall/abc", [new("NewCall.DurationSeconds", "10")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Details_AsSales_ShowsTheCallFormWithoutInlineCode()
    {
        var (detailsUrl, _) = await CreateCustomerAsync("Form");
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await sales.GetAsync(detailsUrl);

        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, detailsUrl);
        var form = page.QuerySelector("#call-form");
        Assert.NotNull(form);
        // Every field has a label the keyboard and screen readers reach.
        Assert.All(form.QuerySelectorAll("input:not([type=hidden]), select, textarea"),
            field => Assert.NotNull(page.QuerySelector($"label[for='{field.Id}']")));
    }
}
