using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Data.DemoData;

/// <summary>The first id to use in each table; generated rows take the ids after these.</summary>
internal sealed record DemoIdBase(int Customer = 0, int Product = 0, int Purchase = 0, int Line = 0, long Event = 0, int Note = 0);

/// <summary>A staff account that demo notes are attributed to.</summary>
internal sealed record DemoNoteAuthor(string? UserId, string Name, double Weight);

/// <summary>Everything one seeding run writes, with ids already assigned.</summary>
internal sealed class DemoDataSet
{
    /// <summary>The catalog products that were not in the database yet.</summary>
    public List<Product> Products { get; } = [];
    public List<Customer> Customers { get; } = [];
    public List<CustomerTag> Tags { get; } = [];

    /// <summary>Ordered by time; each carries its lines.</summary>
    public List<Purchase> Purchases { get; } = [];

    public List<CustomerEvent> Events { get; } = [];
    public List<CustomerNote> Notes { get; } = [];

    public int LineCount => Purchases.Sum(p => p.Lines.Count);
}
