using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;
using CrmMarketing.Web.ViewModels.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Api;

public sealed class ApiKeyServiceTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly FixedTimeProvider _time = new(TestServices.Now);

    public void Dispose() => _database.Dispose();

    private ApiKeyService Service(Web.Data.CrmDbContext db) => new(db, _time, TestServices.Audit(db, _time));

    private async Task<string> CreateAsync(ApiScopes scopes = ApiScopes.Customers | ApiScopes.Events)
    {
        await using var db = _database.CreateContext();
        return await Service(db).CreateAsync(new ApiKeyFormModel
        {
            Name = "Web shop",
            Customers = scopes.HasFlag(ApiScopes.Customers),
            Purchases = scopes.HasFlag(ApiScopes.Purchases),
            Events = scopes.HasFlag(ApiScopes.Events),
        }, TestServices.Actor, CancellationToken.None);
    }

    [Fact]
    public async Task CreateAsync_StoresOnlyTheHash()
    {
        var key = await CreateAsync();

        await using var db = _database.CreateContext();
        var stored = await db.ApiKeys.SingleAsync();
        Assert.Equal(ApiKeySecret.Hash(key), stored.SecretHash);
        Assert.Equal(ApiKeySecret.TryGetKeyId(key), stored.KeyId);
        Assert.Equal(ApiScopes.Customers | ApiScopes.Events, stored.Scopes);
        var secret = key[(4 + ApiKey.KeyIdLength + 1)..];
        Assert.DoesNotContain(secret, stored.SecretHash + stored.KeyId + stored.Name, StringComparison.Ordinal);
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ApiKeyCreate);
        Assert.DoesNotContain(secret, audit.Changes!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_ValidKey_ReturnsCallerWithScopes()
    {
        var key = await CreateAsync();

        await using var db = _database.CreateContext();
        var caller = await Service(db).AuthenticateAsync(key, CancellationToken.None);

        Assert.NotNull(caller);
        Assert.Equal("Web shop", caller.Name);
        Assert.Equal(ApiScopes.Customers | ApiScopes.Events, caller.Scopes);
    }

    [Fact]
    public async Task AuthenticateAsync_WrongSecretForAnExistingId_ReturnsNull()
    {
        var key = await CreateAsync();
        var forged = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        await using var db = _database.CreateContext();
        Assert.Null(await Service(db).AuthenticateAsync(forged, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedKey_ReturnsNull()
    {
        var key = await CreateAsync();
        await using (var db = _database.CreateContext())
        {
            var id = await db.ApiKeys.Select(k => k.Id).SingleAsync();
            Assert.True(await Service(db).RevokeAsync(id, TestServices.Actor, CancellationToken.None));
            Assert.False(await Service(db).RevokeAsync(id, TestServices.Actor, CancellationToken.None));
        }

        await using var check = _database.CreateContext();
        Assert.Null(await Service(check).AuthenticateAsync(key, CancellationToken.None));
        Assert.Equal(1, await check.AuditEntries.CountAsync(e => e.Action == AuditActions.ApiKeyRevoke));
    }

    [Fact]
    public async Task AuthenticateAsync_LastUsed_IsWrittenAtMostOncePerMinute()
    {
        var key = await CreateAsync();
        var start = TestServices.Now.UtcDateTime;

        await AuthenticateAtAsync(TimeSpan.Zero);
        Assert.Equal(start, await LastUsedAsync());

        await AuthenticateAtAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(start, await LastUsedAsync());

        await AuthenticateAtAsync(TimeSpan.FromSeconds(61));
        Assert.Equal(start.AddSeconds(61), await LastUsedAsync());

        async Task AuthenticateAtAsync(TimeSpan after)
        {
            _time.Now = TestServices.Now + after;
            await using var db = _database.CreateContext();
            Assert.NotNull(await Service(db).AuthenticateAsync(key, CancellationToken.None));
        }

        async Task<DateTime?> LastUsedAsync()
        {
            await using var db = _database.CreateContext();
            return await db.ApiKeys.Select(k => k.LastUsedAt).SingleAsync();
        }
    }
}
