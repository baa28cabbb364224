using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests.Infrastructure;

/// <summary>Starts the app on Kestrel and the system Chromium once per test class. Browsers are never
/// downloaded: without /usr/bin/chromium (or CRM_CHROMIUM_PATH) the tests skip, or fail when CRM_REQUIRE_ALL=1.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromiumPath = "/usr/bin/chromium";
    public const string ChromiumPathVariable = "CRM_CHROMIUM_PATH";
    public const string RequireAllVariable = "CRM_REQUIRE_ALL";

    /// <summary>The demo administrator created by the demo seeder.</summary>
    public const string DemoAdminEmail = "admin@crm.local";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private BrowserAppFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public string? UnavailableReason { get; private set; }

    public Uri BaseAddress { get; private set; } = null!;

    public string DemoPassword { get; private set; } = null!;

    /// <summary>The folder the app's mail pickup writes .eml files to.</summary>
    public string PickupDirectory => _factory?.PickupDirectory ?? throw new InvalidOperationException(UnavailableReason ?? "The fixture has not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(UnavailableReason ?? "The fixture has not started.");

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumPathVariable) is { Length: > 0 } path
        ? path
        : DefaultChromiumPath;

    public static bool RequireAll => Environment.GetEnvironmentVariable(RequireAllVariable) == "1";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            UnavailableReason = $"Chromium is not installed at {ChromiumPath} (apt-get install chromium).";
            return;
        }

        _factory = new BrowserAppFactory();
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = new Uri(ServerAddress(_factory.Services));
        DemoPassword = _factory.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Password;
        await EnsureDemoAdminAsync(_factory.Services, DemoPassword);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>Call first in every browser test.</summary>
    public void SkipUnlessAvailable()
    {
        if (UnavailableReason is null)
        {
            return;
        }

        if (RequireAll)
        {
            Assert.Fail($"{UnavailableReason} {RequireAllVariable}=1 requires every test to run.");
        }

        Skip.If(true, UnavailableReason);
    }

    /// <summary>A fresh browser context (cookies, storage) in English, pointed at the app.</summary>
    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseAddress.ToString(),
        Locale = "en-US",
        TimezoneId = "Asia/Shanghai",
    });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    private static string ServerAddress(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses?.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address.");

        // A wildcard host cannot be browsed to; the loopback address can.
        return address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal);
    }

    /// <summary>The demo seeder creates the account; this keeps the tests independent of it.</summary>
    private static async Task EnsureDemoAdminAsync(IServiceProvider services, string password)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByEmailAsync(DemoAdminEmail) is not null)
        {
            return;
        }

        var admin = new ApplicationUser
        {
            UserName = DemoAdminEmail,
            Email = DemoAdminEmail,
            EmailConfirmed = true,
            DisplayName = "Demo administrator",
            CreatedAt = DateTime.UtcNow,
        };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded || !(await users.AddToRoleAsync(admin, Roles.Admin)).Succeeded)
        {
            throw new InvalidOperationException("Could not create the demo administrator: "
                + string.Join("; ", created.Errors.Select(e => e.Description)));
        }
    }
}
