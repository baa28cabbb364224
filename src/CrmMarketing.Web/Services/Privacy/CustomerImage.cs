using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Privacy;

/// <summary>A full before-image of a customer row: every mapped column (taken from the EF model, so a column
/// added later is included without touching this class) plus the customer's tags.</summary>
public sealed class CustomerImage
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public Dictionary<string, JsonElement> Columns { get; init; } = new(StringComparer.Ordinal);
    public List<string> Tags { get; init; } = [];

    /// <summary>The image of a tracked customer whose tags are loaded.</summary>
    public static CustomerImage Of(CrmDbContext db, Customer customer)
    {
        var columns = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in db.Entry(customer).Properties.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            columns[property.Metadata.Name] = JsonSerializer.SerializeToElement(property.CurrentValue, property.Metadata.ClrType, Json);
        }

        return new CustomerImage { Columns = columns, Tags = customer.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList() };
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CustomerImage FromJson(string json) =>
        JsonSerializer.Deserialize<CustomerImage>(json, Json) ?? throw new InvalidOperationException("Empty customer image.");

    /// <summary>Writes every column of the image onto a tracked customer (id included for an added one) and
    /// replaces its tags with the image's.</summary>
    public void ApplyTo(CrmDbContext db, Customer customer)
    {
        var entry = db.Entry(customer);
        foreach (var property in entry.Properties)
        {
            if (!Columns.TryGetValue(property.Metadata.Name, out var value))
            {
                // A column added after the merge: it keeps what it has.
                continue;
            }

            if (property.Metadata.IsPrimaryKey() && entry.State != EntityState.Added)
            {
                continue;
            }

            property.CurrentValue = value.Deserialize(property.Metadata.ClrType, Json);
        }

        customer.Tags.RemoveAll(t => !Tags.Contains(t.Tag, StringComparer.Ordinal));
        foreach (var tag in Tags.Where(t => customer.Tags.All(existing => existing.Tag != t)))
        {
            customer.Tags.Add(new CustomerTag { CustomerId = customer.Id, Tag = tag });
        }
    }
}
