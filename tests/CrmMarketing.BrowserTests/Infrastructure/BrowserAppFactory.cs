using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace CrmMarketing.BrowserTests.Infrastructure;

/// <summary>The real app on a Kestrel port in the Development environment, seeded with a small demo
/// data set in its own temporary SQLite file.</summary>
public sealed class BrowserAppFactory : WebApplicationFactory<Program>
{
    public const int DemoCustomers = 300;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "crm-browser-tests", Guid.NewGuid().ToString("N"));

    public BrowserAppFactory() => Directory.CreateDirectory(_directory);

    /// <summary>Where the Development mail pickup writes each sent email as an .eml file.</summary>
    public string PickupDirectory => Path.Combine(_directory, "mail-pickup");

    public string ConnectionString => $"Data Source={Path.Combine(_directory, "crm.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Crm", ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Analytics:RfmRefreshHours", "0");
        builder.UseSetting("Analytics:AssociationRefreshHours", "0");
        builder.UseSetting("Smtp:Mode", "Pickup");
        builder.UseSetting("Smtp:PickupDirectory", PickupDirectory);
        builder.UseSetting("SmsGateway:Mode", "Log");
        builder.UseSetting("SmsGateway:LogFile", Path.Combine(_directory, "sms.log"));
        builder.UseSetting("Outbox:DispatcherEnabled", "true");
        builder.UseSetting("Outbox:PollSeconds", "0.5");
        builder.UseSetting("Analytics:SegmentRefreshHours", "0");
        builder.UseSetting("Privacy:MaintenanceHours", "0");
        builder.UseSetting("Demo:Customers", DemoCustomers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Import:Directory", Path.Combine(_directory, "imports"));
    }

    /// <summary>Also reached from DisposeAsync, which the base class routes here.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

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
            // Left for the OS to clean from the temp folder; it must not fail the run.
        }
    }
}
