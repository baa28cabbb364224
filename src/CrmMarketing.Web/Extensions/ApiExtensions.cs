using System.Globalization;
using System.Threading.RateLimiting;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Api;
using CrmMarketing.Web.Services.Ingestion;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace CrmMarketing.Web.Extensions;

/// <summary>The ingestion API: key authentication, per-key rate limits, body size limits and the OpenAPI document.</summary>
public static class ApiExtensions
{
    public const string RateLimitPolicy = "api";
    public const string PathPrefix = "/api";
    public const string OpenApiPath = "/openapi/{documentName}.json";

    public static WebApplicationBuilder AddCrmApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddScoped<IngestionService>();

        // An extra scheme, not the default: the rest of the app keeps authenticating by the Identity cookie,
        // and the API policies name this scheme alone.
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        // Under /api the Identity cookie is never read: every cookie operation there (authenticate, challenge,
        // forbid) goes to the key scheme. An unknown /api route answers 401, not a redirect to the login page,
        // and a browser's cookie opens nothing, so cross-site request forgery has nothing to ride on.
        builder.Services.ConfigureApplicationCookie(options => options.ForwardDefaultSelector = context =>
            context.Request.Path.StartsWithSegments(PathPrefix) ? ApiKeyAuthenticationHandler.SchemeName : null);

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimitPolicy, context =>
            {
                var api = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                // Authorization ran first, so the user is the key; one budget per key.
                var partition = context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value
                    ?? "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = api.PermitLimit,
                    Window = TimeSpan.FromSeconds(api.WindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.OnRejected = (context, ct) =>
            {
                var window = context.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.WindowSeconds;
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : window;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    "Too many requests.", $"This API key made too many requests; try again in {seconds} seconds."));
            };
        });

        builder.Services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description =>
                description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "CrmMarketing ingestion API";
                document.Info.Description = "Push customers, purchases and behaviour events into CrmMarketing. " +
                    "Authenticate with an API key that an administrator creates on the API keys page.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "Authorization: Bearer <key> (or the X-Api-Key header).",
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
                    },
                ];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Before authentication: API answers are problem details, never the HTML status pages, and bodies
    /// over the limit are refused with 413 before anything reads them.</summary>
    public static IApplicationBuilder UseCrmApiRequests(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(PathPrefix), api => api.Use(async (context, next) =>
        {
            if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await TooLarge(context, limit);
                return;
            }

            // A body without Content-Length (chunked) is cut off by the server as it is read.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    await TooLarge(context, limit);
                }
                else
                {
                    await ApiProblems.WriteAsync(context, e.StatusCode, "Bad request.", "The request could not be read.");
                }
            }
        }));

    private static Task TooLarge(HttpContext context, long limit) =>
        ApiProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large.",
            $"The request body may be at most {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes; send fewer items per request.");
}
