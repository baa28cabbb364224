using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.ViewModels.Analytics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Staff)]
public class AnalyticsController(IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Rfm([FromServices] RfmService rfm, CancellationToken ct) =>
        View(await rfm.GetOverviewAsync(ct));

    [HttpGet]
    public async Task<IActionResult> Groups([FromServices] GroupStatsService groups, [FromQuery] GroupsQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await groups.GetAsync(query, ct));
    }

    [HttpGet]
    public async Task<IActionResult> GroupsCsv([FromServices] GroupStatsService groups, [FromQuery] GroupsQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var csv = await groups.ExportCsvAsync(query, ct);
        return File(csv, "text/csv; charset=utf-8", $"customer-groups-{query.Dimension.ToString().ToLowerInvariant()}.csv");
    }

    [HttpGet]
    public async Task<IActionResult> Habits([FromServices] HabitsService habits, [FromQuery] HabitsQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await habits.GetHabitsAsync(query, ct));
    }

    [HttpGet]
    public async Task<IActionResult> Cohorts([FromServices] HabitsService habits, CancellationToken ct) =>
        View(await habits.GetCohortsAsync(ct));

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> RefreshRfm([FromServices] RfmService rfm, CancellationToken ct)
    {
        var result = await rfm.RefreshAsync(ct);
        TempData["StatusMessage"] = l["RFM scores recomputed for {0} customers in {1} ms.", result.Customers, result.DurationMs].Value;
        return RedirectToAction(nameof(Rfm));
    }

    [HttpGet]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> Associations([FromServices] RecommendationService recommendations, CancellationToken ct) =>
        View(await recommendations.GetStrongestAsync(ct));

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> RefreshAssociations([FromServices] RecommendationService recommendations, CancellationToken ct)
    {
        var result = await recommendations.RefreshAsync(ct);
        TempData["StatusMessage"] = l["{0} product associations computed from {1} customers in {2} ms.", result.Rules, result.Customers, result.DurationMs].Value;
        return RedirectToAction(nameof(Associations));
    }
}
