using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> b)
    {
        b.Property(s => s.Name).HasMaxLength(Segment.NameMaxLength).IsRequired();
        b.Property(s => s.Description).HasMaxLength(Segment.DescriptionMaxLength);
        b.Property(s => s.RuleJson).HasMaxLength(Segment.RuleMaxLength);
        b.Property(s => s.CreatedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(s => s.UpdatedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.HasIndex(s => s.Name).IsUnique();
        // The scheduled rebuild picks the dynamic segments built longest ago.
        b.HasIndex(s => new { s.Kind, s.LastBuiltAt });
        b.HasMany<SegmentMember>().WithOne().HasForeignKey(m => m.SegmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

public class SegmentMemberConfiguration : IEntityTypeConfiguration<SegmentMember>
{
    public void Configure(EntityTypeBuilder<SegmentMember> b)
    {
        // A rebuild rewrites this table with one INSERT … SELECT, so its name is fixed.
        b.ToTable("SegmentMembers");
        b.HasKey(m => new { m.SegmentId, m.CustomerId });
        // "Which segments is this customer in?" and deleting a customer.
        b.HasIndex(m => m.CustomerId);
        b.HasOne<Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
