using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Audit;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Audit;

/// <summary>One changed field. Values are stored as text, in full; they are masked when displayed.</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>Who acted, when the caller knows better than the current request (sign-in, tests).</summary>
public sealed record AuditActor(string? UserId, string UserName);

/// <summary>The append-only, hash-chained audit log: writing, listing and verifying.</summary>
/// <remarks>Each row's hash covers its fields and the previous row's hash, so a row edited or deleted in the
/// database breaks the chain at that row (or the next one). Rows are written inside a transaction that holds
/// the database's write lock before the last hash is read (Microsoft.Data.Sqlite begins transactions
/// IMMEDIATE), so two writers can never both append after the same row and fork the chain.
/// Truncating the newest rows leaves a valid, shorter chain; that is out of reach of a hash chain alone.</remarks>
public sealed class AuditService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter, IHttpContextAccessor? http = null)
{
    public const string Mask = "***";

    /// <summary>Shown instead of a personal value whose customer was erased (its key is gone).</summary>
    public const string Erased = "[erased]";

    /// <summary>Prefix of a personal value encrypted with the customer's <see cref="PersonalDataKey"/>.</summary>
    public const string EncryptedPrefix = "enc1:";

    /// <summary>Fields holding a customer's personal data, masked for everyone but administrators.</summary>
    public static readonly IReadOnlySet<string> PersonalFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "Name", "Email", "Phone", "Address", "BirthDate", "PostalCode", "ExternalId",
    };

    private static readonly JsonSerializerOptions ChangesJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Appends an entry: inside the caller's transaction when there is one (so it commits or rolls back
    /// with the business change), otherwise in its own.</summary>
    public async Task RecordAsync(string action, string? entityType, string? entityId,
        IReadOnlyList<AuditChange>? changes, CancellationToken ct, AuditActor? actor = null)
    {
        actor ??= CurrentActor();
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            changes = await ProtectAsync(entityType, entityId, changes, ct);
            var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id)
                .Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(ct);
            var entry = new AuditEntry
            {
                Id = (last?.Id ?? 0) + 1,
                At = time.GetUtcNow().UtcDateTime,
                UserId = actor.UserId,
                UserName = Truncate(actor.UserName, AuditEntry.UserNameMaxLength),
                Action = action,
                EntityType = entityType,
                EntityId = entityId,
                Changes = changes is null || changes.Count == 0 ? null : JsonSerializer.Serialize(changes, ChangesJson),
                IpAddress = http?.HttpContext?.Connection.RemoteIpAddress?.ToString(),
                PreviousHash = last?.Hash,
            };
            entry.Hash = ComputeHash(entry);
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(ct);
            db.Entry(entry).State = EntityState.Detached;
            if (owned is not null)
            {
                await owned.CommitAsync(ct);
            }
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    /// <summary>Walks the whole chain in order and returns the first row that does not check out.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        string? previousHash = null;
        long previousId = 0;
        long count = 0;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (entry.Id != previousId + 1
                || !string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal)
                || !string.Equals(entry.Hash, ComputeHash(entry), StringComparison.Ordinal))
            {
                return new AuditVerification(count, entry.Id);
            }

            previousHash = entry.Hash;
            previousId = entry.Id;
            count++;
        }

        return new AuditVerification(count, null);
    }

    /// <summary>Personal values about a customer are written encrypted with that customer's key, so that erasing
    /// the customer (deleting the key) makes them unreadable without rewriting the chained log.</summary>
    private async Task<IReadOnlyList<AuditChange>?> ProtectAsync(string? entityType, string? entityId, IReadOnlyList<AuditChange>? changes, CancellationToken ct)
    {
        if (changes is null || entityType != AuditEntityTypes.Customer || !TryCustomerId(entityId, out var customerId)
            || !changes.Any(c => PersonalFields.Contains(c.Field) && (c.Before is not null || c.After is not null)))
        {
            return changes;
        }

        var key = await db.PersonalDataKeys.AsNoTracking().Where(k => k.CustomerId == customerId).Select(k => k.Key).SingleOrDefaultAsync(ct);
        if (key is null)
        {
            key = RandomNumberGenerator.GetBytes(PersonalDataKey.KeyLength);
            var row = new PersonalDataKey { CustomerId = customerId, Key = key, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.PersonalDataKeys.Add(row);
            await db.SaveChangesAsync(ct);
            db.Entry(row).State = EntityState.Detached;
        }

        return changes.Select(c => PersonalFields.Contains(c.Field)
            ? new AuditChange(c.Field, Encrypt(key, customerId, c.Before), Encrypt(key, customerId, c.After))
            : c).ToList();
    }

    /// <summary>Deletes the customers' audit keys: their personal values in the log can never be read again.</summary>
    public async Task ShredPersonalDataAsync(IReadOnlyCollection<int> customerIds, CancellationToken ct) =>
        await db.PersonalDataKeys.Where(k => customerIds.Contains(k.CustomerId)).ExecuteDeleteAsync(ct);

    /// <summary>An entry's changes in clear text where the customer's key still exists, <see cref="Erased"/> where not.</summary>
    public async Task<IReadOnlyList<AuditChange>> ReadChangesAsync(AuditEntry entry, CancellationToken ct)
    {
        var keys = await KeysForAsync([entry], ct);
        return Reveal(entry, ReadChanges(entry.Changes), keys);
    }

    private async Task<Dictionary<int, byte[]>> KeysForAsync(IEnumerable<AuditEntry> entries, CancellationToken ct)
    {
        var ids = entries.Where(e => e.EntityType == AuditEntityTypes.Customer && e.Changes?.Contains(EncryptedPrefix, StringComparison.Ordinal) == true)
            .Select(e => TryCustomerId(e.EntityId, out var id) ? id : 0).Where(id => id > 0).Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.PersonalDataKeys.AsNoTracking().Where(k => ids.Contains(k.CustomerId)).ToDictionaryAsync(k => k.CustomerId, k => k.Key, ct);
    }

    private static IReadOnlyList<AuditChange> Reveal(AuditEntry entry, IReadOnlyList<AuditChange> changes, IReadOnlyDictionary<int, byte[]> keys)
    {
        if (!TryCustomerId(entry.EntityId, out var customerId))
        {
            return changes;
        }

        var key = keys.GetValueOrDefault(customerId);
        return changes.Select(c => new AuditChange(c.Field, Decrypt(key, customerId, c.Before), Decrypt(key, customerId, c.After))).ToList();
    }

    private static bool TryCustomerId(string? entityId, out int id) =>
        int.TryParse(entityId, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static string? Encrypt(byte[] key, int customerId, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var plain = System.Text.Encoding.UTF8.GetBytes(value);
        var blob = new byte[AesGcm.NonceByteSizes.MaxSize + AesGcm.TagByteSizes.MaxSize + plain.Length];
        var nonce = blob.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = blob.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(nonce.Length + tag.Length), tag, AssociatedData(customerId));
        return EncryptedPrefix + Convert.ToBase64String(blob);
    }

    private static string? Decrypt(byte[]? key, int customerId, string? value)
    {
        if (value is null || !value.StartsWith(EncryptedPrefix, StringComparison.Ordinal))
        {
            return value;
        }

        if (key is null)
        {
            return Erased;
        }

        try
        {
            var blob = Convert.FromBase64String(value[EncryptedPrefix.Length..]);
            var nonceLength = AesGcm.NonceByteSizes.MaxSize;
            var tagLength = AesGcm.TagByteSizes.MaxSize;
            var plain = new byte[blob.Length - nonceLength - tagLength];
            using var aes = new AesGcm(key, tagLength);
            aes.Decrypt(blob.AsSpan(0, nonceLength), blob.AsSpan(nonceLength + tagLength), blob.AsSpan(nonceLength, tagLength), plain, AssociatedData(customerId));
            return System.Text.Encoding.UTF8.GetString(plain);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException or OverflowException)
        {
            // A value edited in the database; the chain check reports the row.
            return Erased;
        }
    }

    private static byte[] AssociatedData(int customerId) =>
        System.Text.Encoding.ASCII.GetBytes("customer:" + customerId.ToString(CultureInfo.InvariantCulture));

    public async Task<AuditListViewModel> ListAsync(AuditListQuery query, bool showPersonalData, CancellationToken ct)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.User))
        {
            var prefix = query.User.Trim();
            var upper = CustomerKeyset.PrefixUpperBound(prefix);
            entries = entries.Where(e => string.Compare(e.UserName, prefix) >= 0 && string.Compare(e.UserName, upper) < 0);
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action == query.Action);
        }

        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            entries = entries.Where(e => e.EntityType == query.EntityType);
        }

        if (!string.IsNullOrWhiteSpace(query.EntityId))
        {
            var entityId = query.EntityId.Trim();
            entries = entries.Where(e => e.EntityId == entityId);
        }

        if (query.From is { } from)
        {
            var since = formatter.StartOfDayUtc(from);
            entries = entries.Where(e => e.At >= since);
        }

        if (query.To is { } to)
        {
            var until = formatter.EndOfDayUtc(to);
            entries = entries.Where(e => e.At < until);
        }

        if (query.Before is { } before)
        {
            entries = entries.Where(e => e.Id < before);
        }

        var rows = await entries.OrderByDescending(e => e.Id).Take(AuditListQuery.PageSize + 1).ToListAsync(ct);
        var more = rows.Count > AuditListQuery.PageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        // Keys are read only for a viewer who may see personal values; everyone else gets the mask anyway.
        var keys = showPersonalData ? await KeysForAsync(rows, ct) : [];
        return new AuditListViewModel
        {
            Query = query,
            Rows = rows.Select(e => ToView(e, showPersonalData, keys)).ToList(),
            OlderBefore = more ? rows[^1].Id : null,
        };
    }

    public static AuditRowViewModel ToView(AuditEntry entry, bool showPersonalData, IReadOnlyDictionary<int, byte[]>? keys = null) => new(
        entry.Id, entry.At, entry.UserName, entry.Action, entry.EntityType, entry.EntityId,
        (showPersonalData ? Reveal(entry, ReadChanges(entry.Changes), keys ?? new Dictionary<int, byte[]>()) : ReadChanges(entry.Changes)).Select(c => showPersonalData || !PersonalFields.Contains(c.Field)
            ? new AuditChangeViewModel(c.Field, c.Before, c.After)
            : new AuditChangeViewModel(c.Field, c.Before is null ? null : Mask, c.After is null ? null : Mask)).ToList(),
        entry.IpAddress);

    public static IReadOnlyList<AuditChange> ReadChanges(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<AuditChange>>(json, ChangesJson) ?? [];

    /// <summary>The fields whose values differ between two snapshots taken with the same keys, in key order.</summary>
    public static IReadOnlyList<AuditChange> Diff(IReadOnlyList<KeyValuePair<string, string?>> before, IReadOnlyList<KeyValuePair<string, string?>> after)
    {
        var old = before.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return after
            .Where(kv => !string.Equals(old.GetValueOrDefault(kv.Key), kv.Value, StringComparison.Ordinal))
            .Select(kv => new AuditChange(kv.Key, old.GetValueOrDefault(kv.Key), kv.Value))
            .ToList();
    }

    /// <summary>SHA-256 over a JSON array of every field but the hash itself, previous hash included.</summary>
    public static string ComputeHash(AuditEntry entry)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new string?[]
        {
            entry.Id.ToString(CultureInfo.InvariantCulture),
            entry.At.Ticks.ToString(CultureInfo.InvariantCulture),
            entry.UserId,
            entry.UserName,
            entry.Action,
            entry.EntityType,
            entry.EntityId,
            entry.Changes,
            entry.IpAddress,
            entry.PreviousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    private AuditActor CurrentActor()
    {
        var user = http?.HttpContext?.User;
        return user?.Identity?.IsAuthenticated == true
            ? new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity.Name ?? "unknown")
            : new AuditActor(null, "system");
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
