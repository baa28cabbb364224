using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Audit;

public sealed class AuditControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Fact]
    public async Task Index_AsMarketer_IsForbidden()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.GetAsync("/Audit");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath),
            $"expected the access-denied redirect, got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Index_AfterEditingCustomer_ShowsTheChangedFieldBeforeAndAfter()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var name = "Audited " + Guid.NewGuid().ToString("N")[..8];
        using var created = await client.SubmitFormAsync("/Customers/Create", "#customer-form", [new("Form.Name", name), new("Form.City", "Suzhou")]);
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];

        using var saved = await client.SubmitFormAsync($"/Customers/Edit/{id}", "#customer-form", [new("Form.City", "Nanjing")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var response = await client.GetAsync($"/Audit?entityType=Customer&entityId={id}&action=update");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Audit");
        var row = Assert.Single(page.QuerySelectorAll("#audit-table tbody tr[data-entry-id]"));
        var text = row.TextContent;
        Assert.Contains("Suzhou", text, StringComparison.Ordinal);
        Assert.Contains("Nanjing", text, StringComparison.Ordinal);
        Assert.Contains(TestAccount.Admin.Email, text, StringComparison.Ordinal);
        Assert.DoesNotContain(name, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPasswordThenRight_RecordsFailureAndSuccess()
    {
        var account = await factory.CreateUserAsync(Roles.Sales);
        using var anonymous = factory.CreateAnonymousClient();
        await Assert.ThrowsAsync<InvalidOperationException>(() => anonymous.SignInAsync(account.Email, "wrong-password-123"));
        await anonymous.SignInAsync(account.Email, account.Password);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var actions = await db.AuditEntries.Where(e => e.UserName == account.Email).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.SignInFailed, AuditActions.SignIn], actions);
    }

    [Fact]
    public async Task Login_TooManyWrongPasswords_RecordsLockout()
    {
        var account = await factory.CreateUserAsync(Roles.Sales);
        using var anonymous = factory.CreateAnonymousClient();
        for (var i = 0; i < IdentityExtensions.MaxFailedSignIns; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => anonymous.SignInAsync(account.Email, "wrong-password-123"));
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var actions = await db.AuditEntries.Where(e => e.UserName == account.Email).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal(Enumerable.Repeat(AuditActions.SignInFailed, IdentityExtensions.MaxFailedSignIns - 1).Append(AuditActions.Lockout), actions);
    }

    [Fact]
    public async Task Verify_IntactChain_RedirectsWithOkMessage()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin, allowAutoRedirect: true);

        using var response = await client.SubmitFormAsync("/Audit", "#verify-chain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/Audit", response.RequestMessage!.RequestUri!.AbsolutePath);
        var page = await HtmlPage.ParseAsync(response);
        Assert.Contains("The audit chain is intact", page.Body!.TextContent, StringComparison.Ordinal);
    }
}
