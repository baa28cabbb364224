namespace CrmMarketing.Web.ViewModels.Users;

public sealed record UserRowViewModel(
    string Id,
    string Email,
    string DisplayName,
    string? Role,
    DateTimeOffset? LockedUntil,
    DateTime LastChangedAt)
{
    /// <summary>Administrator locks run to the end of time; lockouts after failed sign-ins end after minutes.</summary>
    public bool LockedIndefinitely => LockedUntil is { Year: >= 9999 };
}

public sealed class UserListViewModel
{
    public required IReadOnlyList<UserRowViewModel> Rows { get; init; }

    /// <summary>The signed-in administrator, who cannot lock themselves out.</summary>
    public required string? CurrentUserId { get; init; }

    /// <summary>When the page was built; a row is locked while its lockout end lies after this.</summary>
    public required DateTimeOffset Now { get; init; }

    public bool IsLocked(UserRowViewModel row) => row.LockedUntil is { } end && end > Now;
}
