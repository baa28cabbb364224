using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> b)
    {
        b.Property(s => s.Name).HasMaxLength(Survey.NameMaxLength).IsRequired();
        b.Property(s => s.QuestionEn).HasMaxLength(Survey.TextMaxLength).IsRequired();
        b.Property(s => s.QuestionZh).HasMaxLength(Survey.TextMaxLength).IsRequired();
        b.Property(s => s.ExtraQuestionEn).HasMaxLength(Survey.TextMaxLength);
        b.Property(s => s.ExtraQuestionZh).HasMaxLength(Survey.TextMaxLength);
        b.Property(s => s.CreatedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.HasIndex(s => s.Name);
    }
}

public class SurveyInvitationConfiguration : IEntityTypeConfiguration<SurveyInvitation>
{
    public void Configure(EntityTypeBuilder<SurveyInvitation> b)
    {
        b.Property(i => i.TokenId).HasMaxLength(SurveyInvitation.TokenIdLength).IsRequired();
        b.Property(i => i.Culture).HasMaxLength(SurveyInvitation.CultureMaxLength).IsRequired();
        b.Property(i => i.CreatedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.HasOne<Survey>().WithMany().HasForeignKey(i => i.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Feedback>().WithMany().HasForeignKey(i => i.FeedbackId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<SurveySend>().WithMany().HasForeignKey(i => i.SendId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(i => i.TokenId).IsUnique();
        // A segment send skips the members it has invited (resume). Not unique: merging two customers invited by the
        // same send gives the survivor both invitations; double sends are stopped by the outbox idempotency key
        // survey:{surveyId}:{customerId}:{sendId}, written in the same transaction as the invitation.
        b.HasIndex(i => new { i.SendId, i.CustomerId });
        // Response rate per survey: invited and answered counted from one index.
        b.HasIndex(i => new { i.SurveyId, i.AnsweredAt });
        b.HasIndex(i => new { i.CustomerId, i.CreatedAt });
    }
}

public class SurveySendConfiguration : IEntityTypeConfiguration<SurveySend>
{
    public void Configure(EntityTypeBuilder<SurveySend> b)
    {
        b.Property(s => s.Key).HasMaxLength(SurveySend.KeyMaxLength).IsRequired();
        b.Property(s => s.SegmentName).HasMaxLength(Segment.NameMaxLength).IsRequired();
        b.Property(s => s.Culture).HasMaxLength(SurveyInvitation.CultureMaxLength).IsRequired();
        b.Property(s => s.CreatedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.HasOne<Survey>().WithMany().HasForeignKey(s => s.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Segment>().WithMany().HasForeignKey(s => s.SegmentId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<MessageTemplate>().WithMany().HasForeignKey(s => s.TemplateId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(s => s.Key).IsUnique();
        // The survey page lists its sends, newest first.
        b.HasIndex(s => new { s.SurveyId, s.CreatedAt });
    }
}

public class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> b)
    {
        b.Property(t => t.Reason).HasMaxLength(FollowUpTask.ReasonMaxLength).IsRequired();
        b.Property(t => t.Resolution).HasMaxLength(FollowUpTask.ResolutionMaxLength);
        b.Property(t => t.AssigneeUserId).HasMaxLength(450);
        b.Property(t => t.ResolvedByUserId).HasMaxLength(450);
        b.Property(t => t.ResolvedByName).HasMaxLength(Customer.UserNameMaxLength);
        b.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Feedback>().WithMany().HasForeignKey(t => t.FeedbackId).OnDelete(DeleteBehavior.SetNull);
        // "My follow-ups" (open first, by due date), the dashboard's open count, the customer's timeline.
        b.HasIndex(t => new { t.AssigneeUserId, t.Status, t.DueAt });
        b.HasIndex(t => new { t.Status, t.DueAt });
        b.HasIndex(t => new { t.CustomerId, t.CreatedAt });
        b.HasIndex(t => t.FeedbackId);
    }
}
