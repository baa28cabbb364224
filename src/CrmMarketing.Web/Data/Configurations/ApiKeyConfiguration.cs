using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength).IsRequired();
        b.Property(k => k.KeyId).HasMaxLength(ApiKey.KeyIdLength).IsRequired();
        b.Property(k => k.SecretHash).HasMaxLength(ApiKey.HashLength).IsRequired();
        b.Property(k => k.CreatedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(k => k.RevokedBy).HasMaxLength(Customer.UserNameMaxLength);

        // Every API request looks its key up by the public id.
        b.HasIndex(k => k.KeyId).IsUnique();
    }
}
