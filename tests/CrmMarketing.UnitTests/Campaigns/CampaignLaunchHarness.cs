using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests.Campaigns;

/// <summary>Builds the launch service the way the app does and seeds segments, templates and activities.</summary>
internal static class CampaignLaunchHarness
{
    public static CampaignLaunchService Launcher(CrmDbContext db, TimeProvider time, int batchSize = 1000, SmtpOptions? smtp = null)
    {
        var tracking = Microsoft.Extensions.Options.Options.Create(new TrackingOptions { PublicBaseUrl = "https://crm.test" });
        var tokens = new TrackingTokens(TestServices.DataProtection, time, tracking);
        var merge = new MergeValueBuilder(db, TestServices.Formatter(), time);
        var tracked = new TrackedOutbox(db, TestServices.Outbox(db, time), merge, new PublicLinks(tokens, tracking), TestServices.Localizer);
        return new CampaignLaunchService(db, time, tracked, TestServices.Audit(db, time), new CampaignMetricsService(db, time, TestServices.Formatter()),
            Microsoft.Extensions.Options.Options.Create(smtp ?? new SmtpOptions()),
            Microsoft.Extensions.Options.Options.Create(new CampaignOptions { LaunchBatchSize = batchSize }),
            NullLogger<CampaignLaunchService>.Instance);
    }

    public static async Task<int> SegmentAsync(CrmDbContext db, IEnumerable<int> customerIds)
    {
        var segment = new Segment { Name = "Seg " + Guid.NewGuid().ToString("N")[..8], Kind = SegmentKind.Static, CreatedAt = TestServices.Now.UtcDateTime, UpdatedAt = TestServices.Now.UtcDateTime };
        db.Segments.Add(segment);
        await db.SaveChangesAsync();
        var ids = customerIds.ToList();
        db.SegmentMembers.AddRange(ids.Select(id => new SegmentMember { SegmentId = segment.Id, CustomerId = id, AddedAt = TestServices.Now.UtcDateTime }));
        segment.MemberCount = ids.Count;
        await db.SaveChangesAsync();
        return segment.Id;
    }

    public static async Task<int> TemplateAsync(CrmDbContext db, MessageChannel channel = MessageChannel.Email, string subject = "Hello {{name}}", bool tracking = false)
    {
        var template = new MessageTemplate
        {
            Name = "T " + Guid.NewGuid().ToString("N")[..8],
            Channel = channel,
            IsMarketing = true,
            TrackingEnabled = tracking,
            Subject = channel == MessageChannel.Email ? subject : null,
            HtmlBody = channel == MessageChannel.Email ? "<p>Dear {{name}}, see <a href=\"https://shop.test/sale\">the sale</a>.</p>" : null,
            TextBody = channel == MessageChannel.Sms ? "Hi {{name}}, sale today" : null,
            CreatedAt = TestServices.Now.UtcDateTime,
            UpdatedAt = TestServices.Now.UtcDateTime,
        };
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync();
        return template.Id;
    }

    public static async Task<int> ActivityAsync(CrmDbContext db, ActivityType type, int segmentId, int? templateId, int holdout = 0,
        Action<MarketingActivity>? configure = null)
    {
        var activity = new MarketingActivity
        {
            Name = "Campaign " + Guid.NewGuid().ToString("N")[..8],
            Type = type,
            Status = ActivityStatus.Draft,
            StartDate = new DateOnly(2026, 6, 1),
            EndDate = new DateOnly(2026, 6, 30),
            SegmentId = segmentId,
            TemplateId = templateId,
            HoldoutPercent = holdout,
            CreatedAt = TestServices.Now.UtcDateTime,
            UpdatedAt = TestServices.Now.UtcDateTime,
            Version = 1,
        };
        configure?.Invoke(activity);
        db.MarketingActivities.Add(activity);
        await db.SaveChangesAsync();
        return activity.Id;
    }

    /// <summary>Customers who can be emailed and texted, added in one save.</summary>
    public static async Task<List<int>> ContactableCustomersAsync(CrmDbContext db, int count, string prefix = "c")
    {
        var customers = Enumerable.Range(1, count).Select(i => new Customer
        {
            Name = $"{prefix} {i}",
            NameKey = $"{prefix} {i}",
            Email = $"{prefix}{i}@mail.test",
            EmailKey = $"{prefix}{i}@mail.test",
            Phone = "+86138" + (10_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)[1..].PadLeft(8, '0'),
            EmailConsent = ConsentState.OptedIn,
            SmsConsent = ConsentState.OptedIn,
            CreatedAt = TestServices.Now.UtcDateTime,
            UpdatedAt = TestServices.Now.UtcDateTime,
            Version = 1,
        }).ToList();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return customers.Select(c => c.Id).ToList();
    }

    public static async Task AddUserAsync(CrmDbContext db, string id, string role)
    {
        var roleId = "role-" + role;
        if (!await db.Roles.AnyAsync(r => r.Id == roleId))
        {
            db.Roles.Add(new IdentityRole { Id = roleId, Name = role, NormalizedName = role.ToUpperInvariant() });
        }

        db.Users.Add(new ApplicationUser { Id = id, UserName = id, NormalizedUserName = id.ToUpperInvariant(), Email = id + "@crm.test", DisplayName = id });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = id, RoleId = roleId });
        await db.SaveChangesAsync();
    }
}
