using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.Property(p => p.Sku).HasMaxLength(Product.SkuMaxLength).IsRequired();
        b.Property(p => p.Name).HasMaxLength(Product.NameMaxLength).IsRequired();
        b.Property(p => p.Category).HasMaxLength(Product.CategoryMaxLength);
        b.HasIndex(p => p.Sku).IsUnique();
        b.HasIndex(p => p.Category);
    }
}
