using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Extensions;

public static class MessagingExtensions
{
    /// <summary>Outbox, suppression list, channels (SMTP / pickup, SMS gateway / log) and the dispatcher.</summary>
    public static WebApplicationBuilder AddCrmMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection(SmtpOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SmsGatewayOptions>().Bind(builder.Configuration.GetSection(SmsGatewayOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidation>();
        builder.Services.AddSingleton<IValidateOptions<SmsGatewayOptions>, SmsGatewayOptionsValidation>();

        builder.Services.AddScoped<OutboxService>();
        builder.Services.AddScoped<SuppressionService>();
        builder.Services.AddScoped<OutboxQueueService>();
        builder.Services.AddScoped<MessagingSettingsService>();
        builder.Services.AddScoped<ITimelineSource, OutboxTimelineSource>();

        builder.Services.AddHttpClient(HttpSmsSender.HttpClientName);
        builder.Services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value.Mode == SmtpMode.Pickup
            ? ActivatorUtilities.CreateInstance<PickupEmailSender>(sp)
            : ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp));
        builder.Services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<IOptions<SmsGatewayOptions>>().Value.Mode == SmsMode.Log
            ? ActivatorUtilities.CreateInstance<LogFileSmsSender>(sp)
            : ActivatorUtilities.CreateInstance<HttpSmsSender>(sp));
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return builder;
    }
}
