using System.Security.Claims;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Messages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Sending one email or SMS to a customer from their page (Marketers and Admins).</summary>
[Authorize(Policy = Policies.Marketing)]
public class MessagesController(CustomerMessageService messages, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Compose(int id, [FromQuery] MessageChannel channel = MessageChannel.Email, [FromQuery] int? templateId = null, CancellationToken ct = default)
    {
        if (!ModelState.IsValid || !Enum.IsDefined(channel))
        {
            return BadRequest();
        }

        var vm = await messages.GetComposeAsync(id, new ComposeFormModel { Channel = channel, TemplateId = templateId }, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> Compose(int id, [Bind(Prefix = "Form")] ComposeFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (ModelState.IsValid)
        {
            var result = await messages.SendAsync(id, form, CurrentActor(), ct);
            switch (result.Outcome)
            {
                case SendOutcome.CustomerNotFound:
                    return NotFound();
                case SendOutcome.Queued:
                case SendOutcome.AlreadyQueued:
                    TempData["StatusMessage"] = l["Message queued for sending."].Value;
                    return RedirectToAction("Details", "Customers", new { id });
                default:
                    ModelState.AddModelError(string.Empty, Describe(result.Outcome));
                    break;
            }
        }

        var vm = await messages.GetComposeAsync(id, form, ct);
        return vm is null ? NotFound() : View(vm);
    }

    private string Describe(SendOutcome outcome) => outcome switch
    {
        SendOutcome.TemplateNotFound => l["The chosen template no longer exists."],
        SendOutcome.WrongChannel => l["The chosen template is for another channel."],
        SendOutcome.NoAddress => l["The customer has no valid address for this channel."],
        SendOutcome.NoConsent => l["The customer has not agreed to marketing messages on this channel."],
        SendOutcome.Suppressed => l["This address is on the suppression list (unsubscribed or bounced)."],
        _ => l["The message could not be queued."],
    };

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
