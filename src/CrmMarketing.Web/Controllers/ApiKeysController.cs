using System.Security.Claims;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Api;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.ApiKeys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Keys for the ingestion API: created (the key is shown once), listed and revoked by administrators.</summary>
[Authorize(Policy = Policies.Administration)]
public sealed class ApiKeysController(ApiKeyService keys, IStringLocalizer<SharedResource> localizer) : Controller
{
    private const string NewKeyTempData = "ApiKeyCreated";

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        // The page may carry a new key: never cache it.
        Response.Headers.CacheControl = "no-store";
        return View(new ApiKeyListViewModel { Rows = await keys.ListAsync(ct), NewKey = TempData[NewKeyTempData] as string });
    }

    [HttpPost]
    public async Task<IActionResult> Create([Bind(Prefix = nameof(ApiKeyListViewModel.Form))] ApiKeyFormModel form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(nameof(Index), new ApiKeyListViewModel { Rows = await keys.ListAsync(ct), Form = form });
        }

        // Carried to the next page view only (TempData is encrypted and removed once read); the database keeps the hash.
        TempData[NewKeyTempData] = await keys.CreateAsync(form, CurrentActor(), ct);
        return RedirectToAction(nameof(Index));
    }

    [HttpPost]
    public async Task<IActionResult> Revoke(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        if (await keys.RevokeAsync(id, CurrentActor(), ct))
        {
            TempData["StatusMessage"] = localizer["The API key was revoked; requests with it are refused from now on."].Value;
        }
        else
        {
            TempData["StatusMessage"] = localizer["The API key does not exist or was revoked already."].Value;
            TempData["StatusError"] = true;
        }

        return RedirectToAction(nameof(Index));
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
