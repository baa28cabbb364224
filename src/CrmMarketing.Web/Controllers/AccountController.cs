using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Users;
using CrmMarketing.Web.ViewModels.Account;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Controllers;

/// <summary>Sign-in, sign-out and one's own password. Accounts are created by administrators only.</summary>
/// <remarks>Signing out and changing one's password need a signed-in user with one of the staff roles.</remarks>
[Authorize(Policy = Policies.Staff)]
public sealed partial class AccountController(
    SignInManager<ApplicationUser> signIn,
    UserManager<ApplicationUser> userManager,
    UserAdminService userAdmin,
    SignInService signInService,
    IStringLocalizer<SharedResource> localizer,
    ILogger<AccountController> logger) : Controller
{
    [HttpGet]
    [AllowAnonymous]
    public IActionResult Login(string? returnUrl)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return RedirectToLocal(returnUrl);
        }

        return View(new LoginFormModel { ReturnUrl = returnUrl });
    }

    [HttpPost]
    [AllowAnonymous]
    public async Task<IActionResult> Login(LoginFormModel model, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(model);
        }

        // User names are the email addresses (UserAdminService.CreateAsync).
        var result = await signInService.PasswordSignInAsync(model.Email, model.Password, model.RememberMe, ct);
        if (result.Succeeded)
        {
            return RedirectToLocal(model.ReturnUrl);
        }

        if (result.IsLockedOut)
        {
            LogLockedOutSignIn(logger);
            ModelState.AddModelError(string.Empty, localizer["This account is locked. Try again later or ask an administrator."]);
        }
        else
        {
            // The same message whether the email is unknown or the password wrong.
            ModelState.AddModelError(string.Empty, localizer["Invalid email or password."]);
        }

        model.Password = string.Empty;
        return View(model);
    }

    [HttpPost]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(Login));
    }

    [HttpGet]
    [AllowAnonymous]
    public IActionResult AccessDenied()
    {
        // Cookie authentication redirects a refused request here; the page itself answers 403 so that the refusal is
        // a refusal for browsers, scripts and monitoring alike.
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet]
    public IActionResult ChangePassword() => View(new ChangePasswordFormModel());

    [HttpPost]
    public async Task<IActionResult> ChangePassword(ChangePasswordFormModel model, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(model);
        }

        var user = await userManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await userAdmin.ChangeOwnPasswordAsync(user, model.CurrentPassword, model.NewPassword, ct);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error);
            }

            return View(new ChangePasswordFormModel());
        }

        // The password change renewed the security stamp; re-issue this browser's cookie so it stays signed in.
        await signIn.RefreshSignInAsync(user);
        TempData["StatusMessage"] = localizer["Your password has been changed."].Value;
        return RedirectToAction(nameof(ChangePassword));
    }

    private IActionResult RedirectToLocal(string? returnUrl) =>
        Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToAction("Index", "Dashboard");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: the account is locked out.")]
    private static partial void LogLockedOutSignIn(ILogger logger);
}
