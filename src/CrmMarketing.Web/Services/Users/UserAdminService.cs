using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.ViewModels.Users;

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Users;

public enum UserAdminOutcome
{
    Succeeded,
    NotFound,

    /// <summary>Identity rejected the input (duplicate email, short password, wrong current password …).</summary>
    Rejected,

    /// <summary>The change would leave no active administrator.</summary>
    LastAdmin,

    /// <summary>An administrator tried to lock their own account.</summary>
    SelfLockout,
}

public sealed record UserAdminResult(UserAdminOutcome Outcome, IReadOnlyList<string> Errors)
{
    public static UserAdminResult Success { get; } = new(UserAdminOutcome.Succeeded, []);

    public bool Succeeded => Outcome == UserAdminOutcome.Succeeded;
}

/// <summary>User accounts: the administration list, creation, roles, locks and passwords.</summary>
public sealed partial class UserAdminService(
    CrmDbContext db,
    UserManager<ApplicationUser> users,
    AuditService audit,
    TimeProvider time,
    IStringLocalizer<SharedResource> localizer,
    ILogger<UserAdminService> logger)
{
    /// <summary>An administrator's lock has no end; a sign-in lockout ends after minutes.</summary>
    public static readonly DateTimeOffset LockedIndefinitely = DateTimeOffset.MaxValue;

    public async Task<UserListViewModel> ListAsync(string? currentUserId, CancellationToken ct)
    {
        // Staff accounts number in the tens: one query, no paging.
        var rows = await (
                from u in db.Users.AsNoTracking()
                orderby u.Email
                select new
                {
                    u.Id,
                    u.Email,
                    u.DisplayName,
                    u.LockoutEnd,
                    u.CreatedAt,
                    u.UpdatedAt,
                    Role = (from ur in db.UserRoles
                            join r in db.Roles on ur.RoleId equals r.Id
                            where ur.UserId == u.Id
                            orderby r.Name
                            select r.Name).FirstOrDefault(),
                })
            .ToListAsync(ct);

        return new UserListViewModel
        {
            Rows = rows
                .Select(r => new UserRowViewModel(r.Id, r.Email ?? string.Empty, r.DisplayName, r.Role, r.LockoutEnd, r.UpdatedAt ?? r.CreatedAt))
                .ToList(),
            CurrentUserId = currentUserId,
            Now = time.GetUtcNow(),
        };
    }

    public Task<UserSummaryViewModel?> GetSummaryAsync(string id, CancellationToken ct) =>
        db.Users.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new UserSummaryViewModel(u.Id, u.Email ?? string.Empty, u.DisplayName))
            .SingleOrDefaultAsync(ct);

    public async Task<UserAdminResult> CreateAsync(UserCreateFormModel form, CancellationToken ct)
    {
        if (!Roles.All.Contains(form.Role))
        {
            return Rejected("Choose one of the listed roles.");
        }

        var email = form.Email.Trim();
        var now = time.GetUtcNow().UtcDateTime;
        var user = new ApplicationUser
        {
            // Sign-in looks the account up by user name, so it is always the email address.
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = form.DisplayName.Trim(),
            CreatedAt = now,
        };

        // The account and its role appear together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, form.Password);
        if (!created.Succeeded)
        {
            return Rejected(created);
        }

        var added = await users.AddToRoleAsync(user, form.Role);
        if (!added.Succeeded)
        {
            return Rejected(added);
        }

        await audit.RecordAsync(AuditActions.UserCreate, AuditEntityTypes.User, user.Id,
            [new("Email", null, email), new("Role", null, form.Role)], ct);
        await transaction.CommitAsync(ct);
        LogCreated(logger, user.Id, form.Role);
        return UserAdminResult.Success;
    }

    public async Task<UserAdminResult> ChangeRoleAsync(string id, string role, CancellationToken ct)
    {
        if (!Roles.All.Contains(role))
        {
            return Rejected("Choose one of the listed roles.");
        }

        // On SQLite this takes the write lock before the admin count, so two concurrent demotions cannot both pass.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role)
        {
            return UserAdminResult.Success;
        }

        if (current.Contains(Roles.Admin) && role != Roles.Admin && !await AnotherActiveAdminExistsAsync(user.Id, ct))
        {
            return LastAdmin();
        }

        if (current.Count > 0)
        {
            var removed = await users.RemoveFromRolesAsync(user, current);
            if (!removed.Succeeded)
            {
                return Rejected(removed);
            }
        }

        user.UpdatedAt = time.GetUtcNow().UtcDateTime;
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            return Rejected(added);
        }

        // A new role should not wait for the cookie's next validation to take effect.
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(AuditActions.RoleChange, AuditEntityTypes.User, user.Id,
            [new("Role", current.Count == 0 ? null : string.Join(", ", current), role)], ct);
        await transaction.CommitAsync(ct);
        LogRoleChanged(logger, user.Id, role);
        return UserAdminResult.Success;
    }

    public async Task<UserAdminResult> LockAsync(string id, string? actingUserId, CancellationToken ct)
    {
        if (string.Equals(id, actingUserId, StringComparison.Ordinal))
        {
            return new UserAdminResult(UserAdminOutcome.SelfLockout, [localizer["You cannot lock your own account."]]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        if (await users.IsInRoleAsync(user, Roles.Admin) && !await AnotherActiveAdminExistsAsync(user.Id, ct))
        {
            return LastAdmin();
        }

        user.UpdatedAt = time.GetUtcNow().UtcDateTime;
        var result = await users.SetLockoutEnabledAsync(user, true);
        if (result.Succeeded)
        {
            result = await users.SetLockoutEndDateAsync(user, LockedIndefinitely);
        }

        if (result.Succeeded)
        {
            // Ends the sessions the user already has at their next cookie validation.
            result = await users.UpdateSecurityStampAsync(user);
        }

        if (!result.Succeeded)
        {
            return Rejected(result);
        }

        await audit.RecordAsync(AuditActions.UserLock, AuditEntityTypes.User, user.Id, null, ct);
        await transaction.CommitAsync(ct);
        LogLocked(logger, user.Id);
        return UserAdminResult.Success;
    }

    public async Task<UserAdminResult> UnlockAsync(string id, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        user.UpdatedAt = time.GetUtcNow().UtcDateTime;
        var result = await users.SetLockoutEndDateAsync(user, null);
        if (result.Succeeded)
        {
            result = await users.ResetAccessFailedCountAsync(user);
        }

        if (!result.Succeeded)
        {
            return Rejected(result);
        }

        await audit.RecordAsync(AuditActions.UserUnlock, AuditEntityTypes.User, user.Id, null, ct);
        await transaction.CommitAsync(ct);
        LogUnlocked(logger, user.Id);
        return UserAdminResult.Success;
    }

    /// <summary>An administrator sets a new password for someone else; their current one is not needed.</summary>
    public async Task<UserAdminResult> ResetPasswordAsync(string id, string newPassword, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound();
        }

        user.UpdatedAt = time.GetUtcNow().UtcDateTime;
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, newPassword);
        if (!result.Succeeded)
        {
            return Rejected(result);
        }

        await audit.RecordAsync(AuditActions.PasswordReset, AuditEntityTypes.User, user.Id, null, ct);
        await transaction.CommitAsync(ct);
        LogPasswordReset(logger, user.Id);
        return UserAdminResult.Success;
    }

    /// <summary>A signed-in user changes their own password; the caller refreshes their sign-in afterwards.</summary>
    public async Task<UserAdminResult> ChangeOwnPasswordAsync(ApplicationUser user, string currentPassword, string newPassword, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        user.UpdatedAt = time.GetUtcNow().UtcDateTime;
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            return Rejected(result);
        }

        await audit.RecordAsync(AuditActions.PasswordChange, AuditEntityTypes.User, user.Id, null, ct);
        LogPasswordChanged(logger, user.Id);
        return UserAdminResult.Success;
    }

    /// <summary>Whether an administrator other than <paramref name="userId"/> can still sign in.</summary>
    private async Task<bool> AnotherActiveAdminExistsAsync(string userId, CancellationToken ct)
    {
        // SQLite cannot compare DateTimeOffset in SQL; there are only a handful of administrators.
        var lockoutEnds = await (
                from ur in db.UserRoles
                join r in db.Roles on ur.RoleId equals r.Id
                join u in db.Users on ur.UserId equals u.Id
                where r.Name == Roles.Admin && u.Id != userId
                select u.LockoutEnd)
            .ToListAsync(ct);
        var now = time.GetUtcNow();
        return lockoutEnds.Any(end => end is null || end <= now);
    }

    private UserAdminResult NotFound() =>
        new(UserAdminOutcome.NotFound, [localizer["The user no longer exists."]]);

    private UserAdminResult LastAdmin() =>
        new(UserAdminOutcome.LastAdmin, [localizer["At least one active administrator must remain."]]);

    private UserAdminResult Rejected(string text) =>
        new(UserAdminOutcome.Rejected, [localizer[text]]);

    // A taken email fails both the user-name and the email check with the same message.
    private static UserAdminResult Rejected(IdentityResult result) =>
        new(UserAdminOutcome.Rejected, result.Errors.Select(e => e.Description).Distinct(StringComparer.Ordinal).ToList());

    [LoggerMessage(Level = LogLevel.Information, Message = "Created user {UserId} with role {Role}.")]
    private static partial void LogCreated(ILogger logger, string userId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Changed the role of user {UserId} to {Role}.")]
    private static partial void LogRoleChanged(ILogger logger, string userId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Locked user {UserId}.")]
    private static partial void LogLocked(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unlocked user {UserId}.")]
    private static partial void LogUnlocked(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "An administrator reset the password of user {UserId}.")]
    private static partial void LogPasswordReset(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} changed their password.")]
    private static partial void LogPasswordChanged(ILogger logger, string userId);
}
