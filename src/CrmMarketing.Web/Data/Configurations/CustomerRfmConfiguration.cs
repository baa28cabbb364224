using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class CustomerRfmConfiguration : IEntityTypeConfiguration<CustomerRfm>
{
    public void Configure(EntityTypeBuilder<CustomerRfm> b)
    {
        // The recomputation writes this table with one INSERT … SELECT, so its name is fixed.
        b.ToTable("CustomerRfm");
        b.HasKey(r => r.CustomerId);
        b.Property(r => r.CustomerId).ValueGeneratedNever();
        b.HasOne<Customer>().WithOne().HasForeignKey<CustomerRfm>(r => r.CustomerId).OnDelete(DeleteBehavior.Cascade);
        // The segment summary, the customer list's segment filter and the R×F heatmap.
        b.HasIndex(r => new { r.Segment, r.CustomerId });
        b.HasIndex(r => new { r.RecencyScore, r.FrequencyScore });
    }
}

public class RfmRunConfiguration : IEntityTypeConfiguration<RfmRun>
{
    public void Configure(EntityTypeBuilder<RfmRun> b)
    {
        b.ToTable("RfmRuns");
        b.HasIndex(r => r.ComputedAt);
    }
}
