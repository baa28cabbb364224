using System.Net;
using AngleSharp.Html.Dom;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.IntegrationTests.Templates;

public sealed class ComposeTests(TrackingAppFactory factory) : IClassFixture<TrackingAppFactory>
{
    private static async Task<(string Action, Dictionary<string, string> Fields)> OpenFormAsync(HttpClient client, string url)
    {
        using var page = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await HtmlPage.ParseAsync(page);
        CspAssert.NoInlineCode(document, url);
        var form = (IHtmlFormElement)document.QuerySelector("#compose-form")!;
        return (HtmlPage.GetFormAction(form, url), HtmlPage.GetFormValues(form));
    }

    [Fact]
    public async Task Compose_DoubleSubmit_QueuesOneMessage()
    {
        var customer = await factory.AddCustomerAsync("Composer " + Guid.NewGuid().ToString("N")[..6]);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var (action, fields) = await OpenFormAsync(marketer, $"/Messages/Compose/{customer.Id}?channel=Email");
        fields["Form.Subject"] = "About your order, {{name}}";
        fields["Form.Body"] = "Dear {{name|Customer}},\nit ships today.";
        using var first = await marketer.PostAsync(action, new FormUrlEncodedContent(fields));
        using var second = await marketer.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);

        var message = Assert.Single(await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.CustomerId == customer.Id).ToListAsync()));
        Assert.Equal(customer.Email, message.ToAddress);
        Assert.Equal("About your order, " + customer.Name, message.Subject);
        Assert.Equal($"Dear {customer.Name},\nit ships today.", message.TextBody);
        Assert.False(message.IsMarketing);
        Assert.Null(message.UnsubscribeUrl);
    }

    [Fact]
    public async Task Compose_MarketingTemplateWithoutConsent_IsRefused()
    {
        var customer = await factory.AddCustomerAsync("No consent " + Guid.NewGuid().ToString("N")[..6], emailConsent: ConsentState.Unknown);
        var template = await factory.AddTemplateAsync("<p>Sale!</p>");
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var (action, fields) = await OpenFormAsync(marketer, $"/Messages/Compose/{customer.Id}?channel=Email");
        fields["Form.TemplateId"] = template.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = await marketer.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not agreed", (await HtmlPage.ParseAsync(response)).QuerySelector("#compose-errors")!.TextContent, StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.CustomerId == customer.Id)));
    }

    [Fact]
    public async Task Compose_MarketingTemplateWithConsent_CarriesUnsubscribeFooter()
    {
        var customer = await factory.AddCustomerAsync("Consenting " + Guid.NewGuid().ToString("N")[..6]);
        var template = await factory.AddTemplateAsync("<p>Sale for {{name}}!</p>", tracking: false);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var (action, fields) = await OpenFormAsync(marketer, $"/Messages/Compose/{customer.Id}?channel=Email");
        fields["Form.TemplateId"] = template.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = await marketer.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var message = await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.CustomerId == customer.Id));
        Assert.True(message.IsMarketing);
        Assert.NotNull(message.UnsubscribeUrl);
        Assert.Contains(message.UnsubscribeUrl, message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(message.UnsubscribeUrl, message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("/t/o/", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_AsSales_IsDenied()
    {
        var customer = await factory.AddCustomerAsync("Sales target " + Guid.NewGuid().ToString("N")[..6]);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        using var response = await sales.GetAsync($"/Messages/Compose/{customer.Id}?channel=Sms");
        Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath));
    }
}
