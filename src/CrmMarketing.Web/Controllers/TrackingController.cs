using CrmMarketing.Web.Services.Tracking;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers;

/// <summary>Open pixel and click redirect of tracked emails. Both take signed tokens; a click goes only to a URL
/// stored with the message when it was queued, never to one taken from the request.</summary>
[AllowAnonymous]
[Route("t")]
public class TrackingController(TrackingTokens tokens, TrackingService tracking) : Controller
{
    /// <summary>A transparent 1×1 GIF.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    [HttpGet("o/{token}")]
    public async Task<IActionResult> Open(string token, CancellationToken ct)
    {
        if (tokens.ReadOpen(token) is not { } messageId || !await tracking.RecordOpenAsync(messageId, UserAgent(), ct))
        {
            return InvalidLink();
        }

        Response.Headers.CacheControl = "no-store, no-cache, must-revalidate";
        return File(Pixel, "image/gif");
    }

    [HttpGet("c/{token}")]
    public async Task<IActionResult> Click(string token, CancellationToken ct)
    {
        var click = tokens.ReadClick(token);
        var url = click is null ? null : await tracking.RecordClickAsync(click.OutboxMessageId, click.LinkIndex, UserAgent(), ct);
        if (url is null)
        {
            return InvalidLink();
        }

        Response.Headers.CacheControl = "no-store";
        return Redirect(url);
    }

    private string? UserAgent() => Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null;

    private ViewResult InvalidLink()
    {
        var view = View("~/Views/Unsubscribe/Invalid.cshtml");
        view.StatusCode = StatusCodes.Status400BadRequest;
        return view;
    }
}
