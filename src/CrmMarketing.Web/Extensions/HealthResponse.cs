using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrmMarketing.Web.Extensions;

/// <summary>Writes the health report as JSON: overall status and one entry per check, never exception text.</summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            app = "CrmMarketing",
            version = typeof(HealthResponse).Assembly.GetName().Version?.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
