using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.Feedback;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Staff)]
public class FeedbackController(FeedbackService feedback, FeedbackAnalyticsService analytics, CustomerService customers, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] FeedbackListQuery query, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await feedback.ListAsync(query, Viewer(), ct));
    }

    [HttpGet]
    public async Task<IActionResult> Create([FromQuery] int? customerId, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await feedback.GetCreateAsync(form: null, customerId, ct));
    }

    [HttpPost]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] FeedbackFormModel form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var result = await feedback.CreateAsync(form, Viewer(), ct);
            switch (result.Outcome)
            {
                case FeedbackOutcome.Saved:
                    TempData["StatusMessage"] = l["Feedback logged."].Value;
                    return form.ReturnToCustomer
                        ? RedirectToAction("Details", "Customers", new { id = result.CustomerId })
                        : RedirectToAction(nameof(Index));
                case FeedbackOutcome.UnknownCustomer:
                    ModelState.AddModelError("Form.CustomerId", l["Choose a customer."]);
                    break;
                case FeedbackOutcome.UnknownProduct:
                    ModelState.AddModelError("Form.ProductId", l["A chosen product no longer exists."]);
                    break;
            }
        }

        return View(await feedback.GetCreateAsync(form, form.CustomerId, ct));
    }

    /// <summary>The customer picker's suggestions as JSON (read by feedback-create.js).</summary>
    [HttpGet]
    public async Task<IActionResult> CustomerLookup([FromQuery] string? q, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return Json(await customers.LookupAsync(q, ct));
    }

    [HttpGet]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var (outcome, vm) = await feedback.GetForEditAsync(id, Viewer(), ct);
        return outcome switch
        {
            FeedbackOutcome.Saved => View(vm),
            FeedbackOutcome.NotFound => NotFound(),
            FeedbackOutcome.EditWindowClosed => EditWindowClosed(),
            _ => Forbid(),
        };
    }

    [HttpPost]
    public async Task<IActionResult> Edit(int id, [Bind(Prefix = "Form")] FeedbackFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id"))
        {
            return BadRequest();
        }

        if (!ModelState.IsValid)
        {
            var (check, current) = await feedback.GetForEditAsync(id, Viewer(), ct);
            if (check != FeedbackOutcome.Saved)
            {
                return check == FeedbackOutcome.NotFound ? NotFound() : check == FeedbackOutcome.EditWindowClosed ? EditWindowClosed() : Forbid();
            }

            form.CustomerId = current!.Form.CustomerId;
            form.CustomerName = current.Form.CustomerName;
            return View(new FeedbackEditViewModel { Id = id, Form = form, Products = current.Products });
        }

        var result = await feedback.UpdateAsync(id, form, Viewer(), ct);
        switch (result.Outcome)
        {
            case FeedbackOutcome.Saved:
                TempData["StatusMessage"] = l["Feedback saved."].Value;
                return RedirectToAction(nameof(Index));
            case FeedbackOutcome.NotFound:
                return NotFound();
            case FeedbackOutcome.EditWindowClosed:
                return EditWindowClosed();
            case FeedbackOutcome.UnknownProduct:
                ModelState.AddModelError("Form.ProductId", l["A chosen product no longer exists."]);
                var (_, again) = await feedback.GetForEditAsync(id, Viewer(), ct);
                return View(new FeedbackEditViewModel { Id = id, Form = form, Products = again?.Products ?? [] });
            default:
                return Forbid();
        }
    }

    [HttpPost]
    public async Task<IActionResult> SetStatus(int id, FeedbackStatusFormModel form, CancellationToken ct)
    {
        if (ModelState.IsUnbound("id") || !ModelState.IsValid)
        {
            return BadRequest();
        }

        var result = await feedback.SetStatusAsync(id, form.Status!.Value, Viewer(), ct);
        switch (result.Outcome)
        {
            case FeedbackOutcome.Saved:
                TempData["StatusMessage"] = l["Status changed."].Value;
                return RedirectToAction(nameof(Index));
            case FeedbackOutcome.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
    }

    [HttpGet]
    public async Task<IActionResult> Analytics([FromQuery] DateOnly? from, [FromQuery] DateOnly? to, [FromQuery] int? segment, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        return View(await analytics.GetAnalyticsAsync(from, to, Viewer(), l, ct, segment));
    }

    private RedirectToActionResult EditWindowClosed()
    {
        TempData["StatusMessage"] = l["Feedback can only be changed by its author within {0} hours of logging it.", (int)FeedbackService.EditWindow.TotalHours].Value;
        TempData["StatusError"] = true;
        return RedirectToAction(nameof(Index));
    }

    private FeedbackViewer Viewer() => User.ToFeedbackViewer();
}
