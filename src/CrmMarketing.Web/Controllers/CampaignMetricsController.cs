using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.ViewModels.CampaignMetrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers;

/// <summary>What marketing activities earned: an activity's metrics page and the comparison report across
/// activities. Admins and marketers only (DESIGN.md §4), under the campaigns' URLs.</summary>
[Authorize(Policy = Policies.Marketing)]
[Route("Campaigns")]
public class CampaignMetricsController(CampaignReportService reports) : Controller
{
    [HttpGet("Metrics/{id:int}")]
    public async Task<IActionResult> Metrics(int id, [FromQuery] AttributionModel? model, CancellationToken ct)
    {
        if (!ModelState.IsValid || (model is { } m && !Enum.IsDefined(m)))
        {
            return BadRequest();
        }

        var vm = await reports.GetMetricsPageAsync(id, model, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpGet("Report")]
    public async Task<IActionResult> Report([FromQuery] CampaignReportQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid || !IsDefined(query))
        {
            return BadRequest();
        }

        return View(await reports.GetReportAsync(query, ct));
    }

    [HttpGet("Report/Csv")]
    public async Task<IActionResult> ReportCsv([FromQuery] CampaignReportQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid || !IsDefined(query))
        {
            return BadRequest();
        }

        var (content, fileName) = await reports.ExportCsvAsync(query, ct);
        return File(content, "text/csv; charset=utf-8", fileName);
    }

    private static bool IsDefined(CampaignReportQuery query) =>
        Enum.IsDefined(query.Sort) && (query.Model is not { } m || Enum.IsDefined(m));
}
