using System.Security.Claims;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Privacy;
using CrmMarketing.Web.ViewModels.Privacy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Data-subject requests about one customer: the subject-access export and erasure (administrators only).</summary>
[Authorize(Policy = Policies.Administration)]
public sealed class PrivacyController(ErasureService erasure, SubjectAccessExportService export, IStringLocalizer<SharedResource> l) : Controller
{
    /// <summary>Everything stored about the customer as a ZIP of JSON and CSV files, streamed.</summary>
    [HttpGet]
    public async Task<IActionResult> Export(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        if (!await export.ExistsAsync(id, ct))
        {
            return NotFound();
        }

        var actor = CurrentActor();
        return new StreamedFileResult(SubjectAccessExportService.ContentType, export.FileName(id),
            (body, token) => export.WriteZipAsync(id, actor, body, token));
    }

    [HttpGet]
    public async Task<IActionResult> Erase(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await erasure.GetAsync(id, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> Erase(int id, [Bind(Prefix = "Form")] EraseFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        var outcome = ModelState.IsValid ? await erasure.EraseAsync(id, form.Confirmation, CurrentActor(), ct) : EraseOutcome.ConfirmationMismatch;
        switch (outcome)
        {
            case EraseOutcome.Erased:
                TempData["StatusMessage"] = l["The customer's personal data was erased. Purchases and scores stay, without anything that identifies the person."].Value;
                return RedirectToAction("Details", "Customers", new { id });
            case EraseOutcome.AlreadyErased:
                TempData["StatusMessage"] = l["This customer was erased already."].Value;
                return RedirectToAction("Details", "Customers", new { id });
            case EraseOutcome.ConfirmationMismatch:
                var vm = await erasure.GetAsync(id, ct);
                if (vm is null)
                {
                    return NotFound();
                }

                ModelState.AddModelError("Form.Confirmation", l["Type the customer's name or id exactly as shown to confirm."]);
                return View(new EraseViewModel { Id = vm.Id, Name = vm.Name, Counts = vm.Counts, Form = form });
            default:
                return NotFound();
        }
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
