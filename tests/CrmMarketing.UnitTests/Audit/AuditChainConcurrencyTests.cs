using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Audit;

/// <summary>Writers on separate connections to one database file, as requests are in the app.</summary>
public sealed class AuditChainConcurrencyTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"crm-audit-{Guid.NewGuid():N}.db");
    private readonly DbContextOptions<CrmDbContext> _options;

    public AuditChainConcurrencyTests()
    {
        _options = new DbContextOptionsBuilder<CrmDbContext>()
            .UseSqlite($"Data Source={_path}")
            .AddInterceptors(new SqlitePragmaInterceptor())
            .Options;
        using var db = new CrmDbContext(_options);
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RecordAsync_ConcurrentWriters_NeverForkTheChain()
    {
        const int writers = 4;
        const int perWriter = 15;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                await using var db = new CrmDbContext(_options);
                await TestServices.Audit(db).RecordAsync(AuditActions.Export, AuditEntityTypes.Customer, null, null, default,
                    new AuditActor(null, "writer" + w));
            }
        })));

        await using var check = new CrmDbContext(_options);
        var result = await TestServices.Audit(check).VerifyAsync(default);
        Assert.True(result.Ok, $"broken at {result.BrokenEntryId}");
        Assert.Equal(writers * perWriter, result.Checked);
        Assert.Equal(writers * perWriter, await check.AuditEntries.Select(e => e.PreviousHash).Distinct().CountAsync());
    }
}
