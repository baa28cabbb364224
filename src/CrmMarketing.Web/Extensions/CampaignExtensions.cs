using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Campaigns;

namespace CrmMarketing.Web.Extensions;

public static class CampaignExtensions
{
    /// <summary>Campaign planning, launch (audience snapshot, holdout, batched enqueue), phone call lists and the scheduler.</summary>
    public static WebApplicationBuilder AddCrmCampaigns(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CampaignOptions>().Bind(builder.Configuration.GetSection(CampaignOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CampaignLaunchService>();
        builder.Services.AddHostedService<CampaignScheduler>();
        return builder;
    }
}
