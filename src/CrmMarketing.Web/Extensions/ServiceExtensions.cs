using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Import;
using CrmMarketing.Web.Services.Segments;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;
using CrmMarketing.Web.Services.Users;

namespace CrmMarketing.Web.Extensions;

public static class ServiceExtensions
{
    public static WebApplicationBuilder AddCrmServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditService>();
        builder.Services.AddSingleton<DisplayFormatter>();
        builder.Services.AddScoped<CallService>();
        builder.Services.AddScoped<CampaignService>();
        builder.Services.AddScoped<CustomerService>();
        builder.Services.AddScoped<CustomerExportService>();
        builder.Services.AddScoped<DashboardService>();
        builder.Services.AddScoped<GroupStatsService>();
        builder.Services.AddScoped<HabitsService>();
        builder.Services.AddScoped<PurchaseService>();
        builder.Services.AddScoped<RfmService>();
        builder.Services.AddScoped<RecommendationService>();
        builder.Services.AddHostedService<AnalyticsRefreshJob>();
        builder.Services.AddScoped<TimelineService>();
        builder.Services.AddScoped<ITimelineSource, PurchaseTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, EventTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, NoteTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, CallTimelineSource>();
        builder.Services.AddScoped<SegmentRuleParser>();
        builder.Services.AddScoped<SegmentRuleCompiler>();
        builder.Services.AddScoped<SegmentService>();
        builder.Services.AddHostedService<SegmentRefreshJob>();
        builder.Services.AddScoped<UserAdminService>();
        builder.Services.AddScoped<SignInService>();
        builder.Services.AddSingleton<HtmlBodySanitizer>();
        builder.Services.AddScoped<MergeValueBuilder>();
        builder.Services.AddScoped<TemplateService>();
        builder.Services.AddSingleton<TrackingTokens>();
        builder.Services.AddSingleton<PublicLinks>();
        builder.Services.AddScoped<TrackedOutbox>();
        builder.Services.AddScoped<TrackingService>();
        builder.Services.AddScoped<UnsubscribeService>();
        builder.Services.AddScoped<CustomerMessageService>();
        builder.Services.AddScoped<ITimelineSource, MessageEventTimelineSource>();
        builder.Services.AddSingleton<ImportFileStore>();
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddScoped<ImportService>();
        builder.Services.AddScoped<ImportRunner>();
        builder.Services.AddHostedService<ImportWorker>();
        builder.Services.AddScoped<CampaignMetricsService>();
        builder.Services.AddScoped<CampaignReportService>();
        return builder;
    }
}
