using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> b)
    {
        b.Property(s => s.AddressHash).HasMaxLength(Suppression.AddressHashLength).IsFixedLength().IsRequired();
        b.HasIndex(s => new { s.Channel, s.AddressHash }).IsUnique();
    }
}
