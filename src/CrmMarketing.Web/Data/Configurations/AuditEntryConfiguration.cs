using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.UserId).HasMaxLength(450);
        b.Property(e => e.UserName).HasMaxLength(AuditEntry.UserNameMaxLength).IsRequired();
        b.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength).IsRequired();
        b.Property(e => e.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength);
        b.Property(e => e.EntityId).HasMaxLength(AuditEntry.EntityIdMaxLength);
        b.Property(e => e.IpAddress).HasMaxLength(AuditEntry.IpAddressMaxLength);
        b.Property(e => e.PreviousHash).HasMaxLength(AuditEntry.HashLength);
        b.Property(e => e.Hash).HasMaxLength(AuditEntry.HashLength).IsRequired();

        // The screen lists newest first (by Id) within each filter; the date range is a range on At.
        b.HasIndex(e => new { e.UserName, e.Id });
        b.HasIndex(e => new { e.Action, e.Id });
        b.HasIndex(e => new { e.EntityType, e.EntityId, e.Id });
        b.HasIndex(e => e.At);
    }
}
