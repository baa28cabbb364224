using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(c => c.Name).HasMaxLength(Customer.NameMaxLength).IsRequired();
        b.Property(c => c.NameKey).HasMaxLength(Customer.NameMaxLength).IsRequired();
        b.Property(c => c.Email).HasMaxLength(Customer.EmailMaxLength);
        b.Property(c => c.EmailKey).HasMaxLength(Customer.EmailMaxLength);
        b.Property(c => c.Phone).HasMaxLength(Customer.PhoneMaxLength);
        b.Property(c => c.Address).HasMaxLength(Customer.AddressMaxLength);
        b.Property(c => c.City).HasMaxLength(Customer.CityMaxLength);
        b.Property(c => c.Region).HasMaxLength(Customer.RegionMaxLength);
        b.Property(c => c.Country).HasMaxLength(Customer.CountryMaxLength);
        b.Property(c => c.PostalCode).HasMaxLength(Customer.PostalCodeMaxLength);
        b.Property(c => c.Source).HasMaxLength(Customer.SourceMaxLength);
        b.Property(c => c.ExternalId).HasMaxLength(Customer.ExternalIdMaxLength);
        b.Property(c => c.EmailConsentSource).HasMaxLength(Customer.ConsentSourceMaxLength);
        b.Property(c => c.SmsConsentSource).HasMaxLength(Customer.ConsentSourceMaxLength);
        b.Property(c => c.CreatedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(c => c.OwnerUserId).HasMaxLength(450);
        b.Property(c => c.UpdatedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(c => c.Version).IsConcurrencyToken();

        b.HasMany(c => c.Tags).WithOne().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Purchases).WithOne(p => p.Customer).HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Events).WithOne().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Notes).WithOne().HasForeignKey(n => n.CustomerId).OnDelete(DeleteBehavior.Cascade);

        // The list screen sorts and pages by keyset (sort key, Id) within the archived flag.
        b.HasIndex(c => new { c.IsArchived, c.NameKey, c.Id });
        b.HasIndex(c => c.OwnerUserId);
        b.HasIndex(c => new { c.IsArchived, c.CreatedAt, c.Id });
        b.HasIndex(c => new { c.IsArchived, c.LastPurchaseAt, c.Id });
        b.HasIndex(c => new { c.IsArchived, c.TotalSpent, c.Id });
        b.HasIndex(c => new { c.IsArchived, c.OrderCount, c.Id });
        // The dashboard's new customers and the list's first-purchase range.
        b.HasIndex(c => new { c.IsArchived, c.FirstPurchaseAt });
        // The dashboard's revenue by region and city looks up the customer of every purchase in the range: this narrow
        // copy of the columns it needs answers those lookups instead of the wide table rows.
        b.HasIndex(c => new { c.Id, c.IsArchived, c.Region, c.City });
        // Search and duplicate detection. The email index also carries the archived flag and the name key,
        // so "name or email starts with …" sorted by name sorts from the index, not from table rows.
        b.HasIndex(c => new { c.EmailKey, c.IsArchived, c.NameKey });
        b.HasIndex(c => c.Phone);
        b.HasIndex(c => c.ExternalId);
        // Filters. The archived flag and last purchase ride in the index, so a filtered page (by name) and
        // its capped count are read from the index without a table lookup per candidate row.
        b.HasIndex(c => new { c.City, c.IsArchived, c.NameKey, c.Id, c.LastPurchaseAt });
        b.HasIndex(c => new { c.Region, c.IsArchived, c.NameKey, c.Id, c.LastPurchaseAt });
        b.HasIndex(c => new { c.Country, c.IsArchived, c.NameKey, c.Id, c.LastPurchaseAt });
        b.HasIndex(c => new { c.Source, c.IsArchived, c.NameKey, c.Id, c.LastPurchaseAt });
    }
}

public class CustomerTagConfiguration : IEntityTypeConfiguration<CustomerTag>
{
    public void Configure(EntityTypeBuilder<CustomerTag> b)
    {
        b.HasKey(t => new { t.CustomerId, t.Tag });
        b.Property(t => t.Tag).HasMaxLength(CustomerTag.TagMaxLength);
        b.HasIndex(t => new { t.Tag, t.CustomerId });
    }
}
