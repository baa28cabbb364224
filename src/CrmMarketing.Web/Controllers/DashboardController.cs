using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Analytics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Staff)]
public class DashboardController(DashboardService dashboard) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await dashboard.GetAsync(ct));
}
