using CrmMarketing.Web.Domain;
using Microsoft.AspNetCore.Authorization;

namespace CrmMarketing.Web.Extensions;

/// <summary>One policy per capability row of DESIGN.md §4.</summary>
public static class Policies
{
    /// <summary>View customers, purchases, timeline; add notes; log feedback and calls.</summary>
    public const string Staff = nameof(Staff);

    /// <summary>Create, edit, merge, delete, import customers.</summary>
    public const string ManageCustomers = nameof(ManageCustomers);

    /// <summary>Export customers to CSV.</summary>
    public const string ExportCustomers = nameof(ExportCustomers);

    /// <summary>Edit segments, templates, campaigns; send.</summary>
    public const string Marketing = nameof(Marketing);

    /// <summary>Users, roles, settings, audit log, GDPR erase.</summary>
    public const string Administration = nameof(Administration);

    public static void Register(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(Staff, p => p.RequireRole(Roles.Admin, Roles.Marketer, Roles.Sales));
        options.AddPolicy(ManageCustomers, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(ExportCustomers, p => p.RequireRole(Roles.Admin, Roles.Marketer));
        options.AddPolicy(Marketing, p => p.RequireRole(Roles.Admin, Roles.Marketer));
        options.AddPolicy(Administration, p => p.RequireRole(Roles.Admin));
    }
}
