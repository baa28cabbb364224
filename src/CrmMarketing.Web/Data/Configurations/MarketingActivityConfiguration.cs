using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class MarketingActivityConfiguration : IEntityTypeConfiguration<MarketingActivity>
{
    public void Configure(EntityTypeBuilder<MarketingActivity> b)
    {
        b.Property(a => a.Name).HasMaxLength(MarketingActivity.NameMaxLength).IsRequired();
        b.Property(a => a.Description).HasMaxLength(MarketingActivity.DescriptionMaxLength);
        b.Property(a => a.Channel).HasMaxLength(MarketingActivity.ChannelMaxLength);
        b.Property(a => a.CouponCode).HasMaxLength(MarketingActivity.CouponCodeMaxLength);
        b.Property(a => a.UtmCampaign).HasMaxLength(MarketingActivity.UtmCampaignMaxLength);
        b.Property(a => a.GoalCategory).HasMaxLength(MarketingActivity.GoalCategoryMaxLength);
        b.Property(a => a.OwnerUserId).HasMaxLength(450);
        b.Property(a => a.OwnerName).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(a => a.CreatedByUserId).HasMaxLength(450);
        b.Property(a => a.UpdatedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.ToTable(t =>
        {
            t.HasCheckConstraint("CK_MarketingActivities_Period", "\"EndDate\" >= \"StartDate\"");
            t.HasCheckConstraint("CK_MarketingActivities_Budget", "\"Budget\" >= 0");
            t.HasCheckConstraint("CK_MarketingActivities_Holdout", "\"HoldoutPercent\" BETWEEN 0 AND 50");
        });

        // A coupon code attributes purchases to one activity only.
        b.HasIndex(a => a.CouponCode).IsUnique().HasFilter("\"CouponCode\" IS NOT NULL");
        // The list's filters and the calendar (activities overlapping a month).
        b.HasIndex(a => new { a.StartDate, a.EndDate });
        b.HasIndex(a => new { a.Status, a.StartDate });
        b.HasIndex(a => new { a.Type, a.StartDate });
        b.HasIndex(a => new { a.OwnerUserId, a.StartDate });
        b.HasMany(a => a.Costs).WithOne().HasForeignKey(c => c.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(a => a.Variants).WithOne().HasForeignKey(v => v.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.Property(a => a.LaunchedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.HasOne<Segment>().WithMany().HasForeignKey(a => a.SegmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MessageTemplate>().WithMany().HasForeignKey(a => a.TemplateId).OnDelete(DeleteBehavior.Restrict);
        // The scheduler's due-launch scan.
        b.HasIndex(a => new { a.Status, a.LaunchAt });
    }
}

public class ActivityVariantConfiguration : IEntityTypeConfiguration<ActivityVariant>
{
    public void Configure(EntityTypeBuilder<ActivityVariant> b)
    {
        b.Property(v => v.Label).HasMaxLength(ActivityVariant.LabelMaxLength).IsRequired();
        b.HasIndex(v => new { v.ActivityId, v.Label }).IsUnique();
        b.HasOne<MessageTemplate>().WithMany().HasForeignKey(v => v.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}

public class CampaignRecipientConfiguration : IEntityTypeConfiguration<CampaignRecipient>
{
    public void Configure(EntityTypeBuilder<CampaignRecipient> b)
    {
        b.Property(r => r.AssignedUserId).HasMaxLength(450);
        b.HasOne<MarketingActivity>().WithMany().HasForeignKey(r => r.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Cascade);
        // One row per customer per activity: a retried or concurrent launch cannot enqueue twice.
        b.HasIndex(r => new { r.ActivityId, r.CustomerId }).IsUnique();
        // Metrics by group and the phone call list per sales user.
        b.HasIndex(r => new { r.ActivityId, r.Group, r.ContactedAt });
        b.HasIndex(r => new { r.AssignedUserId, r.ActivityId });
        b.HasIndex(r => r.CustomerId);
        b.HasIndex(r => r.OutboxMessageId);
    }
}

public class ActivityCostConfiguration : IEntityTypeConfiguration<ActivityCost>
{
    public void Configure(EntityTypeBuilder<ActivityCost> b)
    {
        b.Property(c => c.Note).HasMaxLength(ActivityCost.NoteMaxLength);
        b.Property(c => c.CreatedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.ToTable(t => t.HasCheckConstraint("CK_ActivityCosts_Amount", "\"Amount\" >= 0"));
        b.HasIndex(c => new { c.ActivityId, c.Date });
    }
}
