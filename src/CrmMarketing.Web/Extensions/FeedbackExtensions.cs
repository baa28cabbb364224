using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Feedback;

namespace CrmMarketing.Web.Extensions;

public static class FeedbackExtensions
{
    /// <summary>Feedback logging, surveys with signed public links, satisfaction analytics and follow-ups.</summary>
    public static WebApplicationBuilder AddCrmFeedback(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<FeedbackService>();
        builder.Services.AddScoped<FeedbackAnalyticsService>();
        builder.Services.AddScoped<FollowUpService>();
        builder.Services.AddScoped<FollowUpMailer>();
        builder.Services.AddScoped<SurveyService>();
        builder.Services.AddScoped<SurveyInvitationSender>();
        builder.Services.AddScoped<SurveySendService>();
        builder.Services.AddSingleton<SurveyTokens>();
        builder.Services.AddScoped<ITimelineSource, FeedbackTimelineSource>();
        builder.Services.AddScoped<ITimelineSource, FollowUpTimelineSource>();
        return builder;
    }
}
