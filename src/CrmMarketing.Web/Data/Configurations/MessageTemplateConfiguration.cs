using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> b)
    {
        b.Property(t => t.Name).HasMaxLength(MessageTemplate.NameMaxLength).IsRequired();
        b.Property(t => t.Subject).HasMaxLength(MessageTemplate.SubjectMaxLength);
        b.Property(t => t.HtmlBody).HasMaxLength(MessageTemplate.HtmlBodyMaxLength);
        b.Property(t => t.TextBody).HasMaxLength(MessageTemplate.TextBodyMaxLength);
        b.Property(t => t.CreatedBy).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(t => t.UpdatedBy).HasMaxLength(Customer.UserNameMaxLength);
        // The list is ordered by channel then name, and names are unique per channel.
        b.HasIndex(t => new { t.Channel, t.Name }).IsUnique();
    }
}
