using System.Text.Json;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Privacy;
using CrmMarketing.Web.ViewModels.Duplicates;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Privacy;

public sealed class MergeServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<(SeededCustomer Survivor, SeededCustomer Loser)> SeedPairAsync()
    {
        var survivor = await PrivacyTestData.SeedAsync(_database, "Wang Fang", "wang.fang@example.com", "13812345678", "1 West Lake Road",
            purchasedAt: new DateTime(2026, 3, 1, 10, 0, 0));
        var loser = await PrivacyTestData.SeedAsync(_database, "Wang Fang", "fang.w@example.com", "13912345678", "9 Canal Street",
            purchasedAt: new DateTime(2025, 12, 24, 10, 0, 0));
        return (survivor, loser);
    }

    private static async Task<MergeFormModel> FormAsync(CrmDbContext db, int survivorId, int loserId, params string[] fromOther)
    {
        var versions = await db.Customers.AsNoTracking().Where(c => c.Id == survivorId || c.Id == loserId).ToDictionaryAsync(c => c.Id, c => c.Version);
        return new MergeFormModel
        {
            OtherId = loserId,
            SurvivorVersion = versions[survivorId],
            OtherVersion = versions[loserId],
            Picks = fromOther.ToDictionary(f => f, _ => MergeSide.Other),
        };
    }

    /// <summary>Who owns which rows, per customer-owned table, plus purchase lines.</summary>
    private static async Task<Dictionary<string, List<(long Id, int? Customer)>>> OwnershipAsync(CrmDbContext db) => new()
    {
        ["purchases"] = (await db.Purchases.AsNoTracking().Select(r => new { r.Id, r.CustomerId }).ToListAsync()).Select(r => ((long)r.Id, (int?)r.CustomerId)).Order().ToList(),
        ["events"] = (await db.CustomerEvents.AsNoTracking().Select(r => new { r.Id, r.CustomerId }).ToListAsync()).Select(r => (r.Id, (int?)r.CustomerId)).Order().ToList(),
        ["notes"] = (await db.CustomerNotes.AsNoTracking().Select(r => new { r.Id, r.CustomerId }).ToListAsync()).Select(r => ((long)r.Id, (int?)r.CustomerId)).Order().ToList(),
        ["calls"] = (await db.CustomerCalls.AsNoTracking().Select(r => new { r.Id, r.CustomerId }).ToListAsync()).Select(r => ((long)r.Id, (int?)r.CustomerId)).Order().ToList(),
        ["feedback"] = (await db.Feedback.AsNoTracking().Select(r => new { r.Id, r.CustomerId }).ToListAsync()).Select(r => ((long)r.Id, (int?)r.CustomerId)).Order().ToList(),
        ["consent"] = (await db.ConsentChanges.AsNoTracking().Select(r => new { r.Id, r.CustomerId }).ToListAsync()).Select(r => (r.Id, (int?)r.CustomerId)).Order().ToList(),
        ["messages"] = (await db.OutboxMessages.AsNoTracking().Select(r => new { r.Id, r.CustomerId }).ToListAsync()).Select(r => (r.Id, r.CustomerId)).Order().ToList(),
    };

    private static async Task<string> ImageAsync(CrmDbContext db, int id)
    {
        var customer = await db.Customers.Include(c => c.Tags).SingleAsync(c => c.Id == id);
        var image = CustomerImage.Of(db, customer).ToJson();
        db.ChangeTracker.Clear();
        return image;
    }

    [Fact]
    public async Task MergeAsync_PickedFields_MovesEveryChildRowAndRecomputesAggregatesExactly()
    {
        var (survivor, loser) = await SeedPairAsync();
        await using var db = _database.CreateContext();
        var loserRows = (await OwnershipAsync(db)).ToDictionary(kv => kv.Key, kv => kv.Value.Where(r => r.Customer == loser.Id).Select(r => r.Id).ToList());
        Assert.All(loserRows, kv => Assert.NotEmpty(kv.Value));

        var result = await TestServices.Merges(db).MergeAsync(survivor.Id,
            await FormAsync(db, survivor.Id, loser.Id, nameof(Customer.Email), nameof(Customer.Address)), TestServices.Actor, default);

        Assert.Equal(MergeOutcome.Merged, result.Outcome);
        Assert.False(await db.Customers.AnyAsync(c => c.Id == loser.Id));
        var after = await OwnershipAsync(db);
        foreach (var (table, ids) in loserRows)
        {
            Assert.All(ids, id => Assert.Equal(survivor.Id, after[table].Single(r => r.Id == id).Customer));
        }

        Assert.Equal(2, await db.PurchaseLines.CountAsync(l => db.Purchases.Any(p => p.Id == l.PurchaseId && p.CustomerId == survivor.Id && p.PurchasedAt.Year == 2025)));

        var merged = await db.Customers.AsNoTracking().Include(c => c.Tags).SingleAsync(c => c.Id == survivor.Id);
        Assert.Equal("Wang Fang", merged.Name);
        Assert.Equal("fang.w@example.com", merged.Email);
        Assert.Equal("fang.w@example.com", merged.EmailKey);
        Assert.Equal(survivor.Phone, merged.Phone);
        Assert.Equal("9 Canal Street", merged.Address);

        // Aggregates exactly as computed from the purchases themselves.
        var purchases = await db.Purchases.AsNoTracking().Where(p => p.CustomerId == survivor.Id).ToListAsync();
        Assert.Equal(2, purchases.Count);
        Assert.Equal(purchases.Count(p => p.Total >= 0), merged.OrderCount);
        Assert.Equal(purchases.Sum(p => p.Total), merged.TotalSpent);
        Assert.Equal(120m, merged.TotalSpent);
        Assert.Equal(new DateTime(2025, 12, 24, 10, 0, 0, DateTimeKind.Utc), merged.FirstPurchaseAt);
        Assert.Equal(new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), merged.LastPurchaseAt);

        // The ledger's newest row per channel states the survivor's consent.
        var newest = await db.ConsentChanges.AsNoTracking().Where(c => c.CustomerId == survivor.Id && c.Source == ConsentSources.Merge).ToListAsync();
        Assert.Equal(2, newest.Count);

        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.Merge || e.Action == AuditActions.MergedInto).ToListAsync();
        Assert.Equal(2, entries.Count);
        var changes = await TestServices.Audit(db).ReadChangesAsync(entries.Single(e => e.Action == AuditActions.Merge), default);
        Assert.Contains(new AuditChange("Email", "wang.fang@example.com", "fang.w@example.com"), changes);
        Assert.Contains(new AuditChange("MergedFrom", null, loser.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), changes);
        Assert.True((await TestServices.Audit(db).VerifyAsync(default)).Ok);
    }

    [Fact]
    public async Task MergeAsync_BothInOneAudience_MovesOnlyTheLosersOtherAudienceRowsAndUndoMovesThemBack()
    {
        var (survivor, loser) = await SeedPairAsync();
        await using var db = _database.CreateContext();
        var now = new DateTime(2026, 4, 1, 9, 0, 0, DateTimeKind.Utc);
        MarketingActivity Activity(string name) => new()
        {
            Name = name,
            Type = ActivityType.Email,
            Status = ActivityStatus.Running,
            StartDate = new DateOnly(2026, 4, 1),
            EndDate = new DateOnly(2026, 4, 30),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var both = Activity("Both");
        var onlyLoser = Activity("Only the loser");
        db.MarketingActivities.AddRange(both, onlyLoser);
        await db.SaveChangesAsync();
        db.CampaignRecipients.AddRange(
            new CampaignRecipient { ActivityId = both.Id, CustomerId = survivor.Id, CreatedAt = now },
            new CampaignRecipient { ActivityId = both.Id, CustomerId = loser.Id, Group = RecipientGroup.Holdout, CreatedAt = now },
            new CampaignRecipient { ActivityId = onlyLoser.Id, CustomerId = loser.Id, CreatedAt = now });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var merges = TestServices.Merges(db);

        var merged = await merges.MergeAsync(survivor.Id, await FormAsync(db, survivor.Id, loser.Id), TestServices.Actor, default);

        Assert.Equal(MergeOutcome.Merged, merged.Outcome);
        var afterMerge = await db.CampaignRecipients.AsNoTracking().OrderBy(r => r.ActivityId).Select(r => new { r.ActivityId, r.CustomerId, r.Group }).ToListAsync();
        Assert.Equal([(both.Id, survivor.Id, RecipientGroup.Treatment), (onlyLoser.Id, survivor.Id, RecipientGroup.Treatment)],
            afterMerge.Select(r => (r.ActivityId, r.CustomerId, r.Group)));

        Assert.Equal(UndoOutcome.Undone, await merges.UndoAsync(merged.JournalId, TestServices.Actor, default));
        var afterUndo = await db.CampaignRecipients.AsNoTracking().Where(r => r.ActivityId == onlyLoser.Id).Select(r => r.CustomerId).SingleAsync();
        Assert.Equal(loser.Id, afterUndo);
        Assert.Equal(survivor.Id, await db.CampaignRecipients.AsNoTracking().Where(r => r.ActivityId == both.Id).Select(r => r.CustomerId).SingleAsync());
    }

    [Fact]
    public async Task UndoAsync_AfterMerge_RestoresBothRecordsAndEveryRowExactly()
    {
        var (survivor, loser) = await SeedPairAsync();
        await using var db = _database.CreateContext();
        var survivorBefore = await ImageAsync(db, survivor.Id);
        var loserBefore = await ImageAsync(db, loser.Id);
        var ownershipBefore = await OwnershipAsync(db);
        var merges = TestServices.Merges(db);
        var merged = await merges.MergeAsync(survivor.Id,
            await FormAsync(db, survivor.Id, loser.Id, nameof(Customer.Email), nameof(Customer.Phone), nameof(Customer.Name), nameof(Customer.BirthDate)),
            TestServices.Actor, default);
        Assert.NotEqual(survivorBefore, await ImageAsync(db, survivor.Id));

        var outcome = await merges.UndoAsync(merged.JournalId, TestServices.Actor, default);

        Assert.Equal(UndoOutcome.Undone, outcome);
        Assert.Equal(survivorBefore, await ImageAsync(db, survivor.Id));
        Assert.Equal(loserBefore, await ImageAsync(db, loser.Id));
        var ownershipAfter = await OwnershipAsync(db);
        Assert.Equal(ownershipBefore, ownershipAfter);
        var journal = await db.MergeJournals.AsNoTracking().SingleAsync();
        Assert.NotNull(journal.UndoneAt);
        Assert.Equal(string.Empty, journal.LoserBefore);
        Assert.Equal(UndoOutcome.AlreadyUndone, await merges.UndoAsync(merged.JournalId, TestServices.Actor, default));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.MergeUndo));
        Assert.True((await TestServices.Audit(db).VerifyAsync(default)).Ok);
    }

    [Fact]
    public async Task UndoAsync_After30Days_IsRefused()
    {
        var (survivor, loser) = await SeedPairAsync();
        var clock = new FixedTimeProvider(TestServices.Now);
        await using var db = _database.CreateContext();
        var merges = TestServices.Merges(db, clock);
        var merged = await merges.MergeAsync(survivor.Id, await FormAsync(db, survivor.Id, loser.Id), TestServices.Actor, default);

        clock.Now = TestServices.Now.AddDays(MergeJournal.UndoDays).AddMinutes(1);

        Assert.Equal(UndoOutcome.Expired, await merges.UndoAsync(merged.JournalId, TestServices.Actor, default));
        Assert.False(await db.Customers.AnyAsync(c => c.Id == loser.Id));
    }

    [Fact]
    public async Task UndoAsync_Within30Days_IsAllowed()
    {
        var (survivor, loser) = await SeedPairAsync();
        var clock = new FixedTimeProvider(TestServices.Now);
        await using var db = _database.CreateContext();
        var merges = TestServices.Merges(db, clock);
        var merged = await merges.MergeAsync(survivor.Id, await FormAsync(db, survivor.Id, loser.Id), TestServices.Actor, default);

        clock.Now = TestServices.Now.AddDays(MergeJournal.UndoDays).AddMinutes(-1);

        Assert.Equal(UndoOutcome.Undone, await merges.UndoAsync(merged.JournalId, TestServices.Actor, default));
    }

    [Fact]
    public async Task PurgeExpiredAsync_PastUndoWindow_ClearsBeforeImages()
    {
        var (survivor, loser) = await SeedPairAsync();
        var clock = new FixedTimeProvider(TestServices.Now);
        await using var db = _database.CreateContext();
        var merges = TestServices.Merges(db, clock);
        await merges.MergeAsync(survivor.Id, await FormAsync(db, survivor.Id, loser.Id), TestServices.Actor, default);
        Assert.Equal(0, await merges.PurgeExpiredAsync(default));

        clock.Now = TestServices.Now.AddDays(MergeJournal.UndoDays + 1);

        Assert.Equal(1, await merges.PurgeExpiredAsync(default));
        var journal = await db.MergeJournals.AsNoTracking().SingleAsync();
        Assert.Equal(string.Empty, journal.LoserBefore);
        Assert.Equal(string.Empty, journal.SurvivorBefore);
        Assert.NotNull(journal.PurgedAt);
    }

    [Fact]
    public async Task MergeAsync_RecordEditedSinceScreenOpened_IsConflictAndChangesNothing()
    {
        var (survivor, loser) = await SeedPairAsync();
        await using var db = _database.CreateContext();
        var form = await FormAsync(db, survivor.Id, loser.Id, nameof(Customer.Email));
        var customers = TestServices.Customers(db);
        var edit = (await customers.GetForEditAsync(loser.Id, default))!.Form;
        edit.City = "Suzhou";
        edit.IgnoreDuplicates = true;
        await customers.UpdateAsync(loser.Id, edit, TestServices.Actor, default);
        db.ChangeTracker.Clear();

        var result = await TestServices.Merges(db).MergeAsync(survivor.Id, form, TestServices.Actor, default);

        Assert.Equal(MergeOutcome.Conflict, result.Outcome);
        Assert.True(await db.Customers.AnyAsync(c => c.Id == loser.Id));
        Assert.Equal(0, await db.MergeJournals.CountAsync());
        Assert.True(await db.Purchases.AnyAsync(p => p.CustomerId == loser.Id));
    }

    [Fact]
    public async Task UndoAsync_SurvivorEditedAfterMerge_IsRefused()
    {
        var (survivor, loser) = await SeedPairAsync();
        await using var db = _database.CreateContext();
        var merges = TestServices.Merges(db);
        var merged = await merges.MergeAsync(survivor.Id, await FormAsync(db, survivor.Id, loser.Id), TestServices.Actor, default);
        var customers = TestServices.Customers(db);
        var edit = (await customers.GetForEditAsync(survivor.Id, default))!.Form;
        edit.City = "Ningbo";
        edit.IgnoreDuplicates = true;
        await customers.UpdateAsync(survivor.Id, edit, TestServices.Actor, default);
        db.ChangeTracker.Clear();

        Assert.Equal(UndoOutcome.SurvivorChanged, await merges.UndoAsync(merged.JournalId, TestServices.Actor, default));
        Assert.False(await db.Customers.AnyAsync(c => c.Id == loser.Id));
    }

    [Fact]
    public void CustomerOwnedData_EveryEntry_MatchesTheModel()
    {
        using var db = _database.CreateContext();
        foreach (var table in CustomerOwnedData.Moved)
        {
            var entity = db.Model.FindEntityType(table.EntityType);
            Assert.NotNull(entity);
            Assert.NotNull(entity.FindProperty(table.IdProperty));
            Assert.NotNull(entity.FindProperty(table.CustomerProperty));
        }

        foreach (var columns in CustomerOwnedData.ErasedText)
        {
            var entity = db.Model.FindEntityType(columns.EntityType);
            Assert.NotNull(entity);
            Assert.All(columns.Columns, c => Assert.Equal(typeof(string), entity.FindProperty(c)?.ClrType));
        }

        // Every table with a customer id is moved by a merge, except the derived scores and the tags (merged as a set).
        var owned = db.Model.GetEntityTypes()
            .Where(e => e.FindProperty("CustomerId") is { } p && e.FindPrimaryKey()?.Properties.Contains(p) != true)
            .Where(e => e.ClrType != typeof(CustomerTag))
            .Select(e => e.ClrType).ToHashSet();
        Assert.Equal(owned.OrderBy(t => t.Name), CustomerOwnedData.Moved.Select(t => t.EntityType).ToHashSet().OrderBy(t => t.Name));
    }

    [Fact]
    public void CustomerImage_RoundTrip_IsIdentical()
    {
        using var db = _database.CreateContext();
        var customer = new Customer
        {
            Id = 7,
            Name = "A",
            NameKey = "a",
            TotalSpent = 12.3456m,
            BirthDate = new DateOnly(2000, 2, 29),
            CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            Gender = Gender.Female,
            Tags = [new CustomerTag { Tag = "x" }],
        };
        db.Attach(customer);
        var json = CustomerImage.Of(db, customer).ToJson();
        var copy = new Customer();
        db.Customers.Add(copy);
        db.Entry(customer).State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        CustomerImage.FromJson(json).ApplyTo(db, copy);

        Assert.Equal(json, CustomerImage.Of(db, copy).ToJson());
        Assert.Contains("12.3456", json, StringComparison.Ordinal);
        _ = JsonDocument.Parse(json);
    }
}
