using System.Text;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Import;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Import;

public class CustomerImportTests
{
    [Fact]
    public async Task Import_ChineseHeaders_CreatesCustomersWithNormalisedContacts()
    {
        using var h = new ImportHarness();
        var job = await h.ImportAsync(ImportEntityType.Customers,
            "姓名,手机,邮箱,城市,省份,标签\n王芳,13812345678,Wang.Fang@Example.com,上海,上海,vip;新客\n李雷,13987654321,li.lei@example.com,北京,北京,\n");

        Assert.Equal(ImportStatus.Completed, job.Status);
        Assert.Equal((2, 0, 0, 0), (job.Created, job.Updated, job.Skipped, job.Failed));
        await using var db = h.Database.CreateContext();
        var wang = await db.Customers.Include(c => c.Tags).SingleAsync(c => c.Name == "王芳");
        Assert.Equal("+8613812345678", wang.Phone);
        Assert.Equal("wang.fang@example.com", wang.EmailKey);
        Assert.Equal("上海", wang.City);
        Assert.Equal(["vip", "新客"], wang.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal));
        Assert.Equal(2, await db.ImportJournal.CountAsync(e => e.ImportJobId == job.Id && e.Kind == ImportJournalKind.CustomerCreated));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.Import && a.EntityId == job.Id.ToString()));
    }

    [Fact]
    public async Task Upsert_ExistingEmail_UpdatesOnlyFilledValues()
    {
        using var h = new ImportHarness();
        var existing = await h.Database.AddCustomerAsync("Old Name", c =>
        {
            c.Email = "anna@example.com";
            c.EmailKey = "anna@example.com";
            c.City = "Berlin";
            c.Region = "BE";
        });

        var job = await h.ImportAsync(ImportEntityType.Customers, "Name,Email,City,Region\nAnna Neu,ANNA@example.com,Hamburg,\nNew One,new@example.com,Köln,NW\n");

        Assert.Equal((1, 1), (job.Created, job.Updated));
        await using var db = h.Database.CreateContext();
        var anna = await db.Customers.SingleAsync(c => c.Id == existing.Id);
        Assert.Equal(("Anna Neu", "Hamburg", "BE"), (anna.Name, anna.City, anna.Region));
        Assert.Equal(existing.Version + 1, anna.Version);
    }

    [Fact]
    public async Task DryRun_InvalidValues_ReportsRowColumnValueMessageAndWritesNothing()
    {
        using var h = new ImportHarness();
        var upload = await h.UploadAsync(ImportEntityType.Customers, "姓名,邮箱,生日\n张三,zhang@example.com,1990-05-01\n李四,not-an-email,1991-02-30\n");
        Assert.Equal(ImportOutcome.Ok, upload.Outcome);

        Assert.Empty(await h.DryRunAsync(upload.Id));

        var job = await h.JobAsync(upload.Id);
        Assert.Equal(ImportStatus.Validated, job.Status);
        Assert.Equal((2, 1, 1, 2), (job.TotalRows, job.Created, job.Failed, job.DryRunErrors));
        var issues = await h.IssuesAsync(upload.Id, ImportPhase.DryRun);
        Assert.Contains(issues, i => i.Row == 3 && i.Column == "邮箱" && i.Value == "not-an-email" && i.Message == "Not a valid email address");
        Assert.Contains(issues, i => i.Row == 3 && i.Column == "生日" && i.Value == "1991-02-30");
        await using var db = h.Database.CreateContext();
        Assert.Equal(0, await db.Customers.CountAsync());
        Assert.Equal(0, await db.ImportJournal.CountAsync());
    }

    [Fact]
    public async Task Report_DryRunIssues_IsCsvWithFormulasNeutralised()
    {
        using var h = new ImportHarness();
        var upload = await h.UploadAsync(ImportEntityType.Customers, "Name,Email\nEvil,=HYPERLINK(\"http://x\")\n");
        await h.DryRunAsync(upload.Id);

        await using var db = h.Database.CreateContext();
        var body = new MemoryStream();
        Assert.True(await h.Service(db).WriteReportAsync(upload.Id, ImportPhase.DryRun, body, CancellationToken.None));

        var csv = Encoding.UTF8.GetString(body.ToArray());
        Assert.StartsWith("\uFEFFRow,Level,Column,Value,Message\r\n", csv);
        Assert.Contains("2,Error,Email,\"'=HYPERLINK(\"\"http://x\"\")\",Not a valid email address\r\n", csv);
    }

    [Fact]
    public async Task Import_SameEmailAsAnotherCustomerUnderPhoneKey_WarnsAboutDuplicate()
    {
        using var h = new ImportHarness();
        var other = await h.Database.AddCustomerAsync("Someone", c =>
        {
            c.Email = "shared@example.com";
            c.EmailKey = "shared@example.com";
        });

        var job = await h.ImportAsync(ImportEntityType.Customers, "Name,Phone,Email\nNew Person,13800000001,shared@example.com\n",
            f => f.MatchKey = ImportMatchKey.Phone);

        Assert.Equal(1, job.Created);
        Assert.Equal(1, job.Warnings);
        var issue = Assert.Single(await h.IssuesAsync(job.Id, ImportPhase.Run));
        Assert.Equal((ImportIssueLevel.Warning, "Another customer has the same email address"), (issue.Level, issue.Message));
        Assert.NotEqual(0, other.Id);
    }

    [Fact]
    public async Task Upsert_KeysAcrossBatches_UpdatesOldestMatchJournalsBeforeValuesAndRevertsExactly()
    {
        using var h = new ImportHarness(batchSize: 2);
        var oldest = await h.Database.AddCustomerAsync("Old", c => (c.Phone, c.City) = ("+8613800000001", "Hangzhou"));
        var younger = await h.Database.AddCustomerAsync("Younger", c => (c.Phone, c.Email, c.EmailKey) = ("+8613800000001", "shared@example.com", "shared@example.com"));

        // Batch 1: an update of the oldest match and a new customer; batch 2: the new one again (by the key it got in
        // batch 1) and another new one.
        var job = await h.ImportAsync(ImportEntityType.Customers,
            "Name,Phone,Email,City\nOld Updated,13800000001,,Shanghai\nNew One,13900000002,shared@example.com,\nNew One Again,13900000002,,Beijing\nOther,13700000003,,\n",
            f => f.MatchKey = ImportMatchKey.Phone);

        Assert.Equal((ImportStatus.Completed, 2, 2, 0, 0), (job.Status, job.Created, job.Updated, job.Skipped, job.Failed));
        var warning = Assert.Single(await h.IssuesAsync(job.Id, ImportPhase.Run));
        Assert.Equal(("Another customer has the same email address", "shared@example.com", 3), (warning.Message, warning.Value, warning.Row));
        await using (var db = h.Database.CreateContext())
        {
            var customers = await db.Customers.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.Name, c.City, c.Phone }).ToListAsync();
            Assert.Equal(["Old Updated", "Younger", "New One Again", "Other"], customers.Select(c => c.Name));
            Assert.Equal(["Shanghai", null, "Beijing", null], customers.Select(c => c.City));
            var journal = await db.ImportJournal.AsNoTracking().Where(e => e.ImportJobId == job.Id).ToListAsync();
            Assert.Equal([customers[2].Id, customers[3].Id], journal.Where(e => e.Kind == ImportJournalKind.CustomerCreated).Select(e => e.EntityId).Order());
            var update = Assert.Single(journal, e => e.Kind == ImportJournalKind.CustomerUpdated);
            Assert.Equal(oldest.Id, update.EntityId);
            Assert.Equal(("Old", "Hangzhou"), (CustomerSnapshot.Read(update.BeforeJson)!.Name, CustomerSnapshot.Read(update.BeforeJson)!.City));
        }

        Assert.Equal(ImportOutcome.Ok, (await h.RevertAsync(job.Id)).Outcome);
        await using var after = h.Database.CreateContext();
        Assert.Equal([("Old", "Hangzhou"), ("Younger", null)],
            (await after.Customers.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Name, c.City }).ToListAsync()).Select(c => (c.Name, c.City)));
        Assert.NotEqual(oldest.Id, younger.Id);
    }

    [Fact]
    public async Task Modes_CreateOnlyAndUpdateOnly_SkipWithReasons()
    {
        using var h = new ImportHarness();
        await h.Database.AddCustomerAsync("Known", c => c.ExternalId = "A1");

        var createOnly = await h.ImportAsync(ImportEntityType.Customers, "Id,Name\nA1,Known Again\nB2,Fresh\n",
            f => (f.MatchKey, f.Mode) = (ImportMatchKey.ExternalId, ImportMode.CreateOnly));
        var updateOnly = await h.ImportAsync(ImportEntityType.Customers, "Id,Name\nA1,Known Renamed\nC3,Nobody\n",
            f => (f.MatchKey, f.Mode) = (ImportMatchKey.ExternalId, ImportMode.UpdateOnly));

        Assert.Equal((1, 0, 1), (createOnly.Created, createOnly.Updated, createOnly.Skipped));
        Assert.Equal((0, 1, 1), (updateOnly.Created, updateOnly.Updated, updateOnly.Skipped));
        Assert.Contains("No customer with this key", updateOnly.SkipReasonsJson);
        await using var db = h.Database.CreateContext();
        Assert.Equal(["Fresh", "Known Renamed"], await db.Customers.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync());
    }

    [Fact]
    public async Task Consent_OptInByImport_NeverResubscribesAnOptedOutCustomer()
    {
        using var h = new ImportHarness();
        var optedOut = await h.Database.AddCustomerAsync("Opted Out", c =>
        {
            c.Email = "out@example.com";
            c.EmailKey = "out@example.com";
            c.EmailConsent = ConsentState.OptedOut;
            c.EmailConsentAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        });

        var job = await h.ImportAsync(ImportEntityType.Customers, "Name,Email\nOpted Out,out@example.com\nFresh,fresh@example.com\n",
            f => (f.EmailConsent, f.ConsentEvidence) = (ImportConsent.OptedIn, "fair sign-up sheet"));

        await using var db = h.Database.CreateContext();
        Assert.Equal(ConsentState.OptedOut, (await db.Customers.SingleAsync(c => c.Id == optedOut.Id)).EmailConsent);
        var fresh = await db.Customers.SingleAsync(c => c.EmailKey == "fresh@example.com");
        Assert.Equal((ConsentState.OptedIn, ConsentSources.Import), (fresh.EmailConsent, fresh.EmailConsentSource));
        var ledger = await db.ConsentChanges.SingleAsync(c => c.CustomerId == fresh.Id);
        Assert.Equal(("fair sign-up sheet", ConsentState.OptedIn), (ledger.Evidence, ledger.State));
        Assert.Empty(await db.ConsentChanges.Where(c => c.CustomerId == optedOut.Id).ToListAsync());
        Assert.Contains(await h.IssuesAsync(job.Id, ImportPhase.Run), i => i.Level == ImportIssueLevel.Warning && i.Row == 2);
    }

    [Fact]
    public async Task Consent_SuppressedAddress_IsNotOptedInByImport()
    {
        using var h = new ImportHarness();
        await using (var db = h.Database.CreateContext())
        {
            db.Suppressions.Add(new Suppression
            {
                Channel = MessageChannel.Email,
                AddressHash = Web.Services.Messaging.SuppressionService.Hash(MessageChannel.Email, "Erased@Example.com"),
                Reason = SuppressionReason.Erased,
                CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            });
            await db.SaveChangesAsync();
        }

        var job = await h.ImportAsync(ImportEntityType.Customers, "Name,Email\nBack Again,erased@example.com\nOther,other@example.com\n",
            f => f.EmailConsent = ImportConsent.OptedIn);

        Assert.Equal(2, job.Created);
        await using var check = h.Database.CreateContext();
        Assert.Equal(ConsentState.Unknown, (await check.Customers.SingleAsync(c => c.EmailKey == "erased@example.com")).EmailConsent);
        Assert.Equal(ConsentState.OptedIn, (await check.Customers.SingleAsync(c => c.EmailKey == "other@example.com")).EmailConsent);
        Assert.Contains(await h.IssuesAsync(job.Id, ImportPhase.Run), i => i.Message == "The address is on the suppression list; the import does not opt it in");
    }
}
