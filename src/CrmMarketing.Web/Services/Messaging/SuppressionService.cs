using System.Security.Cryptography;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>The list of addresses that must not be messaged (hard bounces, unsubscribes, erasures, complaints),
/// kept as hashes of the normalised address.</summary>
public sealed class SuppressionService(CrmDbContext db, TimeProvider time)
{
    /// <summary>Lower-case email, or E.164 phone; the address itself when it cannot be normalised (trimmed, lower-cased),
    /// so that a malformed address still maps to one stable key. For email both cases are the trimmed, lower-cased
    /// text (what <see cref="ContactNormalizer.NormalizeEmail"/> returns for a valid address), so the address is not
    /// validated here: the dispatcher hashes every address of every batch.</summary>
    public static string Normalize(MessageChannel channel, string address) => channel switch
    {
        MessageChannel.Email => address.Trim().ToLowerInvariant(),
        _ => ContactNormalizer.NormalizePhone(address) ?? address.Trim(),
    };

    /// <summary>Lower-case hex SHA-256 of the normalised address.</summary>
    public static string Hash(MessageChannel channel, string address) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(channel, address))));

    public Task<bool> IsSuppressedAsync(MessageChannel channel, string address, CancellationToken ct)
    {
        var hash = Hash(channel, address);
        return db.Suppressions.AsNoTracking().AnyAsync(s => s.Channel == channel && s.AddressHash == hash, ct);
    }

    /// <summary>Adds the address (idempotent: an address already listed keeps its first reason). Saves at once.</summary>
    /// <returns>True when the address was newly listed.</returns>
    public async Task<bool> AddAsync(MessageChannel channel, string address, SuppressionReason reason, CancellationToken ct)
    {
        var hash = Hash(channel, address);
        if (await db.Suppressions.AnyAsync(s => s.Channel == channel && s.AddressHash == hash, ct))
        {
            return false;
        }

        // INSERT OR IGNORE: a concurrent writer adding the same address is not an error.
        var added = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO Suppressions (Channel, AddressHash, Reason, CreatedAt) VALUES ({(int)channel}, {hash}, {(int)reason}, {time.GetUtcNow().UtcDateTime}) ON CONFLICT (Channel, AddressHash) DO NOTHING",
            ct);
        return added > 0;
    }
}
