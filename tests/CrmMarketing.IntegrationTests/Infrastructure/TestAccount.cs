using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Infrastructure;

/// <summary>Credentials of a user created by a test. <see cref="Role"/> null means a user with no role.</summary>
public sealed record TestAccount(string Email, string Password, string? Role)
{
    /// <summary>Long enough for the 12-character minimum; no composition rules apply.</summary>
    public const string DefaultPassword = "Test-Password-2026-long";

    public static TestAccount Admin { get; } = new("admin@test.local", DefaultPassword, Roles.Admin);

    public static TestAccount Marketer { get; } = new("marketer@test.local", DefaultPassword, Roles.Marketer);

    public static TestAccount Sales { get; } = new("sales@test.local", DefaultPassword, Roles.Sales);

    public static TestAccount ForRole(string role) => role switch
    {
        Roles.Admin => Admin,
        Roles.Marketer => Marketer,
        Roles.Sales => Sales,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };
}
