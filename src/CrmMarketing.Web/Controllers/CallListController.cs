using System.Security.Claims;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Campaigns;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers;

/// <summary>"My call list": the customers the running phone activities gave the signed-in user to call.</summary>
[Authorize(Policy = Policies.Staff)]
public class CallListController(CampaignLaunchService launches) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] bool open, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is null ? Forbid() : View(await launches.CallListAsync(userId, open, ct));
    }
}
