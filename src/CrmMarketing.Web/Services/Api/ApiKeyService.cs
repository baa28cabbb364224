using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Api;

/// <summary>The key a request authenticated with: enough to authorize and to attribute, never the secret.</summary>
public sealed record ApiCaller(int Id, string KeyId, string Name, ApiScopes Scopes)
{
    public string ActorName => "api:" + KeyId;
}

/// <summary>Creating, listing, revoking and checking ingestion API keys.</summary>
public sealed class ApiKeyService(CrmDbContext db, TimeProvider time, AuditService audit)
{
    /// <summary>The last-used time is written at most this often per key.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<ApiKeyRowViewModel>> ListAsync(CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.Id)
            .Select(k => new ApiKeyRowViewModel(k.Id, k.Name, k.KeyId, k.Scopes, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt, k.RevokedBy))
            .ToListAsync(ct);

    /// <summary>Creates a key and returns its full text, which exists nowhere else afterwards.</summary>
    public async Task<string> CreateAsync(ApiKeyFormModel form, Actor actor, CancellationToken ct)
    {
        var (key, keyId, hash) = ApiKeySecret.Generate();
        var apiKey = new ApiKey
        {
            Name = form.Name.Trim(),
            KeyId = keyId,
            SecretHash = hash,
            Scopes = form.Scopes,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedBy = actor.Name,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ApiKeys.Add(apiKey);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(AuditActions.ApiKeyCreate, AuditEntityTypes.ApiKey, Key(apiKey.Id),
        [
            new(nameof(ApiKey.Name), null, apiKey.Name),
            new(nameof(ApiKey.KeyId), null, keyId),
            new(nameof(ApiKey.Scopes), null, apiKey.Scopes.ToString()),
        ], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return key;
    }

    /// <summary>False when there is no such key or it was revoked already.</summary>
    public async Task<bool> RevokeAsync(int id, Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(k => k.RevokedAt, now)
            .SetProperty(k => k.RevokedBy, actor.Name), ct);
        if (changed != 1)
        {
            return false;
        }

        await audit.RecordAsync(AuditActions.ApiKeyRevoke, AuditEntityTypes.ApiKey, Key(id), null, ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The caller a presented key stands for, or null when it is malformed, unknown, wrong or revoked.
    /// A valid key's last-used time is refreshed.</summary>
    public async Task<ApiCaller?> AuthenticateAsync(string presentedKey, CancellationToken ct)
    {
        var keyId = ApiKeySecret.TryGetKeyId(presentedKey);
        if (keyId is null)
        {
            return null;
        }

        var stored = await db.ApiKeys.AsNoTracking().Where(k => k.KeyId == keyId)
            .Select(k => new { k.Id, k.Name, k.SecretHash, k.Scopes, k.RevokedAt, k.LastUsedAt })
            .SingleOrDefaultAsync(ct);
        if (stored is null || !ApiKeySecret.Verify(presentedKey, stored.SecretHash) || stored.RevokedAt is not null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (stored.LastUsedAt is null || now - stored.LastUsedAt.Value >= LastUsedResolution)
        {
            var stale = now - LastUsedResolution;
            await db.ApiKeys.Where(k => k.Id == stored.Id && (k.LastUsedAt == null || k.LastUsedAt <= stale))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }

        return new ApiCaller(stored.Id, keyId, stored.Name, stored.Scopes);
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);
}
