using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class ProductAssociationConfiguration : IEntityTypeConfiguration<ProductAssociation>
{
    public void Configure(EntityTypeBuilder<ProductAssociation> b)
    {
        // The recomputation writes this table with one INSERT … SELECT, so its name is fixed.
        b.ToTable("ProductAssociations");
        b.HasKey(a => new { a.AntecedentId, a.ConsequentId });
        b.HasOne<Product>().WithMany().HasForeignKey(a => a.AntecedentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Product>().WithMany().HasForeignKey(a => a.ConsequentId).OnDelete(DeleteBehavior.Cascade);
        // The strongest-associations page.
        b.HasIndex(a => a.Lift);
        b.HasIndex(a => a.ConsequentId);
    }
}

public class ProductAssociationRunConfiguration : IEntityTypeConfiguration<ProductAssociationRun>
{
    public void Configure(EntityTypeBuilder<ProductAssociationRun> b)
    {
        b.ToTable("ProductAssociationRuns");
        b.HasIndex(r => r.ComputedAt);
    }
}
