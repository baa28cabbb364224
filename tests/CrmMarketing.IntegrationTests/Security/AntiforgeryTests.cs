using System.Net;

using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Security;

public sealed class AntiforgeryTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private static readonly KeyValuePair<string, string>[] CultureForm =
    [
        new("culture", "en"),
        new("returnUrl", "/"),
    ];

    [Fact]
    public async Task Post_SignedInWithoutToken_Returns400()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.PostAsync("/Culture/Set", new FormUrlEncodedContent(CultureForm));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_SignedInWithToken_IsNotRejected()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.PostFormAsync("/Culture/Set", CultureForm);

        Assert.NotEqual(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    [Fact]
    public async Task Post_SignedInWithTokenIssuedBeforeSignIn_Returns400()
    {
        var account = await factory.CreateUserAsync(Roles.Sales);
        using var client = factory.CreateAnonymousClient();
        var anonymousToken = await client.GetAntiforgeryTokenAsync();
        await client.SignInAsync(account.Email, account.Password);

        using var response = await client.PostAsync("/Culture/Set", new FormUrlEncodedContent(
            CultureForm.Append(new(HtmlPage.AntiforgeryFieldName, anonymousToken))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Logout_SignedInWithoutToken_Returns400AndStaysSignedIn()
    {
        var account = await factory.CreateUserAsync(Roles.Marketer);
        using var client = await factory.CreateSignedInClientAsync(account);

        using var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));
        using var after = await client.GetAsync("/Account/ChangePassword");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Post_AnonymousWithoutToken_Returns400()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostAsync("/Culture/Set", new FormUrlEncodedContent(CultureForm));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
