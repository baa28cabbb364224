using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Formatting;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Templates;

/// <summary>What a message needs to know about its recipient.</summary>
public sealed record MessageRecipient(
    int Id, string Name, string? Email, string? Phone, string? City, string? Region, string? Country,
    DateTime? FirstPurchaseAt, DateTime? LastPurchaseAt, int OrderCount, decimal TotalSpent,
    ConsentState EmailConsent, ConsentState SmsConsent, bool IsArchived);

/// <summary>Loads recipients and turns them into merge values.</summary>
public sealed class MergeValueBuilder(CrmDbContext db, DisplayFormatter formatter, TimeProvider time)
{
    public Task<MessageRecipient?> FindRecipientAsync(int customerId, CancellationToken ct) =>
        db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(Projection).FirstOrDefaultAsync(ct);

    /// <summary>A customer by id, exact email or name prefix (the first by name), for previews.</summary>
    public async Task<MessageRecipient?> SearchRecipientAsync(string query, CancellationToken ct)
    {
        query = query.Trim();
        if (int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return await FindRecipientAsync(id, ct);
        }

        var key = Customer.KeyOf(query);
        return await db.Customers.AsNoTracking().Where(c => c.EmailKey == key).Select(Projection).FirstOrDefaultAsync(ct)
            ?? await db.Customers.AsNoTracking().Where(c => c.NameKey.StartsWith(key)).OrderBy(c => c.NameKey).ThenBy(c => c.Id)
                .Select(Projection).FirstOrDefaultAsync(ct);
    }

    /// <summary>The merge values of a message to <paramref name="r"/>; each is formatted only when the template uses it.</summary>
    public MergeValues For(MessageRecipient r, string senderName, string? unsubscribeUrl, IReadOnlyDictionary<string, string?>? extra = null) =>
        new MergeValues(field => field switch
        {
            MergeFields.Name => r.Name,
            MergeFields.Email => r.Email,
            MergeFields.Phone => r.Phone,
            MergeFields.City => r.City,
            MergeFields.Region => r.Region,
            MergeFields.Country => r.Country,
            MergeFields.FirstPurchaseDate => IsoDate(r.FirstPurchaseAt),
            MergeFields.LastPurchaseDate => IsoDate(r.LastPurchaseAt),
            MergeFields.OrderCount => r.OrderCount.ToString(CultureInfo.InvariantCulture),
            MergeFields.TotalSpent => formatter.Money(r.TotalSpent),
            MergeFields.Today => formatter.ToLocal(time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            MergeFields.SenderName => senderName,
            MergeFields.UnsubscribeUrl => unsubscribeUrl,
            _ => null,
        }).With(extra);

    /// <summary>Dates in messages are ISO (2026-11-25): unambiguous for every reader, whatever the sender's language.</summary>
    private string? IsoDate(DateTime? utc) =>
        utc is { } at ? formatter.ToLocal(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    /// <summary>The recipient fields of a customer, as a projection the database translates.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Customer, MessageRecipient>> Projection = c => new MessageRecipient(
        c.Id, c.Name, c.Email, c.Phone, c.City, c.Region, c.Country, c.FirstPurchaseAt, c.LastPurchaseAt, c.OrderCount, c.TotalSpent,
        c.EmailConsent, c.SmsConsent, c.IsArchived);
}
