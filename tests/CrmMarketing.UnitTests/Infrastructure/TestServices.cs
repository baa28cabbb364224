using CrmMarketing.Web.Data;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Segments;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CrmMarketing.UnitTests.Infrastructure;

public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Builds the customer services the way the app does, over one test context.</summary>
public static class TestServices
{
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public static IStringLocalizer<SharedResource> Localizer { get; } = new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    public static DisplayFormatter Formatter(string zone = "UTC") =>
        new(Options.Create(new CrmOptions { Currency = "CNY", TimeZone = zone }));

    public static TimelineService Timeline(CrmDbContext db) => new(
    [
        new PurchaseTimelineSource(db, Localizer),
        new EventTimelineSource(db, Localizer),
        new NoteTimelineSource(db, Localizer),
        new CallTimelineSource(db, Localizer, Formatter()),
        new FeedbackTimelineSource(db, Localizer),
    ]);

    public static AuditService Audit(CrmDbContext db, TimeProvider? time = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter());

    public static CustomerService Customers(CrmDbContext db, TimeProvider? time = null) =>
        new(db, new MemoryCache(new MemoryCacheOptions()), time ?? new FixedTimeProvider(Now), Timeline(db), Audit(db, time), Formatter());

    public static PurchaseService Purchases(CrmDbContext db, TimeProvider? time = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(), Audit(db, time));

    public static CallService Calls(CrmDbContext db, TimeProvider? time = null, string zone = "UTC") =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(zone), Audit(db, time), NullLogger<CallService>.Instance);
    public static FeedbackService Feedback(CrmDbContext db, TimeProvider? time = null, string zone = "UTC", FeedbackOptions? options = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(zone), Audit(db, time), FollowUps(db, time, options));

    public static FeedbackAnalyticsService FeedbackAnalytics(CrmDbContext db, TimeProvider? time = null, string zone = "UTC", FeedbackOptions? options = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(zone), Feedback(db, time, zone, options), Options.Create(options ?? new FeedbackOptions()));

    public static OutboxService Outbox(CrmDbContext db, TimeProvider? time = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Options.Create(new SmtpOptions()));

    public static FollowUpService FollowUps(CrmDbContext db, TimeProvider? time = null, FeedbackOptions? options = null)
    {
        var opts = Options.Create(options ?? new FeedbackOptions());
        return new(db, time ?? new FixedTimeProvider(Now), opts, Audit(db, time),
            new FollowUpMailer(db, Outbox(db, time), Localizer, Formatter(), opts), NullLogger<FollowUpService>.Instance);
    }

    public static SurveyService Surveys(CrmDbContext db, TimeProvider? time = null, FeedbackOptions? options = null)
    {
        var clock = time ?? new FixedTimeProvider(Now);
        return new(db, clock, new SurveyTokens(DataProtection, clock), Options.Create(options ?? new FeedbackOptions()), Audit(db, time),
            FollowUps(db, time, options), SurveySender(db, clock), new SuppressionService(db, clock), NullLogger<SurveyService>.Instance);
    }

    public static TrackingOptions Tracking { get; } = new() { PublicBaseUrl = "https://crm.test" };

    public static TrackedOutbox TrackedOutbox(CrmDbContext db, TimeProvider? time = null)
    {
        var clock = time ?? new FixedTimeProvider(Now);
        var merge = new MergeValueBuilder(db, Formatter(), clock);
        return new(db, Outbox(db, clock), merge,
            new PublicLinks(new TrackingTokens(DataProtection, clock, Options.Create(Tracking)), Options.Create(Tracking)), Localizer);
    }

    public static SurveyInvitationSender SurveySender(CrmDbContext db, TimeProvider? time = null)
    {
        var clock = time ?? new FixedTimeProvider(Now);
        return new(db, Outbox(db, clock), TrackedOutbox(db, clock), new MergeValueBuilder(db, Formatter(), clock), Localizer, Formatter());
    }

    public static SurveySendService SurveySends(CrmDbContext db, TimeProvider? time = null, FeedbackOptions? options = null)
    {
        var clock = time ?? new FixedTimeProvider(Now);
        return new(db, clock, new SurveyTokens(DataProtection, clock), Surveys(db, clock, options), SurveySender(db, clock), Segments(db, clock),
            Options.Create(options ?? new FeedbackOptions()), Options.Create(new SmtpOptions()), Audit(db, clock), NullLogger<SurveySendService>.Instance);
    }

    /// <summary>Ephemeral keys shared by the tests of one run, so a token made by one service instance reads in another.</summary>
    public static IDataProtectionProvider DataProtection { get; } = new EphemeralDataProtectionProvider();

    public static SegmentService Segments(CrmDbContext db, TimeProvider? time = null)
    {
        time ??= new FixedTimeProvider(Now);
        var customers = Customers(db, time);
        return new SegmentService(db, new SegmentRuleParser(Localizer), new SegmentRuleCompiler(db, time), customers,
            new GroupStatsService(db, time, Formatter(), Localizer),
            new CustomerExportService(db, customers, Audit(db, time), time, Formatter(), Localizer, NullLogger<CustomerExportService>.Instance),
            Audit(db, time), Formatter(), time, Localizer, NullLogger<SegmentService>.Instance);
    }

    public static CrmMarketing.Web.Services.Campaigns.CampaignService Campaigns(CrmDbContext db, TimeProvider? time = null, string zone = "UTC") =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(zone), Audit(db, time));

    public static Actor Actor { get; } = new("user-1", "admin@test.local");

    public static CrmMarketing.Web.Services.Privacy.MergeService Merges(CrmDbContext db, TimeProvider? time = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Audit(db, time), Customers(db, time), NullLogger<CrmMarketing.Web.Services.Privacy.MergeService>.Instance);

    public static DuplicateFinder Duplicates(CrmDbContext db, TimeProvider? time = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Audit(db, time));

    public static CrmMarketing.Web.Services.Privacy.ErasureService Erasure(CrmDbContext db, TimeProvider? time = null,
        CrmMarketing.Web.Services.Import.ImportFileStore? importFiles = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Audit(db, time),
            new CrmMarketing.Web.Services.Messaging.SuppressionService(db, time ?? new FixedTimeProvider(Now)),
            importFiles ?? NoImportFiles, NullLogger<CrmMarketing.Web.Services.Privacy.ErasureService>.Instance);

    /// <summary>An import file store over a directory that does not exist: for services that only delete files.</summary>
    private static CrmMarketing.Web.Services.Import.ImportFileStore NoImportFiles { get; } = new(
        Options.Create(new ImportOptions { Directory = Path.Combine(Path.GetTempPath(), "crm-no-import-files") }),
        new TempEnvironment());

    private sealed class TempEnvironment : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "CrmMarketing.Web";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    public static CrmMarketing.Web.Services.Privacy.SubjectAccessExportService SubjectAccessExport(CrmDbContext db, TimeProvider? time = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Audit(db, time), NullLogger<CrmMarketing.Web.Services.Privacy.SubjectAccessExportService>.Instance);
}
