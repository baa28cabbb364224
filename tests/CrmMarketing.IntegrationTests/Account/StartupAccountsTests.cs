using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Account;

/// <summary>The app in the Production environment, with the given extra settings.</summary>
public sealed class ProductionAppFactory(IReadOnlyDictionary<string, string> settings) : CrmWebApplicationFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

public sealed class StartupAccountsTests
{
    [Fact]
    public async Task Production_WithoutBootstrapSettings_HasNoAccountAndNoDemoData()
    {
        await using var factory = new ProductionAppFactory(new Dictionary<string, string>());
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();

        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(0, await db.Customers.CountAsync());
        // The demo password opens nothing.
        using var client = factory.CreateAnonymousClient();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SignInAsync("admin@crm.local", "Demo-Password-2026"));
    }

    [Fact]
    public async Task Production_WithBootstrapSettings_CreatesOneAdminWhoCanSignIn()
    {
        await using var factory = new ProductionAppFactory(new Dictionary<string, string>
        {
            ["Crm:Bootstrap:AdminEmail"] = "owner@example.com",
            ["Crm:Bootstrap:AdminPassword"] = "a long enough passphrase",
        });
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var admin = Assert.Single(users.Users.ToList());
            Assert.Equal("owner@example.com", admin.Email);
            Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
        }

        using var client = factory.CreateAnonymousClient();
        await client.SignInAsync("owner@example.com", "a long enough passphrase");
        using var users2 = await client.GetAsync("/Users");
        Assert.Equal(System.Net.HttpStatusCode.OK, users2.StatusCode);
    }
}
