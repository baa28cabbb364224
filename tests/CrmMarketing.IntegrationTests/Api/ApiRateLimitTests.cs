using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using Microsoft.AspNetCore.Hosting;

namespace CrmMarketing.IntegrationTests.Api;

/// <summary>The app with a small per-key budget (5 requests per hour), so a flood is a handful of requests.</summary>
public sealed class RateLimitedAppFactory : CrmWebApplicationFactory
{
    public const int PermitLimit = 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Api:PermitLimit", PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Api:WindowSeconds", "3600");
    }
}

public sealed class ApiRateLimitTests(RateLimitedAppFactory factory) : IClassFixture<RateLimitedAppFactory>
{
    private static object Batch() => new { items = new[] { new { email = ApiTestClient.Unique("flood-") + "@example.com", name = "Flood" } } };

    [Fact]
    public async Task Flood_OverTheKeysBudget_Returns429WithRetryAfter()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();
        for (var i = 0; i < RateLimitedAppFactory.PermitLimit; i++)
        {
            using var allowed = await client.PostApiAsync("/api/v1/customers", Batch(), key);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.PostApiAsync("/api/v1/customers", Batch(), key);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Flood_OnOneKey_LeavesAnotherKeysBudgetAlone()
    {
        var busy = await factory.CreateKeyAsync(ApiScopes.Customers);
        var quiet = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();
        for (var i = 0; i <= RateLimitedAppFactory.PermitLimit; i++)
        {
            using var response = await client.PostApiAsync("/api/v1/customers", Batch(), busy);
        }

        using var busyAgain = await client.PostApiAsync("/api/v1/customers", Batch(), busy);
        using var other = await client.PostApiAsync("/api/v1/customers", Batch(), quiet);

        Assert.Equal(HttpStatusCode.TooManyRequests, busyAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
