using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.Services.Formatting;
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
        builder.Services.AddHostedService<RfmRefreshJob>();
        builder.Services.AddScoped<TimelineService>();
        builder.Services.AddScoped<ITimelineSource, PurchaseTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, EventTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, NoteTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, CallTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, FeedbackTimelineSource>();
        builder.Services.AddScoped<FeedbackService>();
        builder.Services.AddScoped<UserAdminService>();
        builder.Services.AddScoped<SignInService>();
        return builder;
    }
}
