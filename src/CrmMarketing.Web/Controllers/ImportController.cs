using System.Security.Claims;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Import;
using CrmMarketing.Web.ViewModels.Import;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>The import wizard: upload → map → dry run → import → history and revert.</summary>
[Authorize(Policy = Policies.ManageCustomers)]
public sealed class ImportController(ImportService imports, IStringLocalizer<SharedResource> l) : Controller
{
    /// <summary>The request limit of the upload: the largest file plus room for the multipart envelope.</summary>
    public const long MaxUploadRequestBytes = 201L * 1024 * 1024;

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await imports.GetIndexAsync(null, ct));

    [HttpPost]
    [RequestSizeLimit(MaxUploadRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxUploadRequestBytes)]
    public async Task<IActionResult> Upload(ImportUploadFormModel form, CancellationToken ct)
    {
        if (form.File is null || form.File.Length == 0)
        {
            ModelState.AddModelError(nameof(form.File), l["Choose a CSV file."]);
        }

        if (!ModelState.IsValid)
        {
            return View(nameof(Index), await imports.GetIndexAsync(form, ct));
        }

        await using var stream = form.File!.OpenReadStream();
        var result = await imports.UploadAsync(form.EntityType, form.File.FileName, stream, form.File.Length, form.TemplateId, CurrentActor(), ct);
        if (result.Outcome != ImportOutcome.Ok)
        {
            ModelState.AddModelError(nameof(form.File), result.Error!);
            return View(nameof(Index), await imports.GetIndexAsync(form, ct));
        }

        return RedirectToAction(nameof(Map), new { id = result.Id });
    }

    [HttpGet]
    public async Task<IActionResult> Map(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        var vm = await imports.GetMapAsync(id, null, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> Map(int id, ImportMapFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        if (ModelState.IsValid)
        {
            var errors = new Dictionary<string, string>(StringComparer.Ordinal);
            var result = await imports.SaveMappingAsync(id, form, CurrentActor(), errors, ct);
            if (result.Outcome == ImportOutcome.NotFound)
            {
                return NotFound();
            }

            if (result.Outcome == ImportOutcome.Ok)
            {
                return RedirectToAction(nameof(Details), new { id });
            }

            foreach (var (key, message) in errors)
            {
                ModelState.AddModelError(key, message);
            }

            if (result.Error is not null)
            {
                ModelState.AddModelError(string.Empty, result.Error);
            }
        }

        var vm = await imports.GetMapAsync(id, form, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpGet]
    public async Task<IActionResult> Details(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        var vm = await imports.GetDetailsAsync(id, ct);
        return vm is null ? NotFound() : View(vm);
    }

    /// <summary>Polled by the progress bar.</summary>
    [HttpGet]
    public async Task<IActionResult> Progress(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        var progress = await imports.GetProgressAsync(id, ct);
        if (progress is null)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        return Json(progress);
    }

    [HttpPost]
    public async Task<IActionResult> Start(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        var result = await imports.StartAsync(id, ct);
        if (result.Outcome == ImportOutcome.NotFound)
        {
            return NotFound();
        }

        SetStatus(result);
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpPost]
    public async Task<IActionResult> Revert(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        var result = await imports.RevertAsync(id, CurrentActor(), ct);
        if (result.Outcome == ImportOutcome.NotFound)
        {
            return NotFound();
        }

        SetStatus(result);
        return RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>The dry-run report or the error file of the run, as CSV.</summary>
    [HttpGet]
    public async Task<IActionResult> Report(int id, ImportPhase phase, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)) || !ModelState.IsValid || !Enum.IsDefined(phase))
        {
            return BadRequest();
        }

        if (!await imports.ExistsAsync(id, ct))
        {
            return NotFound();
        }

        return new StreamedFileResult("text/csv; charset=utf-8", imports.ReportFileName(id, phase),
            async (body, token) => await imports.WriteReportAsync(id, phase, body, token));
    }

    [HttpPost]
    public async Task<IActionResult> DeleteTemplate(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound(nameof(id)))
        {
            return BadRequest();
        }

        return await imports.DeleteTemplateAsync(id, ct) ? RedirectToAction(nameof(Index)) : NotFound();
    }

    private void SetStatus(ImportResult result)
    {
        if (result.Error is not null)
        {
            TempData["StatusMessage"] = result.Error;
            TempData["StatusError"] = result.Outcome != ImportOutcome.Ok;
        }
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
