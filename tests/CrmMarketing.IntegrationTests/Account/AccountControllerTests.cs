using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Account;

public sealed class AccountControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private static List<KeyValuePair<string, string>> Credentials(TestAccount account, string? password = null, string? returnUrl = null) =>
    [
        new("Email", account.Email),
        new("Password", password ?? account.Password),
        new("ReturnUrl", returnUrl ?? string.Empty),
    ];

    [Theory]
    [InlineData("/Customers?city=%E4%B8%8A%E6%B5%B7", "/Customers?city=%E4%B8%8A%E6%B5%B7")]
    [InlineData("https://evil.example/phish", "/")]
    [InlineData("//evil.example/phish", "/")]
    [InlineData("/\\evil.example", "/")]
    public async Task Login_ReturnUrl_IsHonouredOnlyWhenLocal(string returnUrl, string expected)
    {
        var account = await factory.CreateUserAsync(Roles.Sales);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.SubmitFormAsync("/Account/Login", "#login-form", Credentials(account, returnUrl: returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.True(location == expected || (expected == "/" && location is "/Dashboard" or "/Dashboard/Index"), $"redirected to {location}");
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LocksTheAccountForFifteenMinutes()
    {
        var account = await factory.CreateUserAsync(Roles.Marketer);
        using var client = factory.CreateAnonymousClient();

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.SubmitFormAsync("/Account/Login", "#login-form", Credentials(account, password: "not the password " + i));
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains(i < 4 ? "Invalid email or password." : "This account is locked", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var right = await client.SubmitFormAsync("/Account/Login", "#login-form", Credentials(account));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("This account is locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(account.Email);
        var remaining = user!.LockoutEnd!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(remaining, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Login_Success_SetsHttpOnlyLaxSecureCookie()
    {
        var account = await factory.CreateUserAsync(Roles.Admin);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.SubmitFormAsync("/Account/Login", "#login-form", Credentials(account));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("crm.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
