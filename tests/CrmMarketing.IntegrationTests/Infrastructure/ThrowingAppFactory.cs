using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Infrastructure;

/// <summary>The app plus one test-only endpoint that throws, to see what an unhandled exception looks like
/// to a user outside Development.</summary>
public sealed class ThrowingAppFactory : CrmWebApplicationFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddControllersWithViews().AddApplicationPart(typeof(ThrowingController).Assembly));
    }
}

[AllowAnonymous]
public sealed class ThrowingController : Controller
{
    public const string Path = "/test-only/throw";
    public const string SecretDetail = "secret-detail-7f3a9c from the data layer";

    [HttpGet(Path)]
    public IActionResult Throw() => throw new InvalidOperationException(SecretDetail);
}
