using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Tracking;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers;

/// <summary>The public unsubscribe link of marketing messages. GET only shows a confirmation button, so link
/// scanners that follow links unsubscribe nobody; the button's POST (with antiforgery) or an RFC 8058 one-click
/// POST does. A forged or expired token gets a friendly 400 page.</summary>
[AllowAnonymous]
[Route("unsubscribe/{token}")]
public class UnsubscribeController(TrackingTokens tokens, UnsubscribeService unsubscribe) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string token, CancellationToken ct)
    {
        var parsed = tokens.ReadUnsubscribe(token);
        var vm = parsed is null ? null : await unsubscribe.GetPageAsync(parsed, token, ct);
        return vm is null ? InvalidLink() : View(vm);
    }

    [HttpPost("")]
    [ActionName("Index")]
    public async Task<IActionResult> Confirm(string token, CancellationToken ct)
    {
        var parsed = tokens.ReadUnsubscribe(token);
        if (parsed is null || !await unsubscribe.UnsubscribeAsync(parsed, UnsubscribeMethod.ConfirmationPage, ct))
        {
            return InvalidLink();
        }

        return RedirectToAction(nameof(Index), new { token });
    }

    /// <summary>RFC 8058: the mailbox provider POSTs <c>List-Unsubscribe=One-Click</c> to the List-Unsubscribe URL.</summary>
    [HttpPost("")]
    [ActionName("Index")]
    [OneClickUnsubscribe]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> OneClick(string token, CancellationToken ct)
    {
        var parsed = tokens.ReadUnsubscribe(token);
        if (parsed is null || !await unsubscribe.UnsubscribeAsync(parsed, UnsubscribeMethod.OneClick, ct))
        {
            return InvalidLink();
        }

        return View("Done");
    }

    private ViewResult InvalidLink()
    {
        var view = View("Invalid");
        view.StatusCode = StatusCodes.Status400BadRequest;
        return view;
    }
}
