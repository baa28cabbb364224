using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using CrmMarketing.Web.ViewModels.Duplicates;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Privacy;

public sealed class DuplicateFinderTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<int> CreateAsync(string name, string? email = null, string? phone = null, string? city = null)
    {
        await using var db = _database.CreateContext();
        var result = await TestServices.Customers(db).CreateAsync(
            new CustomerFormModel { Name = name, Email = email, Phone = phone, City = city, IgnoreDuplicates = true }, TestServices.Actor, default);
        return result.Id;
    }

    private async Task<DuplicateQueueViewModel> FindAsync()
    {
        await using var db = _database.CreateContext();
        return await TestServices.Duplicates(db).FindAsync(default);
    }

    private static DuplicatePairViewModel? Pair(DuplicateQueueViewModel queue, int a, int b) =>
        queue.Pairs.SingleOrDefault(p => (p.First.Id, p.Second.Id) == (Math.Min(a, b), Math.Max(a, b)));

    [Fact]
    public async Task FindAsync_SameEmailDifferentCase_ScoresAsEmailDuplicate()
    {
        var a = await CreateAsync("Li Na", "Li.Na@Example.com", city: "Beijing");
        var b = await CreateAsync("Zhang Wei", " li.na@example.COM ", city: "Shanghai");
        await CreateAsync("Someone Else", "other@example.com", city: "Beijing");

        var pair = Assert.Single((await FindAsync()).Pairs);

        Assert.Equal((a, b), (pair.First.Id, pair.Second.Id));
        Assert.Equal([DuplicateReason.SameEmail], pair.Reasons);
        Assert.Equal(DuplicateFinder.EmailWeight, pair.Score, 4);
    }

    [Fact]
    public async Task FindAsync_PhoneWrittenDifferently_MatchesOnE164()
    {
        var a = await CreateAsync("Chen Jie", phone: "138 1234 5678");
        var b = await CreateAsync("Zhou Min", phone: "+86 138-1234-5678");
        var c = await CreateAsync("Xu Lei", phone: "0086 13812345678");
        await CreateAsync("Other", phone: "13912345678");

        var queue = await FindAsync();

        Assert.Equal(3, queue.Pairs.Count);
        foreach (var (x, y) in new[] { (a, b), (a, c), (b, c) })
        {
            var pair = Pair(queue, x, y);
            Assert.NotNull(pair);
            Assert.Equal([DuplicateReason.SamePhone], pair.Reasons);
            Assert.Equal(DuplicateFinder.PhoneWeight, pair.Score, 4);
        }
    }

    [Fact]
    public async Task FindAsync_SimilarNamesSameCity_FoundButNotInDifferentCity()
    {
        var a = await CreateAsync("Jonathan Smith", city: "Hangzhou");
        var b = await CreateAsync("Jonathon Smith", city: "Hangzhou");
        var c = await CreateAsync("Jonathan Smith", city: "Suzhou");
        var d = await CreateAsync("Mary Jones", city: "Hangzhou");

        var queue = await FindAsync();

        var pair = Pair(queue, a, b);
        Assert.NotNull(pair);
        Assert.Equal([DuplicateReason.SimilarName], pair.Reasons);
        Assert.InRange(pair.Score, DuplicateFinder.NameWeightMin, DuplicateFinder.NameWeightMax);
        Assert.Null(Pair(queue, a, c));
        Assert.Null(Pair(queue, b, c));
        Assert.Null(Pair(queue, a, d));
    }

    [Fact]
    public async Task FindAsync_EmailPhoneAndName_RanksAboveSingleSignals()
    {
        var a = await CreateAsync("Wang Fang", "wf@example.com", "13812345678", "Hangzhou");
        var b = await CreateAsync("Wang Fang", "wf@example.com", "13812345678", "Hangzhou");
        var c = await CreateAsync("Zhao Lei", "zl@example.com", city: "Ningbo");
        var d = await CreateAsync("Qian Yu", "zl@example.com", city: "Xiamen");

        var queue = await FindAsync();

        Assert.Equal((a, b), (queue.Pairs[0].First.Id, queue.Pairs[0].Second.Id));
        Assert.Equal([DuplicateReason.SameEmail, DuplicateReason.SamePhone, DuplicateReason.SimilarName], queue.Pairs[0].Reasons);
        Assert.True(queue.Pairs[0].Score > Pair(queue, c, d)!.Score);
        Assert.True(queue.Pairs[0].Score > 0.99);
    }

    [Fact]
    public async Task DismissAsync_Pair_IsNotSuggestedAgain()
    {
        var a = await CreateAsync("Li Na", "li@example.com");
        var b = await CreateAsync("Li Na", "li@example.com");
        Assert.NotNull(Pair(await FindAsync(), a, b));

        await using (var db = _database.CreateContext())
        {
            Assert.True(await TestServices.Duplicates(db).DismissAsync(b, a, TestServices.Actor, default));
            Assert.Equal(1, await db.DuplicateDismissals.CountAsync());
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "duplicate-dismissed"));
        }

        Assert.Empty((await FindAsync()).Pairs);
    }

    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("王芳", "王芳", 1.0)]
    [InlineData("Wang Fang", "wang  fang", 1.0)]
    [InlineData("abc", "xyz", 0.0)]
    public void NameSimilarity_KnownPairs_MatchJaroWinkler(string a, string b, double expected) =>
        Assert.Equal(expected, DuplicateFinder.NameSimilarity(a, b), 3);

    [Fact]
    public void Score_CombinesSignalsAsIndependentEvidence()
    {
        Assert.Equal(0, DuplicateFinder.Score(false, false, null));
        Assert.Equal(0, DuplicateFinder.Score(false, false, DuplicateFinder.NameThreshold - 0.01));
        Assert.Equal(DuplicateFinder.NameWeightMin, DuplicateFinder.Score(false, false, DuplicateFinder.NameThreshold), 4);
        Assert.Equal(DuplicateFinder.NameWeightMax, DuplicateFinder.Score(false, false, 1.0), 4);
        Assert.Equal(1 - (0.05 * 0.10), DuplicateFinder.Score(true, true, null), 4);
    }
}
