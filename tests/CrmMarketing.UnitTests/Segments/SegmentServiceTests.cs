using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Segments;
using CrmMarketing.Web.ViewModels.Analytics;
using CrmMarketing.Web.ViewModels.Segments;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Segments;

public class SegmentServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static string CityRule(string city) =>
        "{\"match\":\"all\",\"conditions\":[{\"field\":\"city\",\"operator\":\"equals\",\"value\":\"" + city + "\"}]}";

    private async Task<int> CreateAsync(string name, SegmentKind kind, string? rule = null)
    {
        await using var db = _database.CreateContext();
        var result = await TestServices.Segments(db).CreateAsync(new SegmentFormModel { Name = name, Kind = kind, Rule = rule }, TestServices.Actor, default);
        Assert.Equal(SegmentSaveOutcome.Saved, result.Outcome);
        return result.Id;
    }

    [Fact]
    public async Task CreateAsync_Dynamic_MaterialisesMembersAndRecordsBuild()
    {
        await _database.AddCustomerAsync("A", c => c.City = "Oslo");
        await _database.AddCustomerAsync("B", c => c.City = "Oslo");
        await _database.AddCustomerAsync("C", c => c.City = "Rome");

        var id = await CreateAsync("Oslo", SegmentKind.Dynamic, CityRule("Oslo"));

        await using var db = _database.CreateContext();
        var segment = await db.Segments.SingleAsync(s => s.Id == id);
        Assert.Equal(2, segment.MemberCount);
        Assert.Equal(TestServices.Now.UtcDateTime, segment.LastBuiltAt);
        Assert.NotNull(segment.LastBuildDurationMs);
        Assert.Equal(2, await TestServices.Segments(db).MemberIds(id).CountAsync());
        Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityType == AuditEntityTypes.Segment && e.Action == AuditActions.Create));
    }

    [Fact]
    public async Task PreviewAsync_CountEqualsSavedMemberCount()
    {
        for (var i = 0; i < 15; i++)
        {
            await _database.AddCustomerAsync("P" + i, c => c.City = i % 3 == 0 ? "Oslo" : "Rome");
        }

        await using var db = _database.CreateContext();
        var preview = await TestServices.Segments(db).PreviewAsync(CityRule("Rome"), default);
        var id = await CreateAsync("Rome", SegmentKind.Dynamic, CityRule("Rome"));

        Assert.Equal(10, preview.Preview!.Count);
        Assert.Equal(SegmentService.PreviewSampleSize, preview.Preview.Sample.Count);
        Assert.Equal(10, await db.Segments.Where(s => s.Id == id).Select(s => s.MemberCount).SingleAsync());
    }

    [Fact]
    public async Task UpdateAsync_InvalidRule_ReturnsReasonAndKeepsMembers()
    {
        await _database.AddCustomerAsync("A", c => c.City = "Oslo");
        var id = await CreateAsync("Oslo", SegmentKind.Dynamic, CityRule("Oslo"));

        await using var db = _database.CreateContext();
        var result = await TestServices.Segments(db).UpdateAsync(id,
            new SegmentFormModel { Name = "Oslo", Rule = """{"match":"all","conditions":[{"field":"Name; DROP TABLE","operator":"equals","value":"x"}]}""" },
            TestServices.Actor, default);

        Assert.Equal(SegmentSaveOutcome.InvalidRule, result.Outcome);
        Assert.Contains("Condition 1: unknown field", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, await db.SegmentMembers.CountAsync(m => m.SegmentId == id));
    }

    [Fact]
    public async Task RebuildAsync_AfterDataChanges_PicksUpNewMatches()
    {
        await _database.AddCustomerAsync("A", c => c.City = "Oslo");
        var id = await CreateAsync("Oslo", SegmentKind.Dynamic, CityRule("Oslo"));
        await _database.AddCustomerAsync("B", c => c.City = "Oslo");

        await using var db = _database.CreateContext();
        var result = await TestServices.Segments(db).RebuildAsync(id, default);

        Assert.Equal(2, result!.Members);
        Assert.Equal(2, await db.SegmentMembers.CountAsync(m => m.SegmentId == id));
    }

    [Fact]
    public async Task AddAndRemoveMembers_Static_SkipsArchivedAndDuplicates()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        var archived = await _database.AddCustomerAsync("Z", c => c.IsArchived = true);
        var id = await CreateAsync("Picked", SegmentKind.Static);

        await using var db = _database.CreateContext();
        var service = TestServices.Segments(db);
        var added = await service.AddMembersAsync(id, [a.Id, b.Id, archived.Id, a.Id], TestServices.Actor, default);
        var again = await service.AddMembersAsync(id, [a.Id], TestServices.Actor, default);
        var removed = await service.RemoveMembersAsync(id, [b.Id, 9999], TestServices.Actor, default);

        Assert.Equal((SegmentMembersOutcome.Changed, 2), (added.Outcome, added.Changed));
        Assert.Equal(0, again.Changed);
        Assert.Equal(1, removed.Changed);
        Assert.Equal([a.Id], await service.MemberIds(id).ToListAsync());
        Assert.Equal(1, await db.Segments.Where(s => s.Id == id).Select(s => s.MemberCount).SingleAsync());
    }

    [Fact]
    public async Task AddMembers_DynamicSegment_IsRefused()
    {
        var a = await _database.AddCustomerAsync("A", c => c.City = "Oslo");
        var id = await CreateAsync("Oslo", SegmentKind.Dynamic, CityRule("Oslo"));

        await using var db = _database.CreateContext();
        var result = await TestServices.Segments(db).RemoveMembersAsync(id, [a.Id], TestServices.Actor, default);

        Assert.Equal(SegmentMembersOutcome.NotStatic, result.Outcome);
        Assert.Equal(1, await db.SegmentMembers.CountAsync(m => m.SegmentId == id));
    }

    [Fact]
    public async Task OverlapAsync_CountsOnlyA_Both_OnlyB()
    {
        var ids = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await _database.AddCustomerAsync("C" + i)).Id);
        }

        var first = await CreateAsync("First", SegmentKind.Static);
        var second = await CreateAsync("Second", SegmentKind.Static);
        await using var db = _database.CreateContext();
        var service = TestServices.Segments(db);
        await service.AddMembersAsync(first, ids[..4], TestServices.Actor, default);  // customers 0-3
        await service.AddMembersAsync(second, ids[2..], TestServices.Actor, default); // customers 2-5

        var overlap = await service.OverlapAsync(first, second, default);

        Assert.Equal((2, 2, 2), overlap);
    }

    [Fact]
    public async Task GetDetailsAsync_StatsAndMembersAreLimitedToTheSegment()
    {
        var a = await _database.AddCustomerAsync("A", c => { c.City = "Oslo"; c.TotalSpent = 10m; });
        await _database.AddCustomerAsync("B", c => { c.City = "Rome"; c.TotalSpent = 20m; });
        var id = await CreateAsync("Picked", SegmentKind.Static);
        var other = await CreateAsync("Other", SegmentKind.Static);
        await using var db = _database.CreateContext();
        var service = TestServices.Segments(db);
        await service.AddMembersAsync(id, [a.Id], TestServices.Actor, default);

        var vm = await service.GetDetailsAsync(id, new SegmentDetailsQuery { Dimension = GroupDimension.City, Compare = other }, default);

        Assert.Equal(["A"], vm!.Members.Rows.Select(r => r.Name));
        var row = Assert.Single(vm.Stats.Rows);
        Assert.Equal(("Oslo", 1, 10m), (row.Key, row.Customers, row.Revenue));
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Filter!["segment"]);
        Assert.Equal((1, 0, 0), (vm.Overlap!.OnlyThis, vm.Overlap.Both, vm.Overlap.OnlyOther));
    }

    [Fact]
    public async Task SavedSegmentFilters_GroupStatsAndHabits_CountOnlyMembers()
    {
        var a = await _database.AddCustomerAsync("A", c => { c.City = "Oslo"; c.TotalSpent = 30m; c.OrderCount = 1; });
        var b = await _database.AddCustomerAsync("B", c => { c.City = "Oslo"; c.TotalSpent = 50m; c.OrderCount = 1; });
        await _database.AddPurchaseAsync(a.Id, TestServices.Now.UtcDateTime.AddDays(-3), 30m);
        await _database.AddPurchaseAsync(b.Id, TestServices.Now.UtcDateTime.AddDays(-3), 50m);
        var id = await CreateAsync("Only A", SegmentKind.Static);
        await using var db = _database.CreateContext();
        await TestServices.Segments(db).AddMembersAsync(id, [a.Id], TestServices.Actor, default);
        var time = new FixedTimeProvider(TestServices.Now);

        var groups = await new CrmMarketing.Web.Services.Analytics.GroupStatsService(db, time, TestServices.Formatter(), TestServices.Localizer)
            .GetAsync(new GroupsQuery { Dimension = GroupDimension.City, Segment = id }, default);
        var habits = await new CrmMarketing.Web.Services.Analytics.HabitsService(db, time, TestServices.Formatter(), TestServices.Localizer)
            .GetHabitsAsync(new HabitsQuery { SavedSegment = id }, default);
        var allHabits = await new CrmMarketing.Web.Services.Analytics.HabitsService(db, time, TestServices.Formatter(), TestServices.Localizer)
            .GetHabitsAsync(new HabitsQuery(), default);

        Assert.Equal((1, 30m), (groups.TotalCustomers, groups.Rows.Single().Revenue));
        Assert.Equal(1, habits.Buyers);
        Assert.Equal(2, allHabits.Buyers);
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_IsRefused()
    {
        await CreateAsync("Same", SegmentKind.Static);

        await using var db = _database.CreateContext();
        var result = await TestServices.Segments(db).CreateAsync(new SegmentFormModel { Name = " Same ", Kind = SegmentKind.Static }, TestServices.Actor, default);

        Assert.Equal(SegmentSaveOutcome.DuplicateName, result.Outcome);
    }
}
