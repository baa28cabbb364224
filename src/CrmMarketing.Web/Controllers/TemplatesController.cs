using System.Security.Claims;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.ViewModels.Templates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Email and SMS templates: Marketers and Admins only.</summary>
[Authorize(Policy = Policies.Marketing)]
public class TemplatesController(TemplateService templates, CustomerMessageService messages, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await templates.ListAsync(ct));

    [HttpGet]
    public IActionResult Create([FromQuery] MessageChannel channel = MessageChannel.Email)
    {
        if (!ModelState.IsValid || !Enum.IsDefined(channel))
        {
            return BadRequest();
        }

        var form = new TemplateFormModel { Channel = channel, TrackingEnabled = channel == MessageChannel.Email };
        return View("Edit", new TemplateEditViewModel { Form = form });
    }

    [HttpPost]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] TemplateFormModel form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View("Edit", new TemplateEditViewModel { Form = form });
        }

        var result = await templates.CreateAsync(form, CurrentActor(), ct);
        if (result.Outcome != TemplateSaveOutcome.Saved)
        {
            AddError(result);
            return View("Edit", new TemplateEditViewModel { Form = form });
        }

        TempData["StatusMessage"] = l["Template saved."].Value;
        return RedirectToAction(nameof(Edit), new { id = result.Id });
    }

    [HttpGet]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await templates.GetForEditAsync(id, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    public async Task<IActionResult> Edit(int id, [Bind(Prefix = "Form")] TemplateFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            return View(new TemplateEditViewModel { Id = id, Form = form });
        }

        var result = await templates.UpdateAsync(id, form, CurrentActor(), ct);
        if (result.Outcome == TemplateSaveOutcome.NotFound)
        {
            return NotFound();
        }

        if (result.Outcome != TemplateSaveOutcome.Saved)
        {
            AddError(result);
            return View(new TemplateEditViewModel { Id = id, Form = form });
        }

        TempData["StatusMessage"] = l["Template saved."].Value;
        return RedirectToAction(nameof(Edit), new { id });
    }

    [HttpPost]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!await templates.DeleteAsync(id, CurrentActor(), ct))
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Template deleted."].Value;
        return RedirectToAction(nameof(Index));
    }

    /// <summary>The template merged for one customer, found by id, email or name.</summary>
    [HttpGet]
    public async Task<IActionResult> Preview(int id, [FromQuery] string? customer, CancellationToken ct)
    {
        if (!ModelState.IsValid || customer?.Length > Customer.EmailMaxLength)
        {
            return BadRequest();
        }

        var vm = await templates.PreviewAsync(id, customer, CurrentActor(), ct);
        return vm is null ? NotFound() : View(vm);
    }

    /// <summary>Queues the template to the current user, merged for the previewed customer (or example values).
    /// The form's key makes a double submit queue one message.</summary>
    [HttpPost]
    public async Task<IActionResult> SendTest(int id, [FromForm] string? customer, [FromForm] string? key, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || customer?.Length > Customer.EmailMaxLength
            || key is null || key.Length != 32 || !key.All(char.IsAsciiHexDigitLower))
        {
            return BadRequest();
        }

        var result = await messages.SendTestAsync(id, customer, key, CurrentActor(), ct);
        switch (result.Outcome)
        {
            case SendOutcome.TemplateNotFound:
                return NotFound();
            case SendOutcome.NoAddress:
                TempData["StatusMessage"] = l["Your account has no address for this channel, so no test was sent."].Value;
                TempData["StatusError"] = true;
                break;
            default:
                TempData["StatusMessage"] = l["Test message queued for you."].Value;
                break;
        }

        return RedirectToAction(nameof(Preview), new { id, customer });
    }

    private void AddError(TemplateSaveResult result)
    {
        switch (result.Outcome)
        {
            case TemplateSaveOutcome.DuplicateName:
                ModelState.AddModelError("Form.Name", l["Another template of this channel already has this name."]);
                break;
            case TemplateSaveOutcome.UnknownFields:
                ModelState.AddModelError(string.Empty, l["Unknown merge fields: {0}. Use only the fields listed beside the editor.",
                    string.Join(", ", result.UnknownFields!.Select(u => "{{" + u + "}}"))]);
                break;
        }
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
