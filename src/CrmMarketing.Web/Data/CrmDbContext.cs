using CrmMarketing.Web.Domain;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Data;

public class CrmDbContext(DbContextOptions<CrmDbContext> options) : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerTag> CustomerTags => Set<CustomerTag>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Purchase> Purchases => Set<Purchase>();
    public DbSet<PurchaseLine> PurchaseLines => Set<PurchaseLine>();
    public DbSet<CustomerEvent> CustomerEvents => Set<CustomerEvent>();
    public DbSet<CustomerNote> CustomerNotes => Set<CustomerNote>();
    public DbSet<ConsentChange> ConsentChanges => Set<ConsentChange>();
    public DbSet<CustomerCall> CustomerCalls => Set<CustomerCall>();
    public DbSet<CustomerRfm> CustomerRfm => Set<CustomerRfm>();
    public DbSet<RfmRun> RfmRuns => Set<RfmRun>();
    public DbSet<ProductAssociation> ProductAssociations => Set<ProductAssociation>();
    public DbSet<ProductAssociationRun> ProductAssociationRuns => Set<ProductAssociationRun>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Feedback> Feedback => Set<Feedback>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SegmentMember> SegmentMembers => Set<SegmentMember>();
    public DbSet<MergeJournal> MergeJournals => Set<MergeJournal>();
    public DbSet<DuplicateDismissal> DuplicateDismissals => Set<DuplicateDismissal>();
    public DbSet<PersonalDataKey> PersonalDataKeys => Set<PersonalDataKey>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<ImportIssue> ImportIssues => Set<ImportIssue>();
    public DbSet<ImportJournalEntry> ImportJournal => Set<ImportJournalEntry>();
    public DbSet<ImportMappingTemplate> ImportMappingTemplates => Set<ImportMappingTemplate>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<MessageLink> MessageLinks => Set<MessageLink>();
    public DbSet<MessageEvent> MessageEvents => Set<MessageEvent>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<SurveyInvitation> SurveyInvitations => Set<SurveyInvitation>();
    public DbSet<SurveySend> SurveySends => Set<SurveySend>();
    public DbSet<FollowUpTask> FollowUpTasks => Set<FollowUpTask>();
    public DbSet<MarketingActivity> MarketingActivities => Set<MarketingActivity>();
    public DbSet<ActivityCost> ActivityCosts => Set<ActivityCost>();
    public DbSet<ActivityVariant> ActivityVariants => Set<ActivityVariant>();
    public DbSet<CampaignRecipient> CampaignRecipients => Set<CampaignRecipient>();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RejectAuditRewrites();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RejectAuditRewrites();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>The audit log is append-only through the application.</summary>
    private void RejectAuditRewrites()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit entries cannot be changed or deleted.");
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
        SqlFunctions.Register(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money is exact: stored as integer ten-thousandths so the database sums it natively (ADR 0002).
        configurationBuilder.Properties<decimal>().HaveConversion<MoneyConverter>();
        // Every DateTime is UTC; SQLite loses the Kind, so it is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }
}
