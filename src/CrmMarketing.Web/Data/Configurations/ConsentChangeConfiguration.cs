using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class ConsentChangeConfiguration : IEntityTypeConfiguration<ConsentChange>
{
    public void Configure(EntityTypeBuilder<ConsentChange> b)
    {
        b.Property(c => c.Source).HasMaxLength(ConsentChange.SourceMaxLength).IsRequired();
        b.Property(c => c.ChangedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(c => c.Evidence).HasMaxLength(ConsentChange.EvidenceMaxLength);
        b.HasOne<Customer>().WithMany(c => c.ConsentChanges).HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.CustomerId, c.ChangedAt });
    }
}
