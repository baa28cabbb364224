using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.IntegrationTests.Templates;

public sealed class TemplatesControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Marketer)]
    public async Task Index_MarketingRoles_AreServed(string role)
    {
        using var client = await factory.CreateClientForRoleAsync(role);
        using var response = await client.GetAsync("/Templates");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        CspAssert.NoInlineCode(await HtmlPage.ParseAsync(response), "/Templates");
    }

    [Fact]
    public async Task Create_AsSales_IsDenied()
    {
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        using var get = await sales.GetAsync("/Templates/Create");
        Assert.True(HttpClientExtensions.IsRedirectTo(get, HttpClientExtensions.AccessDeniedPath));
        using var post = await sales.PostFormAsync("/Templates/Create", [new("Form.Name", "Sales template"), new("Form.Channel", "Sms"), new("Form.TextBody", "hi")]);
        Assert.True(HttpClientExtensions.IsRedirectTo(post, HttpClientExtensions.AccessDeniedPath));
        Assert.False(await factory.WithDbAsync(db => db.MessageTemplates.AnyAsync(t => t.Name == "Sales template")));
    }

    [Fact]
    public async Task Create_UnknownMergeField_IsRejectedNamingIt()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var name = "Unknown " + Guid.NewGuid().ToString("N")[..8];
        using var response = await marketer.SubmitFormAsync("/Templates/Create?channel=Email", "#template-form",
        [
            new("Form.Name", name),
            new("Form.Subject", "Hello {{name}}"),
            new("Form.HtmlBody", "<p>Your code: {{coupon_code}}</p>"),
        ]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Templates/Create");
        Assert.Contains("{{coupon_code}}", page.QuerySelector("[data-valmsg-for='Form.HtmlBody']")!.TextContent, StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.MessageTemplates.AnyAsync(t => t.Name == name)));
    }

    [Fact]
    public async Task Create_HtmlWithScript_IsSanitisedOnSave()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var name = "Sanitised " + Guid.NewGuid().ToString("N")[..8];
        using var response = await marketer.SubmitFormAsync("/Templates/Create?channel=Email", "#template-form",
        [
            new("Form.Name", name),
            new("Form.Subject", "Hello {{name|Customer}}"),
            new("Form.HtmlBody", "<p onclick=\"steal()\">Hi {{name}}</p><script>alert(1)</script><a href=\"{{unsubscribe_url}}\">Unsubscribe</a>"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await factory.WithDbAsync(db => db.MessageTemplates.Where(t => t.Name == name).Select(t => t.HtmlBody).SingleAsync());
        Assert.DoesNotContain("script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("{{unsubscribe_url}}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_ForCustomer_ShowsMergedEncodedValues()
    {
        var customer = await factory.AddCustomerAsync("<b>Preview</b> " + Guid.NewGuid().ToString("N")[..6]);
        var template = await factory.AddTemplateAsync("<p>Dear {{name|Customer}} in {{city}}</p>");
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var response = await marketer.GetAsync($"/Templates/Preview/{template.Id}?customer={customer.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Templates/Preview");
        Assert.Equal("News for " + customer.Name, page.QuerySelector("#preview-subject")!.TextContent);
        var srcdoc = page.QuerySelector("#preview-html")!.GetAttribute("srcdoc")!;
        Assert.Contains("&lt;b&gt;Preview&lt;/b&gt;", srcdoc, StringComparison.Ordinal);
        Assert.Contains("in 上海", srcdoc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTest_QueuesOneMessageToTheCurrentUserNotTheCustomer()
    {
        var customer = await factory.AddCustomerAsync("Test target");
        var template = await factory.AddTemplateAsync("<p>Hello {{name}}</p>");
        var account = await factory.CreateUserAsync(Roles.Marketer);
        using var client = factory.CreateAnonymousClient();
        await client.SignInAsync(account.Email, account.Password);
        var previewUrl = $"/Templates/Preview/{template.Id}?customer={customer.Id}";
        using var page = await client.GetAsync(previewUrl);
        var form = (AngleSharp.Html.Dom.IHtmlFormElement)(await HtmlPage.ParseAsync(page)).QuerySelector("#send-test-form")!;
        var fields = HtmlPage.GetFormValues(form);
        using var first = await client.PostAsync(HtmlPage.GetFormAction(form, previewUrl), new FormUrlEncodedContent(fields));
        using var second = await client.PostAsync(HtmlPage.GetFormAction(form, previewUrl), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);

        var messages = await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TemplateId == template.Id).ToListAsync());
        var message = Assert.Single(messages);
        Assert.Equal(account.Email, message.ToAddress);
        Assert.Null(message.CustomerId);
        Assert.False(message.IsMarketing);
        Assert.Equal("News for Test target", message.Subject);
    }
}
