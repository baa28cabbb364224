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
