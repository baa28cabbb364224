using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(m => m.ToAddress).HasMaxLength(OutboxMessage.AddressMaxLength).IsRequired();
        b.Property(m => m.ToName).HasMaxLength(OutboxMessage.NameMaxLength);
        b.Property(m => m.Subject).HasMaxLength(OutboxMessage.SubjectMaxLength);
        b.Property(m => m.MessageId).HasMaxLength(OutboxMessage.MessageIdMaxLength).IsRequired();
        b.Property(m => m.IdempotencyKey).HasMaxLength(OutboxMessage.IdempotencyKeyMaxLength).IsRequired();
        b.Property(m => m.UnsubscribeUrl).HasMaxLength(OutboxMessage.UrlMaxLength);
        b.Property(m => m.LeaseOwner).HasMaxLength(OutboxMessage.LeaseOwnerMaxLength);
        b.Property(m => m.LastError).HasMaxLength(OutboxMessage.LastErrorMaxLength);
        b.Property(m => m.ProviderMessageId).HasMaxLength(OutboxMessage.ProviderMessageIdMaxLength);
        b.Property(m => m.CreatedBy).HasMaxLength(OutboxMessage.CreatedByMaxLength);
        // Messages outlive an erased customer (the privacy area blanks their addresses).
        b.HasOne<Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.SetNull);

        b.HasIndex(m => m.IdempotencyKey).IsUnique();
        b.HasIndex(m => m.MessageId).IsUnique();
        // The dispatcher's claim: due queued rows and expired leases, oldest first.
        b.HasIndex(m => new { m.Channel, m.State, m.NextAttemptAt });
        // Queue screen filters (newest first) and the customer timeline.
        b.HasIndex(m => new { m.Channel, m.State, m.Id });
        b.HasIndex(m => new { m.CampaignId, m.State });
        b.HasIndex(m => new { m.CustomerId, m.CreatedAt });
        // Delivery receipts and bounces name the provider's id.
        b.HasIndex(m => m.ProviderMessageId);
    }
}
