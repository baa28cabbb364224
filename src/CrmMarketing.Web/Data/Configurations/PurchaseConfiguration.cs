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
        // Both indexes cover the columns the dashboard, habits, cohorts and RFM read (customer, time, total, channel),
        // so those reports scan an index instead of looking up every purchase row (docs/analytics-performance.md).
        b.HasIndex(p => new { p.CustomerId, p.PurchasedAt, p.Total, p.Channel });
        b.HasIndex(p => new { p.PurchasedAt, p.CustomerId, p.Total, p.Channel });
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
        // Replaces the plain foreign-key index: product and category rankings read the lines of each purchase from it alone.
        b.HasIndex(l => new { l.PurchaseId, l.ProductId, l.Quantity, l.Amount });
    }
}
