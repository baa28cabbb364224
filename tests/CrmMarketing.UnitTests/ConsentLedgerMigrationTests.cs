using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmMarketing.UnitTests;

public class ConsentLedgerMigrationTests
{
    [Fact]
    public async Task Migrate_ExistingCustomers_StartTheirLedgerWithTheirCurrentConsent()
    {
        await using var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var db = new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(connection).Options);
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        var ledgerMigration = migrations.Single(m => m.EndsWith("_ConsentChanges", StringComparison.Ordinal));
        await migrator.MigrateAsync(migrations[migrations.IndexOf(ledgerMigration) - 1]);

        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO Customers (Id, Name, NameKey, Gender, EmailConsent, EmailConsentAt, EmailConsentSource, SmsConsent,
                CreatedAt, UpdatedAt, IsArchived, OrderCount, TotalSpent, Version)
            VALUES (7, 'Old', 'old', 0, 1, '2026-01-02 03:04:05', 'import', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, 0, 0, 1),
                   (8, 'Older', 'older', 0, 0, NULL, NULL, 2, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, 0, 0, 1);
            UPDATE Customers SET SmsConsentAt = '2026-02-03 00:00:00' WHERE Id = 8;
            """);
        await migrator.MigrateAsync();

        var ledger = await db.ConsentChanges.AsNoTracking().OrderBy(c => c.CustomerId).ToListAsync();
        Assert.Equal(
            [
                (7, ConsentChannel.Email, ConsentState.OptedIn, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), "import"),
                (8, ConsentChannel.Sms, ConsentState.OptedOut, new DateTime(2026, 2, 3, 0, 0, 0, DateTimeKind.Utc), "staff"),
            ],
            ledger.Select(c => (c.CustomerId, c.Channel, c.State, c.ChangedAt, c.Source)));
    }
}
