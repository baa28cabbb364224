using System.Buffers.Text;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.ViewModels.Customers;

namespace CrmMarketing.Web.Services.Customers;

/// <summary>A position in the customer list: the sort key of a row and its id.</summary>
public sealed record CustomerCursor(CustomerSort Sort, string? Key, int Id)
{
    public static CustomerCursor Of(CustomerSort sort, CustomerRowViewModel row) => new(sort, sort switch
    {
        CustomerSort.Name => Customer.KeyOf(row.Name),
        CustomerSort.Created => row.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
        CustomerSort.LastPurchase => row.LastPurchaseAt?.Ticks.ToString(CultureInfo.InvariantCulture),
        CustomerSort.TotalSpent => row.TotalSpent.ToString(CultureInfo.InvariantCulture),
        CustomerSort.Orders => row.OrderCount.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(sort)),
    }, row.Id);

    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{(int)Sort}|{Id}|{(Key is null ? "~" : "=" + Key)}");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Null when the token is malformed or belongs to another sort order.</summary>
    public static CustomerCursor? TryDecode(string token, CustomerSort expectedSort)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var parts = text.Split('|', 3);
            if (parts.Length != 3
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sort)
                || sort != (int)expectedSort
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || parts[2].Length == 0)
            {
                return null;
            }

            string? key = parts[2][0] == '~' ? null : parts[2][1..];
            var cursor = new CustomerCursor(expectedSort, key, id);
            return cursor.IsWellFormed() ? cursor : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private bool IsWellFormed() => Sort switch
    {
        CustomerSort.Name => Key is not null,
        CustomerSort.Created => long.TryParse(Key, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTime.MaxValue.Ticks,
        CustomerSort.LastPurchase => Key is null || (long.TryParse(Key, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTime.MaxValue.Ticks),
        CustomerSort.TotalSpent => decimal.TryParse(Key, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
        CustomerSort.Orders => int.TryParse(Key, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ => false,
    };

    public DateTime KeyAsDate() => new(long.Parse(Key!, CultureInfo.InvariantCulture), DateTimeKind.Utc);
}

/// <summary>Ordering for keyset paging, one per sort key (the "rows after this cursor" predicates are in CustomerListQueries).
/// Each ordering has a matching (IsArchived, key, Id) index, so a deep page costs what the first does.</summary>
public static class CustomerKeyset
{
    public static IQueryable<Customer> Order(IQueryable<Customer> query, CustomerSort sort, bool desc) => (sort, desc) switch
    {
        (CustomerSort.Name, false) => query.OrderBy(c => c.NameKey).ThenBy(c => c.Id),
        (CustomerSort.Name, true) => query.OrderByDescending(c => c.NameKey).ThenByDescending(c => c.Id),
        (CustomerSort.Created, false) => query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id),
        (CustomerSort.Created, true) => query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id),
        (CustomerSort.LastPurchase, false) => query.OrderBy(c => c.LastPurchaseAt).ThenBy(c => c.Id),
        (CustomerSort.LastPurchase, true) => query.OrderByDescending(c => c.LastPurchaseAt).ThenByDescending(c => c.Id),
        (CustomerSort.TotalSpent, false) => query.OrderBy(c => c.TotalSpent).ThenBy(c => c.Id),
        (CustomerSort.TotalSpent, true) => query.OrderByDescending(c => c.TotalSpent).ThenByDescending(c => c.Id),
        (CustomerSort.Orders, false) => query.OrderBy(c => c.OrderCount).ThenBy(c => c.Id),
        (CustomerSort.Orders, true) => query.OrderByDescending(c => c.OrderCount).ThenByDescending(c => c.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(sort)),
    };

    /// <summary>The exclusive upper bound of all strings that start with <paramref name="prefix"/>
    /// under binary (code point) ordering, so a prefix search is an index range scan.</summary>
    public static string PrefixUpperBound(string prefix)
    {
        var last = prefix[^1];
        return char.IsSurrogate(last) || last == char.MaxValue
            ? prefix + char.MaxValue
            : prefix[..^1] + (char)(last + 1);
    }
}
