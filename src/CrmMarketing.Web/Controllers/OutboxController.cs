using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.ViewModels.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>The message queue: what is waiting, sent, failed and why.</summary>
[Authorize(Policy = Policies.Marketing)]
public sealed class OutboxController(OutboxQueueService queue, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] OutboxQueueQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await queue.GetAsync(query, ct));
    }

    [HttpPost]
    public async Task<IActionResult> Retry(long id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)) || id <= 0)
        {
            return BadRequest();
        }

        var ok = await queue.RetryAsync(id, ct);
        SetStatus(ok, l["Message {0} queued again.", id], l["Message {0} is not failed; nothing changed.", id]);
        return RedirectToAction(nameof(Index));
    }

    [HttpPost]
    public async Task<IActionResult> Cancel(long id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)) || id <= 0)
        {
            return BadRequest();
        }

        var ok = await queue.CancelAsync(id, ct);
        SetStatus(ok, l["Message {0} cancelled.", id], l["Message {0} is no longer queued; nothing changed.", id]);
        return RedirectToAction(nameof(Index));
    }

    private void SetStatus(bool ok, string success, string failure)
    {
        TempData["StatusMessage"] = ok ? success : failure;
        if (!ok)
        {
            TempData["StatusError"] = true;
        }
    }
}
