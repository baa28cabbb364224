using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    public void Configure(EntityTypeBuilder<Purchase> b)
    {
        b.Property(p => p.OrderNumber).HasMaxLength(Purchase.OrderNumberMaxLength).IsRequired();
        b.Property(p => p.CouponCode).HasMaxLength(Purchase.CouponCodeMaxLength);
        b.Property(p => p.CreatedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.HasIndex(p => p.OrderNumber).IsUnique();
        b.HasIndex(p => new { p.CustomerId, p.PurchasedAt });
        b.HasIndex(p => p.PurchasedAt);
        b.HasIndex(p => p.CouponCode);
        b.HasMany(p => p.Lines).WithOne().HasForeignKey(l => l.PurchaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

public class PurchaseLineConfiguration : IEntityTypeConfiguration<PurchaseLine>
{
    public void Configure(EntityTypeBuilder<PurchaseLine> b)
    {
        b.HasOne(l => l.Product).WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(l => l.ProductId);
    }
}
