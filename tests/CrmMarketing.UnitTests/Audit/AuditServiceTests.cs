using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.ViewModels.Audit;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests.Audit;

public class AuditServiceTests : IDisposable
{
    private static readonly AuditActor Admin = new("admin-id", "admin@test.local");
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task RecordSeveralAsync(int count)
    {
        await using var db = _database.CreateContext();
        var audit = TestServices.Audit(db);
        for (var i = 1; i <= count; i++)
        {
            await audit.RecordAsync(AuditActions.Update, AuditEntityTypes.Customer, i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [new("City", "Old " + i, "New " + i), new("Email", $"old{i}@example.com", $"new{i}@example.com")], default, Admin);
        }
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var db = _database.CreateContext();
        return await TestServices.Audit(db).VerifyAsync(default);
    }

    [Fact]
    public async Task VerifyAsync_UntouchedChain_IsOk()
    {
        await RecordSeveralAsync(5);

        var result = await VerifyAsync();

        Assert.True(result.Ok);
        Assert.Equal(5, result.Checked);
        await using var db = _database.CreateContext();
        var entries = await db.AuditEntries.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Id));
        Assert.Null(entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
    }

    [Fact]
    public async Task VerifyAsync_ChangesEditedWithSql_ReportsThatRow()
    {
        await RecordSeveralAsync(5);
        await using (var db = _database.CreateContext())
        {
            var forged = """[{"field":"City","before":"x","after":"y"}]""";
            await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET Changes = {forged} WHERE Id = 3");
        }

        var result = await VerifyAsync();

        Assert.False(result.Ok);
        Assert.Equal(3, result.BrokenEntryId);
        Assert.Equal(2, result.Checked);
    }

    [Fact]
    public async Task VerifyAsync_RowDeletedWithSql_ReportsTheRowAfterTheGap()
    {
        await RecordSeveralAsync(4);
        await using (var db = _database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM AuditEntries WHERE Id = 2");
        }

        Assert.Equal(3, (await VerifyAsync()).BrokenEntryId);
    }

    [Fact]
    public async Task SaveChanges_ModifiedEntry_IsRejected()
    {
        await RecordSeveralAsync(1);
        await using var db = _database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync();
        entry.Action = AuditActions.Export;

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public void ToView_NonAdmin_MasksPersonalFieldsOnly()
    {
        var entry = new AuditEntry
        {
            Id = 1,
            UserName = "admin@test.local",
            Action = AuditActions.Update,
            Changes = """[{"field":"Name","before":"Wang","after":"Li"},{"field":"Email","before":null,"after":"li@example.com"},{"field":"City","before":"Shanghai","after":"Beijing"}]""",
        };

        var masked = AuditService.ToView(entry, showPersonalData: false).Changes;
        var full = AuditService.ToView(entry, showPersonalData: true).Changes;

        Assert.Equal(new AuditChangeViewModel("Name", "***", "***"), masked[0]);
        Assert.Equal(new AuditChangeViewModel("Email", null, "***"), masked[1]);
        Assert.Equal(new AuditChangeViewModel("City", "Shanghai", "Beijing"), masked[2]);
        Assert.Equal(new AuditChangeViewModel("Name", "Wang", "Li"), full[0]);
        Assert.Equal(new AuditChangeViewModel("Email", null, "li@example.com"), full[1]);
    }

    [Fact]
    public async Task UpdateAsync_TwoFieldsChanged_RecordsOnlyThoseFields()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang", c => { c.City = "Shanghai"; c.Phone = "+8613812345678"; c.Region = "East"; });
        await using var db = _database.CreateContext();
        var customers = TestServices.Customers(db);
        var form = (await customers.GetForEditAsync(customer.Id, default))!.Form;
        form.City = "Beijing";
        form.Name = "Wang Fang Li";

        await customers.UpdateAsync(customer.Id, form, TestServices.Actor, default);

        var entry = await db.AuditEntries.AsNoTracking().SingleAsync();
        Assert.Equal(AuditActions.Update, entry.Action);
        Assert.Equal(AuditEntityTypes.Customer, entry.EntityType);
        Assert.Equal(customer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.EntityId);
        Assert.Equal("admin@test.local", entry.UserName);
        Assert.Equal(
            [new AuditChange("Name", "Wang Fang", "Wang Fang Li"), new AuditChange("City", "Shanghai", "Beijing")],
            await TestServices.Audit(db).ReadChangesAsync(entry, default));
        Assert.DoesNotContain("Wang Fang", entry.Changes, StringComparison.Ordinal);
        Assert.Contains("\"Shanghai\"", entry.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerLifecycle_CreateArchiveRestoreNoteAndPurchase_AreChainedInOrder()
    {
        var product = await _database.AddProductAsync("SKU-1", 10m);
        await using var db = _database.CreateContext();
        var customers = TestServices.Customers(db);

        var created = await customers.CreateAsync(new CustomerFormModel { Name = "Zhao Lei", City = "Hangzhou" }, TestServices.Actor, default);
        await customers.SetArchivedAsync(created.Id, archived: true, TestServices.Actor, default);
        await customers.SetArchivedAsync(created.Id, archived: false, TestServices.Actor, default);
        await customers.AddNoteAsync(created.Id, new NoteFormModel { Body = "Called about the order" }, TestServices.Actor, default);
        await TestServices.Purchases(db).RecordAsync(created.Id, new PurchaseFormModel
        {
            PurchasedAt = new DateTime(2026, 6, 1, 10, 0, 0),
            Lines = [new() { ProductId = product.Id, Quantity = 2 }],
        }, TestServices.Actor, default);

        var entries = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(
            [AuditActions.Create, AuditActions.Archive, AuditActions.Restore, AuditActions.NoteAdded, AuditActions.PurchaseRecorded],
            entries.Select(e => e.Action));
        var createChanges = await TestServices.Audit(db).ReadChangesAsync(entries[0], default);
        Assert.Contains(new AuditChange("Name", null, "Zhao Lei"), createChanges);
        Assert.DoesNotContain(createChanges, c => c.Field == "Email");
        Assert.DoesNotContain("Called about", entries[3].Changes, StringComparison.Ordinal);
        Assert.Contains(new AuditChange("Total", null, "20"), AuditService.ReadChanges(entries[4].Changes));
        Assert.True((await TestServices.Audit(db).VerifyAsync(default)).Ok);
    }

    [Fact]
    public async Task WriteCsvAsync_WithSearch_RecordsRowCountAndFiltersButNotTheSearchTerm()
    {
        await _database.AddCustomerAsync("Secret Person", c => c.City = "Shanghai");
        await using var db = _database.CreateContext();
        var export = new CustomerExportService(db, TestServices.Customers(db), TestServices.Audit(db), new FixedTimeProvider(TestServices.Now),
            TestServices.Formatter(), TestServices.Localizer, NullLogger<CustomerExportService>.Instance);

        await export.WriteCsvAsync(new CustomerListQuery { Q = "Secret", City = "Shanghai" }, Stream.Null, default);

        var entry = await db.AuditEntries.AsNoTracking().SingleAsync();
        Assert.Equal(AuditActions.Export, entry.Action);
        Assert.DoesNotContain("Secret", entry.Changes, StringComparison.OrdinalIgnoreCase);
        var changes = AuditService.ReadChanges(entry.Changes);
        Assert.Contains(new AuditChange("Rows", null, "1"), changes);
        Assert.Contains(new AuditChange("Filters", null, "q=***; city=Shanghai"), changes);
    }

    [Fact]
    public async Task ListAsync_Filters_ReturnMatchingEntriesNewestFirstWithKeysetPaging()
    {
        await using var db = _database.CreateContext();
        var audit = TestServices.Audit(db);
        for (var i = 0; i < AuditListQuery.PageSize + 5; i++)
        {
            await audit.RecordAsync(AuditActions.Export, AuditEntityTypes.Customer, null, null, default, Admin);
        }

        await audit.RecordAsync(AuditActions.SignIn, AuditEntityTypes.User, "u1", null, default, new AuditActor("u1", "sales@test.local"));

        var first = await audit.ListAsync(new AuditListQuery { Action = AuditActions.Export, User = "admin@" }, true, default);
        var second = await audit.ListAsync(new AuditListQuery { Action = AuditActions.Export, Before = first.OlderBefore }, true, default);
        var sales = await audit.ListAsync(new AuditListQuery { User = "sales" }, true, default);

        Assert.Equal(AuditListQuery.PageSize, first.Rows.Count);
        Assert.Equal(AuditListQuery.PageSize + 5L, first.Rows[0].Id);
        Assert.Equal(5, second.Rows.Count);
        Assert.Null(second.OlderBefore);
        Assert.Equal(AuditActions.SignIn, Assert.Single(sales.Rows).Action);
    }
}
