using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class MessageEventConfiguration : IEntityTypeConfiguration<MessageEvent>
{
    public void Configure(EntityTypeBuilder<MessageEvent> b)
    {
        b.Property(e => e.Url).HasMaxLength(OutboxMessage.UrlMaxLength);
        b.Property(e => e.UserAgent).HasMaxLength(MessageEvent.UserAgentMaxLength);
        b.HasOne<OutboxMessage>().WithMany().HasForeignKey(e => e.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
        // A message's events (timeline, per-message counts) and metrics by type over time.
        b.HasIndex(e => new { e.OutboxMessageId, e.Type });
        b.HasIndex(e => new { e.Type, e.OccurredAt });
    }
}

public class MessageLinkConfiguration : IEntityTypeConfiguration<MessageLink>
{
    public void Configure(EntityTypeBuilder<MessageLink> b)
    {
        b.Property(l => l.Url).HasMaxLength(OutboxMessage.UrlMaxLength).IsRequired();
        b.HasOne<OutboxMessage>().WithMany().HasForeignKey(l => l.OutboxMessageId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(l => new { l.OutboxMessageId, l.Index }).IsUnique();
    }
}
