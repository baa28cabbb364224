using CrmMarketing.Web.Resources;

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Users;

/// <summary>Identity's messages through the shared localizer, and without echoing emails or user names back.</summary>
public sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<SharedResource> localizer) : IdentityErrorDescriber
{
    public override IdentityError DefaultError() =>
        Error(nameof(DefaultError), "The operation failed. Please try again.");

    public override IdentityError ConcurrencyFailure() =>
        Error(nameof(ConcurrencyFailure), "Someone else changed this user at the same time. Reload and try again.");

    public override IdentityError PasswordMismatch() =>
        Error(nameof(PasswordMismatch), "The current password is incorrect.");

    public override IdentityError InvalidToken() =>
        Error(nameof(InvalidToken), "The password reset could not be verified. Please try again.");

    public override IdentityError InvalidUserName(string? userName) =>
        Error(nameof(InvalidUserName), "Enter a valid email address.");

    public override IdentityError InvalidEmail(string? email) =>
        Error(nameof(InvalidEmail), "Enter a valid email address.");

    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateUserName), "A user with this email address already exists.");

    public override IdentityError DuplicateEmail(string email) =>
        Error(nameof(DuplicateEmail), "A user with this email address already exists.");

    public override IdentityError UserAlreadyInRole(string role) =>
        Error(nameof(UserAlreadyInRole), "The user already has this role.");

    public override IdentityError UserNotInRole(string role) =>
        Error(nameof(UserNotInRole), "The user does not have this role.");

    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = localizer["The password must be at least {0} characters long.", length] };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        new() { Code = nameof(PasswordRequiresUniqueChars), Description = localizer["The password must contain at least {0} different characters.", uniqueChars] };

    private IdentityError Error(string code, string text) => new() { Code = code, Description = localizer[text] };
}
