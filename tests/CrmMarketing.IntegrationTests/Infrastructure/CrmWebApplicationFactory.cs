using CrmMarketing.Web.Domain;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Infrastructure;

/// <summary>The real application in the "Testing" environment, on its own temporary SQLite file that
/// the start-up migrations create and <see cref="Dispose(bool)"/> deletes. One instance per test class.</summary>
public class CrmWebApplicationFactory : WebApplicationFactory<Program>
{
    public const string EnvironmentName = "Testing";

    /// <summary>Secure cookies are only sent back over https, and outside Development every cookie is Secure.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://localhost");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "crm-tests", Guid.NewGuid().ToString("N"));
    private readonly SemaphoreSlim _userLock = new(1, 1);

    public CrmWebApplicationFactory()
    {
        Directory.CreateDirectory(_directory);
        ClientOptions.BaseAddress = DefaultBaseAddress;
        ClientOptions.AllowAutoRedirect = false;
    }

    public string DatabasePath => Path.Combine(_directory, "crm.db");

    public string PickupDirectory => Path.Combine(_directory, "mail-pickup");

    public string SmsLogFile => Path.Combine(_directory, "sms.log");

    public string ConnectionString => $"Data Source={DatabasePath}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Crm", ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Analytics:RfmRefreshHours", "0");
        builder.UseSetting("Analytics:SegmentRefreshHours", "0");
        builder.UseSetting("Privacy:MaintenanceHours", "0");
        builder.UseSetting("Import:Directory", Path.Combine(_directory, "imports"));
        // Nothing leaves the machine: mail goes to a pickup folder and SMS to a log file inside the test folder.
        builder.UseSetting("Smtp:Mode", "Pickup");
        builder.UseSetting("Smtp:PickupDirectory", PickupDirectory);
        builder.UseSetting("SmsGateway:Mode", "Log");
        builder.UseSetting("SmsGateway:LogFile", SmsLogFile);
        builder.UseSetting("Analytics:AssociationRefreshHours", "0");
    }

    /// <summary>Creates the account if it does not exist yet (idempotent per factory).</summary>
    public async Task<TestAccount> EnsureUserAsync(TestAccount account)
    {
        await _userLock.WaitAsync();
        try
        {
            await using var scope = Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(account.Email);
            if (user is null)
            {
                user = new ApplicationUser
                {
                    UserName = account.Email,
                    Email = account.Email,
                    EmailConfirmed = true,
                    DisplayName = account.Role + " test user",
                    CreatedAt = DateTime.UtcNow,
                };
                Succeeded(await users.CreateAsync(user, account.Password), "create " + account.Email);
            }

            if (account.Role is not null && !await users.IsInRoleAsync(user, account.Role))
            {
                Succeeded(await users.AddToRoleAsync(user, account.Role), "add role " + account.Role);
            }

            return account;
        }
        finally
        {
            _userLock.Release();
        }
    }

    /// <summary>Creates a new user with the role and a known password and returns its credentials.</summary>
    public Task<TestAccount> CreateUserAsync(string? role, string? email = null, string? password = null) =>
        EnsureUserAsync(new TestAccount(
            email ?? $"{(role ?? "norole").ToLowerInvariant()}-{Guid.NewGuid():N}@test.local",
            password ?? TestAccount.DefaultPassword,
            role));

    /// <summary>An anonymous client: https base address, cookies kept, redirects not followed unless asked.</summary>
    public HttpClient CreateAnonymousClient(bool allowAutoRedirect = false, Uri? baseAddress = null) =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = baseAddress ?? DefaultBaseAddress,
            AllowAutoRedirect = allowAutoRedirect,
            HandleCookies = true,
        });

    /// <summary>A client signed in through the real login form as the standard test account of <paramref name="role"/>.</summary>
    public Task<HttpClient> CreateClientForRoleAsync(string role, bool allowAutoRedirect = false) =>
        CreateSignedInClientAsync(TestAccount.ForRole(role), allowAutoRedirect);

    public async Task<HttpClient> CreateSignedInClientAsync(TestAccount account, bool allowAutoRedirect = false)
    {
        await EnsureUserAsync(account);
        var client = CreateAnonymousClient(allowAutoRedirect);
        await client.SignInAsync(account.Email, account.Password);
        return client;
    }

    /// <summary>Also reached from DisposeAsync, which the base class routes here.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _userLock.Dispose();
            DeleteDatabase();
        }
    }

    private void DeleteDatabase()
    {
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean from /tmp; it must not fail the run.
        }
    }

    private static void Succeeded(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not {what}: " + string.Join("; ", result.Errors.Select(e => e.Code + " " + e.Description)));
        }
    }
}
