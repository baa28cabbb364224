using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using Microsoft.AspNetCore.Identity;

namespace CrmMarketing.Web.Services.Users;

/// <summary>Password sign-in, with every success, failure and lockout written to the audit log.</summary>
public sealed class SignInService(
    SignInManager<ApplicationUser> signIn,
    UserManager<ApplicationUser> users,
    AuditService audit)
{
    public async Task<SignInResult> PasswordSignInAsync(string email, string password, bool remember, CancellationToken ct)
    {
        var userName = email.Trim();
        var result = await signIn.PasswordSignInAsync(userName, password, remember, lockoutOnFailure: true);

        // An unknown name is recorded as typed (cut to the column's length) with no user id.
        var user = await users.FindByNameAsync(userName);
        var action = result.Succeeded ? AuditActions.SignIn
            : result.IsLockedOut ? AuditActions.Lockout
            : AuditActions.SignInFailed;
        await audit.RecordAsync(action, AuditEntityTypes.User, user?.Id, null, ct, new AuditActor(user?.Id, user?.UserName ?? userName));
        return result;
    }
}
