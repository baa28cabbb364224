using System.Security.Claims;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.ViewModels.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Staff)]
public class DashboardController(DashboardService dashboard, IAuthorizationService authorization) : Controller
{
    /// <summary>The analytics dashboard for Marketers and Admins; Sales users land on their own page.</summary>
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] DashboardQuery query, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Marketing)).Succeeded)
        {
            return RedirectToAction(nameof(Mine));
        }

        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await dashboard.GetAsync(query, ct));
    }

    /// <summary>The user's own customers, calls, follow-ups and feedback.</summary>
    [HttpGet]
    public async Task<IActionResult> Mine(CancellationToken ct)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return Forbid();
        }

        return View(await dashboard.GetSalesHomeAsync(userId, ct));
    }
}
