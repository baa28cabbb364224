using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Privacy;

namespace CrmMarketing.Web.Extensions;

public static class PrivacyExtensions
{
    /// <summary>Duplicates and merge, subject-access export, erasure and the retention rule.</summary>
    public static WebApplicationBuilder AddCrmPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>().Bind(builder.Configuration.GetSection(PrivacyOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<DuplicateFinder>();
        builder.Services.AddScoped<MergeService>();
        builder.Services.AddScoped<ErasureService>();
        builder.Services.AddScoped<SubjectAccessExportService>();
        builder.Services.AddHostedService<PrivacyMaintenanceJob>();
        return builder;
    }
}
