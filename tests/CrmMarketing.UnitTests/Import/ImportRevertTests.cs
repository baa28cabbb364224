using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Import;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Import;

public class ImportRevertTests
{
    [Fact]
    public async Task Run_FailingBatch_LeavesNothingOfItAndKeepsEarlierBatches()
    {
        using var h = new ImportHarness(batchSize: 2);
        var upload = await h.UploadAsync(ImportEntityType.Customers,
            "Name,Email\nA,a@example.com\nB,b@example.com\nC,c@example.com\nBoom,boom@example.com\nE,e@example.com\n");
        await h.DryRunAsync(upload.Id, f => f.EmailConsent = ImportConsent.OptedIn);
        await using (var db = h.Database.CreateContext())
        {
            // A database-level failure in the middle of the second batch, appearing after the dry run.
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER fail_on_boom BEFORE INSERT ON Customers WHEN NEW.Name = 'Boom' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        }

        await h.RunAsync(upload.Id);

        var job = await h.JobAsync(upload.Id);
        Assert.Equal(ImportStatus.Failed, job.Status);
        Assert.Equal("[\"4\",\"5\"]", job.MessageArgsJson);
        Assert.StartsWith("Rows {0}–{1} could not be saved; that batch was rolled back", job.Message);
        Assert.Equal((2, 2), (job.ProcessedRows, job.Created));
        await using var check = h.Database.CreateContext();
        Assert.Equal(["A", "B"], await check.Customers.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync());
        Assert.Equal(2, await check.ImportJournal.CountAsync(e => e.Kind == ImportJournalKind.CustomerCreated));
        Assert.Equal(2, await check.ConsentChanges.CountAsync());
        Assert.Empty(await check.ImportIssues.Where(i => i.Phase == ImportPhase.Run).ToListAsync());

        // What was committed can be reverted.
        Assert.Equal(ImportOutcome.Ok, (await h.RevertAsync(upload.Id)).Outcome);
        await using var after = h.Database.CreateContext();
        Assert.Equal(0, await after.Customers.CountAsync());
        Assert.Equal(0, await after.ConsentChanges.CountAsync());
    }

    [Fact]
    public async Task DryRun_DatabaseRefusesARow_StopsBeforeAnythingIsWritten()
    {
        using var h = new ImportHarness(batchSize: 2);
        await using (var db = h.Database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER fail_on_boom BEFORE INSERT ON Customers WHEN NEW.Name = 'Boom' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
        }

        var upload = await h.UploadAsync(ImportEntityType.Customers, "Name\nA\nB\nBoom\n");
        Assert.Empty(await h.DryRunAsync(upload.Id, f => f.Mode = ImportMode.CreateOnly));

        var job = await h.JobAsync(upload.Id);
        Assert.Equal(ImportStatus.Uploaded, job.Status);
        Assert.Equal("Rows {0}–{1} could not be saved: the database refused them. Nothing was written.", job.Message);
        Assert.Equal("[\"4\",\"4\"]", job.MessageArgsJson);
        await using var check = h.Database.CreateContext();
        Assert.Equal(0, await check.Customers.CountAsync());
    }

    [Fact]
    public async Task Revert_UpdatedAndCreatedCustomers_RestoresExactly()
    {
        using var h = new ImportHarness();
        var existing = await h.Database.AddCustomerAsync("Zhao Lei", c =>
        {
            c.Email = "zhao@example.com";
            c.EmailKey = "zhao@example.com";
            c.Phone = "+8613811112222";
            c.City = "Shanghai";
            c.Region = "Shanghai";
            c.Gender = Gender.Male;
            c.BirthDate = new DateOnly(1985, 3, 4);
            c.EmailConsent = ConsentState.Unknown;
            c.UpdatedBy = "someone";
            c.Tags = [new CustomerTag { Tag = "vip" }];
        });
        var before = await SnapshotAsync(h, existing.Id);
        var consentRowsBefore = await CountAsync(h, db => db.ConsentChanges);

        var job = await h.ImportAsync(ImportEntityType.Customers,
            "Name,Email,Phone,City,Gender,Birthday,Tags\n" +
            "Zhao Lei Jr,zhao@example.com,13899998888,Beijing,F,1986-01-02,new;vip\n" +
            "New Customer,new@example.com,13877776666,Hangzhou,M,,x\n",
            f => f.EmailConsent = ImportConsent.OptedIn);
        Assert.Equal((1, 1), (job.Created, job.Updated));
        Assert.NotEqual(before, await SnapshotAsync(h, existing.Id));

        var result = await h.RevertAsync(job.Id);

        Assert.Equal(ImportOutcome.Ok, result.Outcome);
        Assert.Equal(before, await SnapshotAsync(h, existing.Id));
        Assert.Equal(1, await CountAsync(h, db => db.Customers));
        Assert.Equal(consentRowsBefore, await CountAsync(h, db => db.ConsentChanges));
        Assert.Equal(ImportStatus.Reverted, (await h.JobAsync(job.Id)).Status);
        await using var check = h.Database.CreateContext();
        Assert.True(await check.AuditEntries.AnyAsync(a => a.Action == AuditActions.ImportRevert));
        Assert.Equal(ImportOutcome.Invalid, (await h.RevertAsync(job.Id)).Outcome);
    }

    private static async Task<string> SnapshotAsync(ImportHarness h, int id)
    {
        await using var db = h.Database.CreateContext();
        var c = await db.Customers.AsNoTracking().Include(x => x.Tags).SingleAsync(x => x.Id == id);
        return string.Join('|', c.Name, c.NameKey, c.Email, c.EmailKey, c.Phone, c.Gender, c.BirthDate, c.Address, c.City, c.Region,
            c.Country, c.PostalCode, c.Source, c.ExternalId, c.EmailConsent, c.EmailConsentAt, c.EmailConsentSource, c.SmsConsent,
            c.SmsConsentAt, c.SmsConsentSource, c.UpdatedAt.Ticks, c.UpdatedBy, string.Join(',', c.Tags.Select(t => t.Tag).Order()));
    }

    private static async Task<int> CountAsync<T>(ImportHarness h, Func<Web.Data.CrmDbContext, IQueryable<T>> set)
    {
        await using var db = h.Database.CreateContext();
        return await set(db).CountAsync();
    }
}
