using System.Net;

using CrmMarketing.IntegrationTests.Infrastructure;

namespace CrmMarketing.IntegrationTests.Security;

public sealed class ErrorPageTests(ThrowingAppFactory factory) : IClassFixture<ThrowingAppFactory>
{
    [Fact]
    public async Task UnhandledException_OutsideDevelopment_ShowsGenericPageWithoutExceptionText()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(ThrowingController.Path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        SecurityHeadersAssert.Present(response);
        Assert.DoesNotContain(ThrowingController.SecretDetail, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(ThrowingController), body, StringComparison.Ordinal);
        CspAssert.NoInlineCode(HtmlPage.Parse(body), ThrowingController.Path);
        Assert.Contains("500", body, StringComparison.Ordinal);
    }
}
