using System.Data.Common;
using System.Runtime.CompilerServices;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Data.DemoData;
using CrmMarketing.Web.Options;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Extensions;

public static class DataExtensions
{
    public const string ConnectionStringName = "Crm";

    public static WebApplicationBuilder AddCrmData(this WebApplicationBuilder builder)
    {
        var connectionString = ResolveSqliteConnectionString(
            builder.Configuration.GetConnectionString(ConnectionStringName) ?? "Data Source=App_Data/crm.db",
            builder.Environment.ContentRootPath);

        builder.Services.AddSingleton<SqlitePragmaInterceptor>();
        // Pooled: a request reuses a reset context instead of building one (measured in bench/).
        builder.Services.AddDbContextPool<CrmDbContext>((sp, options) => options
            .UseSqlite(connectionString)
            .AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>()));
        builder.Services.AddHealthChecks().AddDbContextCheck<CrmDbContext>("database");
        builder.Services.AddScoped<DemoDataSeeder>();
        builder.Services.AddScoped<DatabaseInitializer>();
        return builder;
    }

    /// <summary>A relative data source is taken from the content root, and its folder is created.</summary>
    public static string ResolveSqliteConnectionString(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        var source = csb.DataSource;
        if (!string.IsNullOrEmpty(source) && source != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            if (!Path.IsPathRooted(source))
            {
                source = Path.GetFullPath(Path.Combine(contentRoot, source));
                csb.DataSource = source;
            }

            var folder = Path.GetDirectoryName(source);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        if (csb.DefaultTimeout < 30)
        {
            csb.DefaultTimeout = 30;
        }

        return csb.ToString();
    }

    public static async Task PrepareDatabaseAsync(this WebApplication app, string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var initializer = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
        await initializer.InitializeAsync(args.Contains("--seed-demo"), app.Lifetime.ApplicationStopping);
    }
}

/// <summary>Every SQLite connection waits for locks instead of failing, and syncs less often under WAL. Reports sort
/// and group hundreds of thousands of rows: a 64 MB page cache (taken only as used) and in-memory temporary storage
/// keep those sorts out of temporary files. Pooled connections keep their settings, so the pragmas run once per
/// physical connection, not per open.</summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    /// <summary>The connection set-up, public so that tools comparing against raw SQL use the same one.</summary>
    public const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
        + "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";

    private readonly ConditionalWeakTable<object, object> _configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True the first time this native database handle is seen.</summary>
    private bool IsNew(DbConnection connection)
    {
        object? handle = connection is SqliteConnection sqlite ? sqlite.Handle : null;
        if (handle is null)
        {
            return true;
        }

        var added = false;
        _configured.GetValue(handle, _ =>
        {
            added = true;
            return new object();
        });
        return added;
    }
}
