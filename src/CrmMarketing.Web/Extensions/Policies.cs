using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;
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

    /// <summary>Ingestion API: upsert customers. API key with the "customers" scope; cookies are not accepted.</summary>
    public const string ApiCustomers = nameof(ApiCustomers);

    /// <summary>Ingestion API: add purchases. API key with the "purchases" scope.</summary>
    public const string ApiPurchases = nameof(ApiPurchases);

    /// <summary>Ingestion API: add behaviour events. API key with the "events" scope.</summary>
    public const string ApiEvents = nameof(ApiEvents);

    public static void Register(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(Staff, p => p.RequireRole(Roles.Admin, Roles.Marketer, Roles.Sales));
        options.AddPolicy(ManageCustomers, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(ExportCustomers, p => p.RequireRole(Roles.Admin, Roles.Marketer));
        options.AddPolicy(Marketing, p => p.RequireRole(Roles.Admin, Roles.Marketer));
        options.AddPolicy(Administration, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(ApiCustomers, p => RequireApiScope(p, ApiScopes.Customers));
        options.AddPolicy(ApiPurchases, p => RequireApiScope(p, ApiScopes.Purchases));
        options.AddPolicy(ApiEvents, p => RequireApiScope(p, ApiScopes.Events));
    }

    /// <summary>Naming the scheme makes authorization authenticate with it alone: the request's cookie
    /// identity is replaced, so a signed-in browser gets 401 here, and cross-site requests have nothing to ride on.</summary>
    private static void RequireApiScope(AuthorizationPolicyBuilder policy, ApiScopes scope)
    {
        policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiKeyAuthenticationHandler.ScopeValue(scope));
    }
}
