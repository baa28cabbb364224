using System.Security.Cryptography;
using System.Text;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Tracking;
using CrmMarketing.Web.ViewModels.Unsubscribe;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Controllers;

/// <summary>Replies to our SMS, posted by the gateway as a form (<c>from</c>, and <c>text</c> or <c>body</c>).
/// Authenticated by a shared secret in the <see cref="SecretHeader"/> header, compared in constant time; no
/// cookies, so no antiforgery. A stop word withdraws the sender's SMS consent.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[Route("hooks/sms/inbound")]
public class InboundSmsController(UnsubscribeService unsubscribe, IOptions<TrackingOptions> options) : Controller
{
    public const string SecretHeader = "X-Webhook-Secret";

    [HttpPost("")]
    public async Task<IActionResult> Receive([FromForm] InboundSmsModel message, CancellationToken ct)
    {
        var secret = options.Value.InboundSmsSecret;
        if (string.IsNullOrEmpty(secret))
        {
            return NotFound();
        }

        if (!SecretMatches(secret, Request.Headers[SecretHeader].ToString()))
        {
            return Unauthorized();
        }

        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var count = await unsubscribe.HandleInboundSmsAsync(message.From, message.Text ?? message.Body, options.Value.SmsStopWords, ct);
        return Ok(new { unsubscribed = count is not null, customers = count ?? 0 });
    }

    /// <summary>Hashing first makes the comparison independent of the lengths, as well as of the contents.</summary>
    private static bool SecretMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}
