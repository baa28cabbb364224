using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class MergeJournalConfiguration : IEntityTypeConfiguration<MergeJournal>
{
    public void Configure(EntityTypeBuilder<MergeJournal> b)
    {
        // No foreign keys: the loser's row is gone while the journal lives, and the journal outlives neither.
        b.Property(j => j.MergedBy).HasMaxLength(MergeJournal.UserNameMaxLength).IsRequired();
        b.Property(j => j.MergedByUserId).HasMaxLength(450);
        b.Property(j => j.UndoneBy).HasMaxLength(MergeJournal.UserNameMaxLength);
        b.HasIndex(j => new { j.SurvivorId, j.MergedAt });
        b.HasIndex(j => j.LoserId);
        b.HasIndex(j => new { j.PurgedAt, j.MergedAt });
    }
}

public class DuplicateDismissalConfiguration : IEntityTypeConfiguration<DuplicateDismissal>
{
    public void Configure(EntityTypeBuilder<DuplicateDismissal> b)
    {
        b.HasKey(d => new { d.FirstCustomerId, d.SecondCustomerId });
        b.Property(d => d.DismissedBy).HasMaxLength(Customer.UserNameMaxLength).IsRequired();
    }
}

public class PersonalDataKeyConfiguration : IEntityTypeConfiguration<PersonalDataKey>
{
    public void Configure(EntityTypeBuilder<PersonalDataKey> b)
    {
        // No foreign key: a merged-away customer's key must survive its row so that an undo can read its history.
        b.HasKey(k => k.CustomerId);
        b.Property(k => k.CustomerId).ValueGeneratedNever();
        b.Property(k => k.Key).HasMaxLength(PersonalDataKey.KeyLength).IsRequired();
    }
}
