using CrmMarketing.Web.Data;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.Services.Formatting;
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
        new(db, new MemoryCache(new MemoryCacheOptions()), time ?? new FixedTimeProvider(Now), Timeline(db), Audit(db, time));

    public static PurchaseService Purchases(CrmDbContext db, TimeProvider? time = null) =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(), Audit(db, time));

    public static CallService Calls(CrmDbContext db, TimeProvider? time = null, string zone = "UTC") =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(zone), NullLogger<CallService>.Instance);
    public static FeedbackService Feedback(CrmDbContext db, TimeProvider? time = null, string zone = "UTC") =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(zone), Audit(db, time));

    public static CrmMarketing.Web.Services.Campaigns.CampaignService Campaigns(CrmDbContext db, TimeProvider? time = null, string zone = "UTC") =>
        new(db, time ?? new FixedTimeProvider(Now), Formatter(zone), Audit(db, time));

    public static Actor Actor { get; } = new("user-1", "admin@test.local");
}
