using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Feedback;
using Microsoft.EntityFrameworkCore;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.UnitTests.Feedback;

public sealed class FeedbackAnalyticsServiceTests : IDisposable
{
    private static readonly FeedbackViewer Admin = new("admin", "admin@test.local", IsAdmin: true, IsMarketer: false);
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task AddAsync(int customerId, ScoreScale scale, int score, string content = "", int? campaignId = null, DateTime? at = null)
    {
        await using var db = _database.CreateContext();
        var when = at ?? TestServices.Now.UtcDateTime;
        db.Feedback.Add(new FeedbackEntity
        {
            CustomerId = customerId,
            Scale = scale,
            Score = score,
            Content = content,
            Channel = FeedbackChannel.Survey,
            CampaignId = campaignId,
            CreatedAt = when,
            UpdatedAt = when,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task GetAnalyticsAsync_NpsAnswers_ComputeNpsAndLeaveCsatAlone()
    {
        var customer = await _database.AddCustomerAsync("A");
        foreach (var score in new[] { 10, 9, 9, 8, 7, 6, 3, 0 })
        {
            await AddAsync(customer.Id, ScoreScale.Nps, score);
        }

        await AddAsync(customer.Id, ScoreScale.Csat, 4);

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default);

        // 3 promoters, 3 detractors of 8 → 0; CSAT only sees its one answer.
        Assert.Equal((8, 3, 3, 0.0), (vm.OverallNps.Count, vm.OverallNps.Promoters, vm.OverallNps.Detractors, vm.OverallNps.Score));
        Assert.Equal((1, 4.0), (vm.Overall.Count, vm.Overall.Average));
        Assert.Equal([1, 0, 0, 1, 0, 0, 1, 1, 1, 2, 1], vm.NpsDistribution);
        Assert.Equal([0, 0, 0, 1, 0], vm.Distribution);
    }

    [Fact]
    public async Task GetAnalyticsAsync_BySegmentAndCampaign_GroupsInDatabase()
    {
        var champion = await _database.AddCustomerAsync("Champion");
        var lost = await _database.AddCustomerAsync("Lost");
        var unscored = await _database.AddCustomerAsync("New");
        await using (var db = _database.CreateContext())
        {
            db.CustomerRfm.Add(new CustomerRfm { CustomerId = champion.Id, Segment = RfmSegment.Champions, RecencyScore = 5, FrequencyScore = 5, MonetaryScore = 5, ComputedAt = DateTime.UtcNow });
            db.CustomerRfm.Add(new CustomerRfm { CustomerId = lost.Id, Segment = RfmSegment.Lost, RecencyScore = 1, FrequencyScore = 1, MonetaryScore = 1, ComputedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await AddAsync(champion.Id, ScoreScale.Nps, 10, campaignId: 7);
        await AddAsync(champion.Id, ScoreScale.Nps, 9, campaignId: 7);
        await AddAsync(lost.Id, ScoreScale.Nps, 2, campaignId: 7);
        await AddAsync(unscored.Id, ScoreScale.Csat, 5);

        await using var read = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(read).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default);

        Assert.Equal(100.0, vm.BySegment.Single(s => s.Key == nameof(RfmSegment.Champions)).NpsOrEmpty.Score);
        Assert.Equal(-100.0, vm.BySegment.Single(s => s.Key == nameof(RfmSegment.Lost)).NpsOrEmpty.Score);
        Assert.Equal(1, vm.BySegment.Single(s => s.Key == string.Empty).Stats.Count);
        var campaign = Assert.Single(vm.ByCampaign);
        Assert.Equal(("7", 3), (campaign.Key, campaign.NpsOrEmpty.Count));
    }

    private async Task<int> AddSegmentAsync(string name, params int[] customerIds)
    {
        await using var db = _database.CreateContext();
        var segment = new Segment { Name = name, Kind = SegmentKind.Static, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, MemberCount = customerIds.Length };
        db.Segments.Add(segment);
        await db.SaveChangesAsync();
        db.SegmentMembers.AddRange(customerIds.Select(id => new SegmentMember { SegmentId = segment.Id, CustomerId = id, AddedAt = DateTime.UtcNow }));
        await db.SaveChangesAsync();
        return segment.Id;
    }

    /// <summary>Segments A {c1, c2} and B {c2, c3}; c4 is in none.
    /// A: CSAT 5, 2 (c1), 4 (c2) → 3 answers, 2 satisfied, average 11/3; NPS 10, 3 (c2) → 1 promoter, 1 detractor, NPS 0.
    /// B: CSAT 4 (c2) → 1 answer, 1 satisfied; NPS 10, 3 (c2), 9 (c3) → 2 promoters, 1 detractor, NPS (2 − 1) / 3 = 33.3.</summary>
    private async Task<(int A, int B)> SavedSegmentFixtureAsync()
    {
        var c1 = await _database.AddCustomerAsync("C1");
        var c2 = await _database.AddCustomerAsync("C2");
        var c3 = await _database.AddCustomerAsync("C3");
        var c4 = await _database.AddCustomerAsync("C4");
        var a = await AddSegmentAsync("A segment", c1.Id, c2.Id);
        var b = await AddSegmentAsync("B segment", c2.Id, c3.Id);
        await AddSegmentAsync("Empty segment");
        await AddAsync(c1.Id, ScoreScale.Csat, 5);
        await AddAsync(c1.Id, ScoreScale.Csat, 2);
        await AddAsync(c2.Id, ScoreScale.Csat, 4);
        await AddAsync(c2.Id, ScoreScale.Nps, 10);
        await AddAsync(c2.Id, ScoreScale.Nps, 3);
        await AddAsync(c3.Id, ScoreScale.Nps, 9);
        await AddAsync(c4.Id, ScoreScale.Csat, 1);
        return (a, b);
    }

    [Fact]
    public async Task GetAnalyticsAsync_BySavedSegment_CountsEachMembersFeedbackPerSegment()
    {
        var (a, b) = await SavedSegmentFixtureAsync();

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default);

        Assert.Equal(["A segment", "B segment"], vm.BySavedSegment.Select(g => g.Label));
        var rowA = vm.BySavedSegment.Single(g => g.Key == a.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((3, 2, 11.0), (rowA.Stats.Count, rowA.Stats.Satisfied, rowA.Stats.ScoreSum));
        Assert.Equal(11.0 / 3, rowA.Stats.Average!.Value, 9);
        Assert.Equal((2, 1, 1, 0.0), (rowA.NpsOrEmpty.Count, rowA.NpsOrEmpty.Promoters, rowA.NpsOrEmpty.Detractors, rowA.NpsOrEmpty.Score));
        var rowB = vm.BySavedSegment.Single(g => g.Key == b.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((1, 1, 100.0), (rowB.Stats.Count, rowB.Stats.Satisfied, rowB.Stats.SatisfiedPercent));
        Assert.Equal((3, 2, 1), (rowB.NpsOrEmpty.Count, rowB.NpsOrEmpty.Promoters, rowB.NpsOrEmpty.Detractors));
        Assert.Equal(100.0 / 3, rowB.NpsOrEmpty.Score!.Value, 9);
        // The whole page still counts every answer once.
        Assert.Equal((4, 3), (vm.Overall.Count, vm.OverallNps.Count));
    }

    [Fact]
    public async Task GetAnalyticsAsync_SegmentFilter_LimitsTheWholePageToItsMembers()
    {
        var (a, _) = await SavedSegmentFixtureAsync();

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default, a);

        Assert.Equal((a, "A segment"), (vm.SegmentId, vm.SegmentName));
        Assert.Equal((3, 2, 11.0), (vm.Overall.Count, vm.Overall.Satisfied, vm.Overall.ScoreSum));
        Assert.Equal((2, 0.0), (vm.OverallNps.Count, vm.OverallNps.Score));
        Assert.Equal([0, 1, 0, 1, 1], vm.Distribution);
        // c2 is in both segments, so within A the B row shows c2's answers only.
        var rowB = vm.BySavedSegment.Single(g => g.Label == "B segment");
        Assert.Equal((1, 2), (rowB.Stats.Count, rowB.NpsOrEmpty.Count));
    }

    [Fact]
    public async Task GetAnalyticsAsync_UnknownSegmentFilter_IsIgnored()
    {
        await SavedSegmentFixtureAsync();

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default, 9999);

        Assert.Null(vm.SegmentId);
        Assert.Equal(4, vm.Overall.Count);
    }

    [Fact]
    public async Task GetAnalyticsAsync_Themes_SplitLowFromHighComments()
    {
        var customer = await _database.AddCustomerAsync("A");
        await AddAsync(customer.Id, ScoreScale.Nps, 2, "Delivery was late");
        await AddAsync(customer.Id, ScoreScale.Csat, 1, "送货太慢，delivery late");
        await AddAsync(customer.Id, ScoreScale.Nps, 10, "Friendly staff");
        await AddAsync(customer.Id, ScoreScale.Csat, 5, "服务很好 friendly");
        await AddAsync(customer.Id, ScoreScale.Nps, 8, "Passive comment ignored");

        await using var db = _database.CreateContext();
        var vm = await TestServices.FeedbackAnalytics(db).GetAnalyticsAsync(null, null, Admin, TestServices.Localizer, default);

        Assert.Equal(2, vm.LowThemeComments);
        Assert.Equal(2, vm.HighThemeComments);
        Assert.Equal(("delivery", 2), (vm.LowThemes[0].Term, vm.LowThemes[0].Comments));
        Assert.Contains(vm.LowThemes, t => t.Term == "送货");
        Assert.Equal(("friendly", 2), (vm.HighThemes[0].Term, vm.HighThemes[0].Comments));
        Assert.Contains(vm.HighThemes, t => t.Term == "服务");
        Assert.DoesNotContain(vm.LowThemes.Concat(vm.HighThemes), t => t.Term == "passive");
    }

    [Fact]
    public async Task GetTileAsync_CountsRecentScoresAndOpenFollowUps()
    {
        var customer = await _database.AddCustomerAsync("A");
        await AddAsync(customer.Id, ScoreScale.Nps, 10);
        await AddAsync(customer.Id, ScoreScale.Nps, 0, at: TestServices.Now.UtcDateTime.AddDays(-200));
        await using (var db = _database.CreateContext())
        {
            db.FollowUpTasks.Add(new FollowUpTask { CustomerId = customer.Id, Reason = "x", CreatedAt = TestServices.Now.UtcDateTime, DueAt = TestServices.Now.UtcDateTime.AddDays(-1) });
            await db.SaveChangesAsync();
        }

        await using var read = _database.CreateContext();
        var tile = await TestServices.FeedbackAnalytics(read).GetTileAsync(Admin, 90, default);

        Assert.Equal((1, 100.0, 1, 1), (tile.NpsCount, tile.Nps, tile.OpenFollowUps, tile.OverdueFollowUps));
    }

    [Fact]
    public async Task Database_RejectsNpsScoreOnCsatScale()
    {
        var customer = await _database.AddCustomerAsync("A");

        await Assert.ThrowsAsync<DbUpdateException>(() => AddAsync(customer.Id, ScoreScale.Csat, 9));
        await AddAsync(customer.Id, ScoreScale.Nps, 0);
    }
}
