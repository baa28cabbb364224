using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class CustomerCallConfiguration : IEntityTypeConfiguration<CustomerCall>
{
    public void Configure(EntityTypeBuilder<CustomerCall> b)
    {
        b.Property(c => c.Notes).HasMaxLength(CustomerCall.NotesMaxLength);
        b.Property(c => c.CreatedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.CustomerId, c.CalledAt });
        // "Who should we call back today?"
        b.HasIndex(c => c.FollowUpOn);
        // The sales home page: the calls one user logged, newest first.
        b.HasIndex(c => new { c.CreatedByUserId, c.CalledAt });
    }
}
