using System.Security.Claims;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Communication;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Staff)]
public class CustomersController(
    CustomerService customers,
    PurchaseService purchases,
    TimelineService timeline,
    CallService calls,
    CustomerExportService export,
    HabitsService habits,
    RecommendationService recommendations,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] CustomerListQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await customers.ListAsync(query, ct));
    }

    /// <summary>The list's current filters and order as a CSV download (paging is ignored).</summary>
    [HttpGet]
    [Authorize(Policy = Policies.ExportCustomers)]
    public IActionResult Export([FromQuery] CustomerListQuery query)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return new StreamedFileResult(CustomerExportService.ContentType, export.FileName(),
            (body, ct) => export.WriteCsvAsync(query, body, ct));
    }

    [HttpGet]
    public async Task<IActionResult> Details(int id, [FromQuery] int page = 1, CancellationToken ct = default)
    {
        if (!ModelState.IsValid || page < 1)
        {
            return BadRequest();
        }

        var vm = await customers.GetDetailsAsync(id, page, ct);
        if (vm is null)
        {
            return NotFound();
        }

        vm.Habits = await habits.GetCustomerHabitsAsync(id, ct);
        vm.Recommendations = await recommendations.GetForCustomerAsync(id, null, ct);
        return View(vm);
    }

    /// <summary>Older timeline entries, as an HTML fragment appended by customer-details.js.</summary>
    [HttpGet]
    public async Task<IActionResult> Timeline(int id, [FromQuery] long before, CancellationToken ct)
    {
        if (!ModelState.IsValid || before <= 0 || before > DateTime.MaxValue.Ticks)
        {
            return BadRequest();
        }

        var vm = await timeline.GetAsync(id, new DateTime(before, DateTimeKind.Utc), ct);
        return PartialView("_TimelineEntries", vm);
    }

    [HttpGet]
    [Authorize(Policy = Policies.ManageCustomers)]
    public IActionResult Create() => View("Edit", new CustomerEditViewModel { Form = new CustomerFormModel() });

    [HttpPost]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] CustomerFormModel form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View("Edit", new CustomerEditViewModel { Form = form });
        }

        var result = await customers.CreateAsync(form, CurrentActor(), ct);
        if (result.Outcome == SaveOutcome.Duplicates)
        {
            return View("Edit", new CustomerEditViewModel { Form = form, Duplicates = result.Duplicates! });
        }

        TempData["StatusMessage"] = l["Customer created."].Value;
        return RedirectToAction(nameof(Details), new { id = result.Id });
    }

    [HttpGet]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await customers.GetForEditAsync(id, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> Edit(int id, [Bind(Prefix = "Form")] CustomerFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            return View(new CustomerEditViewModel { Id = id, Form = form });
        }

        var result = await customers.UpdateAsync(id, form, CurrentActor(), ct);
        switch (result.Outcome)
        {
            case SaveOutcome.NotFound:
                return NotFound();
            case SaveOutcome.Conflict:
                ModelState.AddModelError(string.Empty, l["Someone else changed this customer after you opened it. Reload to see their changes, then apply yours again."]);
                return View(new CustomerEditViewModel { Id = id, Form = form, Conflict = true });
            case SaveOutcome.Duplicates:
                return View(new CustomerEditViewModel { Id = id, Form = form, Duplicates = result.Duplicates! });
            default:
                TempData["StatusMessage"] = l["Customer saved."].Value;
                return RedirectToAction(nameof(Details), new { id });
        }
    }

    [HttpPost]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> Archive(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!await customers.SetArchivedAsync(id, archived: true, CurrentActor(), ct))
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Customer archived."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpPost]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> Restore(int id, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!await customers.SetArchivedAsync(id, archived: false, CurrentActor(), ct))
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Customer restored."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpPost]
    public async Task<IActionResult> AddNote(int id, [Bind(Prefix = "NewNote")] NoteFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            TempData["StatusMessage"] = l["The note is empty or too long (at most {0} characters).", Domain.CustomerNote.BodyMaxLength].Value;
            TempData["StatusError"] = true;
            return RedirectToAction(nameof(Details), new { id });
        }

        if (!await customers.AddNoteAsync(id, form, CurrentActor(), ct))
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Note added."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>Logs a phone call from the details page; every staff role may.</summary>
    [HttpPost]
    [Authorize(Policy = Policies.Staff)]
    public async Task<IActionResult> LogCall(int id, [Bind(Prefix = "NewCall")] CallFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            var vm = await customers.GetDetailsAsync(id, 1, ct);
            if (vm is null)
            {
                return NotFound();
            }

            vm.NewCall = form;
            vm.Habits = await habits.GetCustomerHabitsAsync(id, ct);
            return View(nameof(Details), vm);
        }

        var result = await calls.LogAsync(id, form, CurrentActor(), ct);
        if (result.Outcome == CallLogOutcome.NotFound)
        {
            return NotFound();
        }

        TempData["StatusMessage"] = l["Call logged."].Value;
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpGet]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> RecordPurchase(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var vm = await purchases.GetCreateAsync(id, form: null, ct);
        return vm is null ? NotFound() : View(vm);
    }

    [HttpPost]
    [Authorize(Policy = Policies.ManageCustomers)]
    public async Task<IActionResult> RecordPurchase(int id, [Bind(Prefix = "Form")] PurchaseFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (ModelState.IsValid)
        {
            var result = await purchases.RecordAsync(id, form, CurrentActor(), ct);
            switch (result.Outcome)
            {
                case PurchaseOutcome.CustomerNotFound:
                    return NotFound();
                case PurchaseOutcome.Saved:
                    TempData["StatusMessage"] = l["Purchase recorded."].Value;
                    return RedirectToAction(nameof(Details), new { id });
                case PurchaseOutcome.DuplicateOrderNumber:
                    ModelState.AddModelError("Form.OrderNumber", l["This order number is already used."]);
                    break;
                case PurchaseOutcome.UnknownProduct:
                    ModelState.AddModelError(string.Empty, l["A chosen product no longer exists."]);
                    break;
            }
        }

        var vm = await purchases.GetCreateAsync(id, form, ct);
        return vm is null ? NotFound() : View(vm);
    }

    private Actor CurrentActor() => new(User.FindFirstValue(ClaimTypes.NameIdentifier), User.Identity?.Name ?? "unknown");
}
