using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Users;
using CrmMarketing.Web.ViewModels.Users;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

[Authorize(Policy = Policies.Administration)]
public sealed class UsersController(
    UserAdminService userAdmin,
    UserManager<ApplicationUser> userManager,
    IStringLocalizer<SharedResource> localizer) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(await userAdmin.ListAsync(userManager.GetUserId(User), ct));

    [HttpGet]
    public IActionResult Create() => View(new UserCreateFormModel());

    [HttpPost]
    public async Task<IActionResult> Create(UserCreateFormModel model, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(ClearPasswords(model));
        }

        var result = await userAdmin.CreateAsync(model, ct);
        if (!result.Succeeded)
        {
            AddErrors(result);
            return View(ClearPasswords(model));
        }

        return Done(localizer["User {0} was created.", model.Email.Trim()]);
    }

    [HttpPost]
    public async Task<IActionResult> ChangeRole(string id, ChangeRoleFormModel model, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Failed(localizer["Choose one of the listed roles."]);
        }

        var result = await userAdmin.ChangeRoleAsync(id, model.Role, ct);
        return result.Succeeded ? Done(localizer["The role was changed."]) : Failed(result);
    }

    [HttpPost]
    public async Task<IActionResult> Lock(string id, CancellationToken ct)
    {
        var result = await userAdmin.LockAsync(id, userManager.GetUserId(User), ct);
        return result.Succeeded ? Done(localizer["The user was locked. Their open sessions end within a few minutes."]) : Failed(result);
    }

    [HttpPost]
    public async Task<IActionResult> Unlock(string id, CancellationToken ct)
    {
        var result = await userAdmin.UnlockAsync(id, ct);
        return result.Succeeded ? Done(localizer["The user was unlocked."]) : Failed(result);
    }

    [HttpGet]
    public async Task<IActionResult> ResetPassword(string id, CancellationToken ct)
    {
        var user = await userAdmin.GetSummaryAsync(id, ct);
        return user is null ? NotFound() : View(new ResetPasswordViewModel { User = user });
    }

    [HttpPost]
    public async Task<IActionResult> ResetPassword(string id, [Bind(Prefix = nameof(ResetPasswordViewModel.Form))] ResetPasswordFormModel form, CancellationToken ct)
    {
        var user = await userAdmin.GetSummaryAsync(id, ct);
        if (user is null)
        {
            return NotFound();
        }

        if (ModelState.IsValid)
        {
            var result = await userAdmin.ResetPasswordAsync(id, form.NewPassword, ct);
            if (result.Succeeded)
            {
                return Done(localizer["The password of {0} was reset.", user.Email]);
            }

            AddErrors(result);
        }

        return View(new ResetPasswordViewModel { User = user });
    }

    private RedirectToActionResult Done(LocalizedString message)
    {
        TempData["StatusMessage"] = message.Value;
        return RedirectToAction(nameof(Index));
    }

    private RedirectToActionResult Failed(UserAdminResult result) =>
        Failed(string.Join(" ", result.Errors));

    private RedirectToActionResult Failed(string message)
    {
        TempData["StatusMessage"] = message;
        TempData["StatusError"] = true;
        return RedirectToAction(nameof(Index));
    }

    private void AddErrors(UserAdminResult result)
    {
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(string.Empty, error);
        }
    }

    private static UserCreateFormModel ClearPasswords(UserCreateFormModel model)
    {
        model.Password = string.Empty;
        model.ConfirmPassword = string.Empty;
        return model;
    }
}
