using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.IntegrationTests.Api;

public sealed class ApiKeysPageTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Fact]
    public async Task Create_AsAdmin_ShowsTheKeyOnceAndStoresOnlyItsHash()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var name = ApiTestClient.Unique("Shop ");

        using var created = await admin.SubmitFormAsync("/ApiKeys", "#api-key-form",
            [new("Form.Name", name), new("Form.Customers", "true"), new("Form.Events", "true")]);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        using var shown = await admin.GetAsync(created.Headers.Location!.OriginalString);
        Assert.True(shown.Headers.CacheControl?.NoStore);
        var page = await HtmlPage.ParseAsync(shown);
        CspAssert.NoInlineCode(page, "/ApiKeys");
        var key = page.QuerySelector("#api-key-value")?.GetAttribute("value");
        Assert.NotNull(key);
        var keyId = ApiSecretId(key);

        var stored = await factory.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.KeyId == keyId));
        Assert.Equal(name, stored.Name);
        Assert.Equal(ApiScopes.Customers | ApiScopes.Events, stored.Scopes);
        Assert.Equal(ApiKeySecret.Hash(key), stored.SecretHash);
        Assert.NotEqual(key, stored.SecretHash);
        var secret = key[(4 + ApiKey.KeyIdLength + 1)..];
        var dump = await factory.WithDbAsync(db => db.ApiKeys.AsNoTracking().Select(k => k.Name + k.KeyId + k.SecretHash + k.CreatedBy).ToListAsync());
        Assert.DoesNotContain(dump, d => d.Contains(secret, StringComparison.Ordinal));

        // The next view of the page no longer has it.
        using var again = await admin.GetAsync("/ApiKeys");
        var html = await again.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.Contains(keyId, html, StringComparison.Ordinal);

        // And the key works for its scope.
        using var api = factory.CreateAnonymousClient();
        using var response = await api.PostApiAsync("/api/v1/customers", new { items = new[] { new { email = ApiTestClient.Unique("k-") + "@example.com", name = "Via page key" } } }, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithoutScope_RedisplaysTheFormWithAnError()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var name = ApiTestClient.Unique("No scope ");

        using var response = await admin.SubmitFormAsync("/ApiKeys", "#api-key-form", [new("Form.Name", name)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        Assert.Null(page.QuerySelector("#api-key-value"));
        Assert.NotNull(page.QuerySelector("#api-key-form .field-validation-error"));
        Assert.False(await factory.WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.Name == name)));
    }

    [Fact]
    public async Task Revoke_AsAdmin_MarksTheKeyRevokedAndAudits()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Events);
        var keyId = ApiSecretId(key);
        var id = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.KeyId == keyId).Select(k => k.Id).SingleAsync());
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await admin.PostFormAsync($"/ApiKeys/Revoke/{id}", tokenPageUrl: "/ApiKeys");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.Id == id).Select(k => k.RevokedAt).SingleAsync()));
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ApiKeyRevoke && e.EntityId == id.ToString())));
    }

    private static string ApiSecretId(string key) => ApiKeySecret.TryGetKeyId(key) ?? throw new InvalidOperationException("malformed key " + key.Length);
}
