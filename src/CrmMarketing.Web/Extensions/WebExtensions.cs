using System.Globalization;
using CrmMarketing.Web.Resources;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;

namespace CrmMarketing.Web.Extensions;

public static class WebExtensions
{
    public static readonly CultureInfo[] SupportedCultures = [new("en"), new("zh-Hans")];

    public static WebApplicationBuilder AddCrmWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<MvcOptions>, LocalizedModelBindingMessages>();
        builder.Services
            .AddControllersWithViews(options =>
            {
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
            })
            .AddViewLocalization(LanguageViewLocationExpanderFormat.Suffix)
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));

        builder.Services.AddDataProtection().UseCrmAlgorithms();

        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "crm.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment()
                ? CookieSecurePolicy.SameAsRequest
                : CookieSecurePolicy.Always;
        });

        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = SupportedCultures;
            options.SupportedUICultures = SupportedCultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            // Cookie first (the header switcher), then the browser's Accept-Language.
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });

        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        return builder;
    }

    public static WebApplication UseCrmPipeline(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            app.UseExceptionHandler("/Home/Error");
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/Home/Status/{0}");
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseCrmApiRequests();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the API rate limits are per key, and the key is known only then.
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapCrmEndpoints(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync })
            .AllowAnonymous();
        // Describes only the ingestion API; public like the API's docs page (it holds no data).
        app.MapOpenApi(ApiExtensions.OpenApiPath).AllowAnonymous();
        app.MapControllerRoute(name: "default", pattern: "{controller=Dashboard}/{action=Index}/{id?}")
            .WithStaticAssets();
        return app;
    }
}
