using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmMarketing.Web.Data.Configurations;

public class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> b)
    {
        b.Property(j => j.FileName).HasMaxLength(ImportJob.FileNameMaxLength).IsRequired();
        b.Property(j => j.StoredName).HasMaxLength(ImportJob.StoredNameMaxLength).IsRequired();
        b.Property(j => j.Encoding).HasMaxLength(20).IsRequired();
        b.Property(j => j.Delimiter).HasMaxLength(1).IsRequired();
        b.Property(j => j.DateFormat).HasMaxLength(ImportJob.DateFormatMaxLength);
        b.Property(j => j.DecimalSeparator).HasMaxLength(1).IsRequired();
        b.Property(j => j.ConsentEvidence).HasMaxLength(ImportJob.EvidenceMaxLength);
        b.Property(j => j.Message).HasMaxLength(ImportJob.MessageMaxLength);
        b.Property(j => j.CreatedBy).HasMaxLength(Customer.UserNameMaxLength).IsRequired();
        // The worker claims the oldest waiting job.
        b.HasIndex(j => new { j.Status, j.Id });
    }
}

public class ImportIssueConfiguration : IEntityTypeConfiguration<ImportIssue>
{
    public void Configure(EntityTypeBuilder<ImportIssue> b)
    {
        b.Property(i => i.Column).HasMaxLength(ImportIssue.ColumnMaxLength);
        b.Property(i => i.Value).HasMaxLength(ImportIssue.ValueMaxLength);
        b.Property(i => i.Message).HasMaxLength(ImportIssue.MessageMaxLength).IsRequired();
        b.HasOne<ImportJob>().WithMany().HasForeignKey(i => i.ImportJobId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.ImportJobId, i.Phase, i.Row });
    }
}

public class ImportJournalEntryConfiguration : IEntityTypeConfiguration<ImportJournalEntry>
{
    public void Configure(EntityTypeBuilder<ImportJournalEntry> b)
    {
        b.ToTable("ImportJournal");
        b.HasOne<ImportJob>().WithMany().HasForeignKey(e => e.ImportJobId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.ImportJobId, e.Kind, e.EntityId });
    }
}

public class ImportMappingTemplateConfiguration : IEntityTypeConfiguration<ImportMappingTemplate>
{
    public void Configure(EntityTypeBuilder<ImportMappingTemplate> b)
    {
        b.Property(t => t.Name).HasMaxLength(ImportMappingTemplate.NameMaxLength).IsRequired();
        b.Property(t => t.DateFormat).HasMaxLength(ImportJob.DateFormatMaxLength);
        b.Property(t => t.DecimalSeparator).HasMaxLength(1).IsRequired();
        b.Property(t => t.CreatedBy).HasMaxLength(Customer.UserNameMaxLength).IsRequired();
        b.HasIndex(t => new { t.EntityType, t.Name }).IsUnique();
    }
}
