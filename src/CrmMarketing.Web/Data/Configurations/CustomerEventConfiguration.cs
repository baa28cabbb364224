using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class CustomerEventConfiguration : IEntityTypeConfiguration<CustomerEvent>
{
    public void Configure(EntityTypeBuilder<CustomerEvent> b)
    {
        b.Property(e => e.Type).HasMaxLength(CustomerEvent.TypeMaxLength).IsRequired();
        b.Property(e => e.Source).HasMaxLength(CustomerEvent.SourceMaxLength);
        b.Property(e => e.PropertiesJson).HasMaxLength(CustomerEvent.PropertiesMaxLength);
        b.HasIndex(e => new { e.CustomerId, e.OccurredAt });
        b.HasIndex(e => new { e.Type, e.OccurredAt });
    }
}

public class CustomerNoteConfiguration : IEntityTypeConfiguration<CustomerNote>
{
    public void Configure(EntityTypeBuilder<CustomerNote> b)
    {
        b.Property(n => n.Body).HasMaxLength(CustomerNote.BodyMaxLength).IsRequired();
        b.Property(n => n.CreatedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.HasIndex(n => new { n.CustomerId, n.CreatedAt });
    }
}

public class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(ApplicationUser.DisplayNameMaxLength);
    }
}
