using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.ViewModels.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Administration)]
public sealed class AuditController(AuditService audit, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] AuditListQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        // Personal values are shown to administrators only; the screen is theirs today, the masking is not tied to it.
        return View(await audit.ListAsync(query, User.IsInRole(Roles.Admin), ct));
    }

    [HttpPost]
    public async Task<IActionResult> Verify(CancellationToken ct)
    {
        var result = await audit.VerifyAsync(ct);
        if (result.Ok)
        {
            TempData["StatusMessage"] = l["The audit chain is intact ({0} entries checked).", result.Checked].Value;
        }
        else
        {
            TempData["StatusMessage"] = l["The audit chain is broken at entry {0}: it was changed or a row before it was removed.", result.BrokenEntryId!].Value;
            TempData["StatusError"] = true;
        }

        return RedirectToAction(nameof(Index));
    }
}
