using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
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

    [HttpPost]
    [Authorize(Policy = Policies.Marketing)]
    public async Task<IActionResult> RefreshRfm([FromServices] RfmService rfm, CancellationToken ct)
    {
        var result = await rfm.RefreshAsync(ct);
        TempData["StatusMessage"] = l["RFM scores recomputed for {0} customers in {1} ms.", result.Customers, result.DurationMs].Value;
        return RedirectToAction(nameof(Rfm));
    }
}
