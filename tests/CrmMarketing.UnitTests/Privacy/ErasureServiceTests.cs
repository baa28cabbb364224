using System.Data.Common;
using CrmMarketing.UnitTests.Import;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.Services.Import;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Privacy;
using CrmMarketing.Web.Services.Tracking;
using CrmMarketing.Web.ViewModels.Audit;
using CrmMarketing.Web.ViewModels.Duplicates;
using CrmMarketing.Web.ViewModels.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CrmMarketing.UnitTests.Privacy;

public sealed class ErasureServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>Every text column of every table (read from sqlite_master and pragma table_info) that contains any
    /// of the values, as "table.column: value".</summary>
    private static async Task<List<string>> ScanAsync(CrmDbContext db, IReadOnlyCollection<string> values)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("AuditEntries", tables);
        Assert.Contains("MergeJournals", tables);
        var hits = new List<string>();
        foreach (var table in tables)
        {
            var columns = new List<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add(reader.GetString(0));
                }
            }

            foreach (var column in columns)
            {
                await using var command = connection.CreateCommand();
                // Every value whatever its declared type; CAST reads numbers and blobs as text too.
                command.CommandText = $"SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var text = reader.GetString(0);
                    hits.AddRange(values.Where(v => text.Contains(v, StringComparison.OrdinalIgnoreCase)).Select(v => $"{table}.{column}: {v}"));
                }
            }
        }

        return hits;
    }

    private static string[] PersonalValues(SeededCustomer c) =>
        [c.Name, c.Email, c.Phone, c.Phone[3..], c.Address, c.Secret, "EXT-" + c.Name.Replace(' ', '-'), c.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)];

    [Fact]
    public async Task EraseAsync_ScanOfEveryTextColumn_FindsNoPersonalValueOfTheCustomerOrItsMergedRecord()
    {
        using var imports = new ImportHarness();
        var customer = await PrivacyTestData.SeedAsync(imports.Database, "Guo Xiaoming", "guo.xm@example.com", "13612345678", "88 Jiefang Road");
        var merged = await PrivacyTestData.SeedAsync(imports.Database, "Guo Xiao Ming", "xm.guo@example.net", "13712345678", "7 Harbour Lane");
        var bystander = await PrivacyTestData.SeedAsync(imports.Database, "Sun Li", "sun.li@example.com", "13512345678", "3 Garden Street");
        await using var db = imports.Database.CreateContext();
        var versions = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Version);
        Assert.Equal(MergeOutcome.Merged, (await TestServices.Merges(db).MergeAsync(customer.Id, new MergeFormModel
        {
            OtherId = merged.Id,
            SurvivorVersion = versions[customer.Id],
            OtherVersion = versions[merged.Id],
            Picks = new() { [nameof(Customer.Address)] = MergeSide.Other },
        }, TestServices.Actor, default)).Outcome);

        // An import updates the customer (its journal keeps the values before), and a dry run quotes its phone number.
        var imported = await imports.ImportAsync(ImportEntityType.Customers, "Name,Email,Address\nGuo Xiaoming,guo.xm@example.com,12 Import Avenue\n");
        Assert.Equal(1, imported.Updated);
        Assert.Contains(await db.ImportJournal.Where(e => e.Kind == ImportJournalKind.CustomerUpdated).Select(e => e.BeforeJson).ToListAsync(),
            json => json!.Contains("7 Harbour Lane", StringComparison.Ordinal));
        var dryRun = await imports.UploadAsync(ImportEntityType.Customers, "Name,Email,Phone\nNew Person,new.person@example.com,13612345678\n");
        Assert.Empty(await imports.DryRunAsync(dryRun.Id));
        Assert.Contains(await imports.IssuesAsync(dryRun.Id, ImportPhase.DryRun), i => i.Value == customer.Phone);

        // A message sent to the customer, opened and clicked; the link carries the address.
        const string userAgent = "Mozilla/5.0 (GuoPhone 13; private build 4711)";
        var message = new OutboxMessage
        {
            CustomerId = customer.Id,
            Channel = MessageChannel.Email,
            ToAddress = customer.Email,
            ToName = customer.Name,
            Subject = "An offer for " + customer.Name,
            HtmlBody = "<p>Dear " + customer.Name + ", see <a href=\"https://shop.example.com/offer?email=" + customer.Email + "\">the offer</a></p>",
            TextBody = "Dear " + customer.Name,
            MessageId = Guid.NewGuid().ToString("N") + "@test",
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            CreatedAt = TestServices.Now.UtcDateTime.AddDays(-2),
            NextAttemptAt = TestServices.Now.UtcDateTime.AddDays(-2),
            SentAt = TestServices.Now.UtcDateTime.AddDays(-2),
            State = OutboxState.Sent,
        };
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync();
        db.MessageLinks.Add(new MessageLink { OutboxMessageId = message.Id, Index = 0, Url = "https://shop.example.com/offer?email=" + customer.Email });
        await db.SaveChangesAsync();
        var tracking = new TrackingService(db, new FixedTimeProvider(TestServices.Now), Options.Create(new TrackingOptions()), NullLogger<TrackingService>.Instance);
        Assert.True(await tracking.RecordOpenAsync(message.Id, userAgent, default));
        Assert.NotNull(await tracking.RecordClickAsync(message.Id, 0, userAgent, default));

        // A survey answered with a low score (which opens a follow-up), resolved with a note naming the customer.
        var surveys = TestServices.Surveys(db);
        var surveyId = await surveys.CreateAsync(new SurveyFormModel
        {
            Name = "After delivery",
            Type = ScoreScale.Nps,
            QuestionEn = "How likely are you to recommend us?",
            QuestionZh = "您有多大可能向朋友推荐我们？",
            ExtraQuestionEn = "Where should we call you?",
            ExtraQuestionZh = "我们该打哪个电话？",
        }, TestServices.Actor, default);
        var invite = await surveys.InviteAsync(surveyId, new SurveyInviteFormModel { CustomerId = customer.Id, Channel = InvitationChannel.Link, Culture = "en" },
            "https://crm.test", TestServices.Actor, default);
        var token = Uri.UnescapeDataString(invite.Url![("https://crm.test" + SurveyService.PublicPathPrefix).Length..]);
        Assert.Equal(SurveyAnswerOutcome.Saved, await surveys.AnswerAsync(token,
            new SurveyAnswerFormModel { Score = 2, Comment = "Guo Xiaoming waited a week", ExtraAnswer = "Call 13612345678 after six" }, default));
        Assert.Equal(1, await db.FollowUpTasks.Where(t => t.CustomerId == customer.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Resolution, "Called Guo Xiaoming at 88 Jiefang Road").SetProperty(t => t.Status, FollowUpStatus.Done)));

        var values = PersonalValues(customer).Concat(PersonalValues(merged)).Append("12 Import Avenue").Append(userAgent).ToList();
        var found = await ScanAsync(db, values);
        foreach (var place in new[] { "ImportJournal.BeforeJson", "ImportIssues.Value", "MessageEvents.Url", "MessageEvents.UserAgent", "MessageLinks.Url",
            "Feedback.ExtraAnswer", "FollowUpTasks.Resolution", "OutboxMessages.HtmlBody", "MergeJournals.LoserBefore" })
        {
            Assert.Contains(found, hit => hit.StartsWith(place + ":", StringComparison.Ordinal));
        }

        var totalBefore = await db.Purchases.Where(p => p.CustomerId == customer.Id).SumAsync(p => p.Total);
        // The uploaded file of the finished import holds the customer's row too; the dry-run-only file is not the erasure's.
        var importedFile = Path.Combine(imports.Files.Root, imported.StoredName);
        var dryRunFile = Path.Combine(imports.Files.Root, (await imports.JobAsync(dryRun.Id)).StoredName);
        Assert.True(File.Exists(importedFile));

        var outcome = await TestServices.Erasure(db, importFiles: imports.Files).EraseAsync(customer.Id, customer.Name, TestServices.Actor, default);

        Assert.Equal(EraseOutcome.Erased, outcome);
        Assert.False(File.Exists(importedFile));
        Assert.True(File.Exists(dryRunFile));
        Assert.Empty(await ScanAsync(db, values));
        // Other customers are untouched, and the anonymous facts stay.
        Assert.NotEmpty(await ScanAsync(db, [bystander.Email, bystander.Secret]));
        var erased = await db.Customers.AsNoTracking().Include(c => c.Tags).SingleAsync(c => c.Id == customer.Id);
        Assert.Equal(ErasureService.PseudonymFor(customer.Id), erased.Name);
        Assert.Equal(ConsentState.OptedOut, erased.EmailConsent);
        Assert.Equal(ConsentState.OptedOut, erased.SmsConsent);
        Assert.NotNull(erased.ErasedAt);
        Assert.Empty(erased.Tags);
        Assert.Equal("Hangzhou", erased.City);
        Assert.Equal(totalBefore, erased.TotalSpent);
        Assert.Equal(totalBefore, await db.Purchases.Where(p => p.CustomerId == customer.Id).SumAsync(p => p.Total));
        Assert.Equal(2, erased.OrderCount);
        Assert.Equal(4, await db.Feedback.Where(f => f.CustomerId == customer.Id).OrderBy(f => f.Id).Select(f => f.Score).FirstAsync());
        Assert.Equal(OutboxState.Cancelled, await db.OutboxMessages.Where(m => m.CustomerId == customer.Id).OrderBy(m => m.Id).Select(m => m.State).FirstAsync());
        // Opens and clicks still count; the import can still be reverted, without bringing the old values back.
        Assert.Equal(2, await db.MessageEvents.CountAsync(e => e.OutboxMessageId == message.Id));
        Assert.Equal(ImportOutcome.Ok, (await imports.RevertAsync(imported.Id)).Outcome);
        Assert.Empty(await ScanAsync(db, values));
        var newest = await db.ConsentChanges.Where(c => c.CustomerId == customer.Id).OrderByDescending(c => c.Id).FirstAsync();
        Assert.Equal((ConsentState.OptedOut, ConsentSources.Erasure), (newest.State, newest.Source));
        Assert.True((await TestServices.Audit(db).VerifyAsync(default)).Ok);
    }

    [Fact]
    public async Task EraseAsync_EmailAndPhone_GoOnlyAsHashesOntoTheSuppressionList()
    {
        var customer = await PrivacyTestData.SeedAsync(_database, "He Jing", "He.Jing@Example.com", "13312345678", "5 River Road");
        await using var db = _database.CreateContext();

        await TestServices.Erasure(db).EraseAsync(customer.Id, customer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), TestServices.Actor, default);

        var suppressions = new SuppressionService(db, new FixedTimeProvider(TestServices.Now));
        Assert.True(await suppressions.IsSuppressedAsync(MessageChannel.Email, "he.jing@example.com", default));
        Assert.True(await suppressions.IsSuppressedAsync(MessageChannel.Sms, "+86 133 1234 5678", default));
        Assert.All(await db.Suppressions.AsNoTracking().ToListAsync(), s =>
        {
            Assert.Equal(SuppressionReason.Erased, s.Reason);
            Assert.Matches("^[0-9a-f]{64}$", s.AddressHash);
        });
    }

    [Fact]
    public async Task EraseAsync_WrongConfirmation_ChangesNothing()
    {
        var customer = await PrivacyTestData.SeedAsync(_database, "Lu Yao", "lu.yao@example.com", "13212345678", "1 Hill Road");
        await using var db = _database.CreateContext();

        Assert.Equal(EraseOutcome.ConfirmationMismatch, await TestServices.Erasure(db).EraseAsync(customer.Id, "Lu", TestServices.Actor, default));
        Assert.Equal(EraseOutcome.ConfirmationMismatch, await TestServices.Erasure(db).EraseAsync(customer.Id, null, TestServices.Actor, default));

        Assert.Equal("Lu Yao", await db.Customers.Where(c => c.Id == customer.Id).Select(c => c.Name).SingleAsync());
        Assert.Equal(0, await db.Suppressions.CountAsync());
    }

    [Fact]
    public async Task AuditLog_AfterErase_StillVerifiesAndShowsErasedInsteadOfValues()
    {
        var customer = await PrivacyTestData.SeedAsync(_database, "Ma Lin", "ma.lin@example.com", "13012345678", "2 Lake Road");
        await using var db = _database.CreateContext();
        var audit = TestServices.Audit(db);
        var query = new AuditListQuery { EntityType = AuditEntityTypes.Customer, EntityId = customer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Action = AuditActions.Create };
        var before = Assert.Single((await audit.ListAsync(query, showPersonalData: true, default)).Rows);
        Assert.Contains(before.Changes, c => c.Field == "Name" && c.After == "Ma Lin");
        var masked = Assert.Single((await audit.ListAsync(query, showPersonalData: false, default)).Rows);
        Assert.Contains(masked.Changes, c => c.Field == "Name" && c.After == AuditService.Mask);
        Assert.Contains(masked.Changes, c => c.Field == "City" && c.After == "Hangzhou");

        await TestServices.Erasure(db).EraseAsync(customer.Id, "Ma Lin", TestServices.Actor, default);

        var after = Assert.Single((await audit.ListAsync(query, showPersonalData: true, default)).Rows);
        Assert.Contains(after.Changes, c => c.Field == "Name" && c.After == AuditService.Erased);
        Assert.Contains(after.Changes, c => c.Field == "City" && c.After == "Hangzhou");
        Assert.Equal(0, await db.PersonalDataKeys.CountAsync(k => k.CustomerId == customer.Id));
        Assert.True((await audit.VerifyAsync(default)).Ok);
    }

    [Fact]
    public async Task ApplyRetentionAsync_ErasesOnlyCustomersInactiveForLongerThanTheRule()
    {
        var old = await PrivacyTestData.SeedAsync(_database, "Old Customer", "old@example.com", "13112345678", "1 Old Road",
            purchasedAt: new DateTime(2020, 1, 1, 10, 0, 0));
        var recent = await PrivacyTestData.SeedAsync(_database, "Recent Customer", "recent@example.com", "13512345679", "1 New Road",
            purchasedAt: new DateTime(2026, 1, 1, 10, 0, 0));
        await using (var setup = _database.CreateContext())
        {
            // Everything about the old customer happened long ago.
            var longAgo = new DateTime(2020, 1, 2, 0, 0, 0, DateTimeKind.Utc);
            await setup.Customers.Where(c => c.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.CreatedAt, longAgo).SetProperty(c => c.UpdatedAt, longAgo));
            await setup.CustomerNotes.Where(n => n.CustomerId == old.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.CreatedAt, longAgo));
            await setup.CustomerCalls.Where(n => n.CustomerId == old.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.CalledAt, longAgo));
            await setup.Feedback.Where(n => n.CustomerId == old.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.CreatedAt, longAgo));
            await setup.CustomerEvents.Where(n => n.CustomerId == old.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.OccurredAt, longAgo));
            await setup.Customers.Where(c => c.Id == recent.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.CreatedAt, longAgo).SetProperty(c => c.UpdatedAt, longAgo));
        }

        await using var db = _database.CreateContext();
        var erased = await TestServices.Erasure(db).ApplyRetentionAsync(years: 3, limit: 100, default);

        Assert.Equal(1, erased);
        Assert.NotNull(await db.Customers.Where(c => c.Id == old.Id).Select(c => c.ErasedAt).SingleAsync());
        Assert.Null(await db.Customers.Where(c => c.Id == recent.Id).Select(c => c.ErasedAt).SingleAsync());
        Assert.Equal("retention", await db.AuditEntries.Where(e => e.Action == AuditActions.Erase).Select(e => e.UserName).SingleAsync());
        Assert.Equal(0, await TestServices.Erasure(db).ApplyRetentionAsync(years: 3, limit: 100, default));
    }
}
