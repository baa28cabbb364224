using System.Net;

using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Security;

public sealed class SecurityHeadersTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Fact]
    public async Task LoginPage_Anonymous_HasSecurityHeadersAndNoInlineCode()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(HttpClientExtensions.LoginPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SecurityHeadersAssert.Present(response);
        await CspAssert.NoInlineCodeAsync(response);
    }

    [Fact]
    public async Task Dashboard_SignedIn_HasSecurityHeadersAndNoInlineCode()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SecurityHeadersAssert.Present(response);
        await CspAssert.NoInlineCodeAsync(response);
    }

    [Fact]
    public async Task Health_Anonymous_HasSecurityHeaders()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SecurityHeadersAssert.Present(response);
    }

    [Fact]
    public async Task UnknownPage_SignedIn_Returns404GenericPageWithSecurityHeaders()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        SecurityHeadersAssert.Present(response);
        await CspAssert.NoInlineCodeAsync(response);
    }

    [Fact]
    public async Task UnknownPage_Anonymous_IsChallengedWithSecurityHeaders()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync("/no/such/page");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.LoginPath),
            $"Expected a redirect to the login page, got {(int)response.StatusCode} {response.Headers.Location}.");
        SecurityHeadersAssert.Present(response);
    }

    [Theory]
    [InlineData("/Home/Error")]
    [InlineData("/Home/Status/404")]
    [InlineData("/Home/Status/500")]
    public async Task ErrorPages_Anonymous_RenderGenericPageWithoutInlineCode(string path)
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(path);
        var document = await HtmlPage.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SecurityHeadersAssert.Present(response);
        CspAssert.NoInlineCode(document, path);
        Assert.DoesNotContain("Exception", document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_HttpsOutsideDevelopment_IsSent()
    {
        // HSTS is never sent to localhost, so ask for the site by a real-looking host name.
        using var client = factory.CreateAnonymousClient(baseAddress: new Uri("https://crm.example.com"));

        using var response = await client.GetAsync("/health");

        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var values),
            "Strict-Transport-Security is missing.");
        Assert.Contains("max-age=", string.Join(",", values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_PlainHttp_IsNotSent()
    {
        using var client = factory.CreateAnonymousClient(baseAddress: new Uri("http://crm.example.com"));

        using var response = await client.GetAsync("/health");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
