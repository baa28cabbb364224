using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.ViewModels.Settings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Effective messaging configuration and per-channel test messages.</summary>
[Authorize(Policy = Policies.Administration)]
public sealed class SettingsController(MessagingSettingsService settings, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await settings.GetAsync(User, null, ct));

    [HttpPost]
    public async Task<IActionResult> TestEmail(CancellationToken ct)
    {
        var ok = await settings.SendTestEmailAsync(User, l["CrmMarketing test email"], l["This is a test message from the CrmMarketing settings page."], ct);
        TempData["StatusMessage"] = ok ? l["Test email queued to your address."].Value : l["Your account has no email address."].Value;
        if (!ok)
        {
            TempData["StatusError"] = true;
        }

        return RedirectToAction(nameof(Index));
    }

    [HttpPost]
    public async Task<IActionResult> TestSms([Bind(Prefix = "TestSms")] TestSmsFormModel form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(nameof(Index), await settings.GetAsync(User, form, ct));
        }

        await settings.SendTestSmsAsync(User, form.Phone!, l["This is a test message from the CrmMarketing settings page."], ct);
        TempData["StatusMessage"] = l["Test SMS queued."].Value;
        return RedirectToAction(nameof(Index));
    }
}
