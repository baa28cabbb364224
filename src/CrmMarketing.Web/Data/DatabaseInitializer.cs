using CrmMarketing.Web.Data.DemoData;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Data;

/// <summary>Start-up work on the database: migrations, roles, the first account, demo data.</summary>
public sealed partial class DatabaseInitializer(
    CrmDbContext db,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    DemoDataSeeder demo,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<DemoOptions> demoOptions,
    IOptions<CrmOptions> crmOptions,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(bool seedDemoRequested, CancellationToken ct)
    {
        if (databaseOptions.Value.MigrateOnStartup)
        {
            if (db.Database.IsSqlite())
            {
                // WAL lets readers proceed while one writer commits; it persists in the file.
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    await using var command = db.Database.GetDbConnection().CreateCommand();
                    command.CommandText = "PRAGMA journal_mode = WAL;";
                    await command.ExecuteScalarAsync(ct);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }

            await db.Database.MigrateAsync(ct);
        }

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var seedDemo = seedDemoRequested || demoOptions.Value.Seed;
        if (seedDemo)
        {
            await demo.SeedAccountsAsync(ct);
            await demo.SeedDataAsync(ct);
        }
        else
        {
            await EnsureFirstAdminAsync();
        }
    }

    private async Task EnsureFirstAdminAsync()
    {
        if (await users.Users.AnyAsync())
        {
            return;
        }

        var bootstrap = crmOptions.Value.Bootstrap;
        if (string.IsNullOrWhiteSpace(bootstrap.AdminEmail) || string.IsNullOrWhiteSpace(bootstrap.AdminPassword))
        {
            LogNoUsers(logger, environment.EnvironmentName);
            return;
        }

        var admin = new ApplicationUser
        {
            UserName = bootstrap.AdminEmail,
            Email = bootstrap.AdminEmail,
            EmailConfirmed = true,
            DisplayName = "Administrator",
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(admin, bootstrap.AdminPassword);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                "Crm:Bootstrap:AdminPassword was rejected: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
        LogBootstrapAdmin(logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No user exists ({Environment}). Set Crm__Bootstrap__AdminEmail and Crm__Bootstrap__AdminPassword (at least 12 characters) and restart to create the first administrator.")]
    private static partial void LogNoUsers(ILogger logger, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first administrator from Crm:Bootstrap settings.")]
    private static partial void LogBootstrapAdmin(ILogger logger);
}
