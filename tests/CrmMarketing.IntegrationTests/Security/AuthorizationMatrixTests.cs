using System.Net;
using System.Reflection;

using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmMarketing.IntegrationTests.Security;

/// <summary>Every controller action, every role: who may call what, written out from DESIGN.md §4 and
/// checked against both the attributes on the controllers and the policies the running app registers.</summary>
public sealed class AuthorizationMatrixTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    /// <summary>DESIGN.md §4, one row per policy.</summary>
    internal static readonly Dictionary<string, string[]> PolicyRoles = new(StringComparer.Ordinal)
    {
        [Policies.Staff] = [Roles.Admin, Roles.Marketer, Roles.Sales],
        [Policies.ManageCustomers] = [Roles.Admin],
        [Policies.ExportCustomers] = [Roles.Admin, Roles.Marketer],
        [Policies.Marketing] = [Roles.Admin, Roles.Marketer],
        [Policies.Administration] = [Roles.Admin],
    };

    /// <summary>The ingestion API's policies and the key scope each requires. They accept an API key only
    /// (scheme "ApiKey"), never the Identity cookie, so they are checked separately from the role matrix.</summary>
    internal static readonly Dictionary<string, string> ApiPolicyScopes = new(StringComparer.Ordinal)
    {
        [Policies.ApiCustomers] = "customers",
        [Policies.ApiPurchases] = "purchases",
        [Policies.ApiEvents] = "events",
    };

    /// <summary>The reviewed public endpoints ("Controller/Action"). Anything else must name a policy.</summary>
    internal static readonly HashSet<string> AnonymousAllowList = new(StringComparer.OrdinalIgnoreCase)
    {
        "Account/Login",
        "Account/AccessDenied",
        "Culture/Set",
        "Home/Error",
        "Home/Status",
    };

    private static readonly Assembly WebAssembly = typeof(Program).Assembly;

    internal static readonly IReadOnlyList<ControllerAction> Actions = ControllerActions.Discover(WebAssembly);

    public static TheoryData<string> AllRoles => [.. Roles.All];

    [Fact]
    public void PolicyMatrix_CoversEveryPolicyConstant()
    {
        var declared = typeof(Policies).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(PolicyRoles.Keys.Concat(ApiPolicyScopes.Keys).Order(StringComparer.Ordinal), declared);
    }

    [Fact]
    public async Task ApiPolicies_RequireTheApiKeySchemeAloneAndTheirScope()
    {
        var provider = factory.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        foreach (var (name, scope) in ApiPolicyScopes)
        {
            var policy = await provider.GetPolicyAsync(name);
            Assert.True(policy is not null, $"The app registers no policy named {name}.");
            Assert.Equal(["ApiKey"], policy.AuthenticationSchemes);
            Assert.Contains(policy.Requirements, r => r is DenyAnonymousAuthorizationRequirement);
            var claim = Assert.Single(policy.Requirements.OfType<ClaimsAuthorizationRequirement>());
            Assert.Equal("scope", claim.ClaimType);
            Assert.Equal([scope], claim.AllowedValues);
            Assert.DoesNotContain(policy.Requirements, r => r is RolesAuthorizationRequirement);
        }
    }

    [Fact]
    public void ApiRoutes_UseApiPolicies_AndOnlyThey()
    {
        var failures = new List<string>();
        foreach (var action in Actions)
        {
            var underApi = action.Url.StartsWith("/api/", StringComparison.OrdinalIgnoreCase);
            if (underApi != IsApiAction(action) || (underApi && action.AllowAnonymous))
            {
                failures.Add($"{action}: routes under /api need exactly an API policy; other routes must not use one.");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task PolicyMatrix_MatchesPoliciesRegisteredInApp()
    {
        var provider = factory.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        foreach (var (name, expected) in PolicyRoles)
        {
            var policy = await provider.GetPolicyAsync(name);
            Assert.True(policy is not null, $"The app registers no policy named {name}.");
            Assert.Equal(expected.Order(StringComparer.Ordinal), AllowedRoles(policy).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void FallbackPolicy_RequiresAuthenticatedUser()
    {
        var options = factory.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value;

        Assert.NotNull(options.FallbackPolicy);
        Assert.Contains(options.FallbackPolicy.Requirements, r => r is DenyAnonymousAuthorizationRequirement);
    }

    [Fact]
    public void ReflectionWalk_FindsExactlyTheActionsTheAppRoutes()
    {
        var routed = factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<ControllerActionDescriptor>()
            .Where(d => d.ControllerTypeInfo.Assembly == WebAssembly)
            .Select(d => $"{d.ControllerTypeInfo.Name}.{d.MethodInfo.Name}")
            .ToHashSet(StringComparer.Ordinal);
        var walked = Actions.Select(a => $"{a.ControllerType.Name}.{a.Method.Name}").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(routed.Order(StringComparer.Ordinal), walked.Order(StringComparer.Ordinal));
        Assert.NotEmpty(walked);
    }

    [Fact]
    public void EveryAction_HasPolicyOrIsAllowListedAnonymous()
    {
        var failures = new List<string>();
        foreach (var action in Actions)
        {
            if (action.AllowAnonymous)
            {
                if (!AnonymousAllowList.Contains(action.Name))
                {
                    failures.Add($"{action}: [AllowAnonymous] but not in the reviewed allow-list.");
                }

                continue;
            }

            if (!action.Authorize.Any(a => !string.IsNullOrEmpty(a.Policy)))
            {
                failures.Add($"{action}: no [Authorize(Policy = ...)] on the action or its controller.");
            }

            foreach (var attribute in action.Authorize)
            {
                if (string.IsNullOrEmpty(attribute.Policy) || !string.IsNullOrEmpty(attribute.Roles)
                    || !string.IsNullOrEmpty(attribute.AuthenticationSchemes))
                {
                    failures.Add($"{action}: [Authorize] must name exactly one policy and nothing else.");
                }
                else if (!PolicyRoles.ContainsKey(attribute.Policy) && !ApiPolicyScopes.ContainsKey(attribute.Policy))
                {
                    failures.Add($"{action}: policy '{attribute.Policy}' is not in the DESIGN.md §4 matrix of this test.");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryAction_RolesFromDesignMatrix_MatchAppPolicies()
    {
        var provider = factory.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var failures = new List<string>();
        foreach (var action in Actions.Where(IsPolicyProtected))
        {
            var combined = await AuthorizationPolicy.CombineAsync(provider, action.Authorize);
            var actual = AllowedRoles(combined!).Order(StringComparer.Ordinal).ToList();
            var expected = ExpectedRoles(action).Order(StringComparer.Ordinal).ToList();
            if (!actual.SequenceEqual(expected))
            {
                failures.Add($"{action}: app allows [{string.Join(", ", actual)}], matrix says [{string.Join(", ", expected)}].");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryProtectedAction_Anonymous_IsChallengedToLogin()
    {
        using var client = factory.CreateAnonymousClient();
        var failures = new List<string>();
        foreach (var action in Actions.Where(a => !a.AllowAnonymous && !IsApiAction(a)))
        {
            using var response = await SendAsync(client, action, token: null);
            if (response.StatusCode != HttpStatusCode.Found || !HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.LoginPath))
            {
                failures.Add($"{action}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(failures.Count == 0, "Expected 302 to the login page:\n" + string.Join("\n", failures));
    }

    /// <summary>The API answers a missing key with 401 and problem details, never a redirect to a login page.</summary>
    [Fact]
    public async Task EveryApiAction_Anonymous_IsUnauthorizedNotRedirected()
    {
        using var client = factory.CreateAnonymousClient();
        var failures = new List<string>();
        foreach (var action in Actions.Where(IsApiAction))
        {
            using var response = await SendAsync(client, action, token: null);
            if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.Location is not null
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{action}: {(int)response.StatusCode} {response.Headers.Location} {response.Content.Headers.ContentType}");
            }
        }

        Assert.True(failures.Count == 0, "Expected 401 problem details:\n" + string.Join("\n", failures));
        Assert.Contains(Actions, IsApiAction);
    }

    /// <summary>A signed-in browser's cookie (and antiforgery token) opens no API endpoint: the API only
    /// authenticates keys, so a cross-site request riding on the cookie has nothing to gain.</summary>
    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task EveryApiAction_CookieSignedInRole_IsUnauthorized(string role)
    {
        using var client = await factory.CreateClientForRoleAsync(role);
        var token = await client.GetAntiforgeryTokenAsync();
        var failures = new List<string>();
        foreach (var action in Actions.Where(IsApiAction))
        {
            using var request = new HttpRequestMessage(new HttpMethod(action.HttpMethod), action.Url)
            {
                Content = new StringContent("{\"items\":[{}]}", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(HtmlPage.AntiforgeryHeaderName, token);
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{action}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(failures.Count == 0, $"{role}: expected 401:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task AllowListedGetActions_Anonymous_AreServed()
    {
        using var client = factory.CreateAnonymousClient();
        var failures = new List<string>();
        foreach (var action in Actions.Where(a => a.AllowAnonymous && a.HttpMethod == "GET"))
        {
            using var response = await client.GetAsync(action.Url);
            if (HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.LoginPath) || (int)response.StatusCode >= 500)
            {
                failures.Add($"{action}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Cookie authentication answers a forbidden request with 302 to the access-denied page, which
    /// answers 403 (never a 200). POSTs carry a valid antiforgery token so that the refusal can only come
    /// from authorization.</summary>
    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task EveryAction_RoleOutsidePolicy_IsRedirectedToAccessDenied(string role)
    {
        using var client = await factory.CreateClientForRoleAsync(role);
        var token = await client.GetAntiforgeryTokenAsync();
        var failures = new List<string>();
        foreach (var action in Actions.Where(a => IsPolicyProtected(a) && !ExpectedRoles(a).Contains(role)))
        {
            using var response = await SendAsync(client, action, token);
            if (response.StatusCode != HttpStatusCode.Found
                || !HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath))
            {
                failures.Add($"{action}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(failures.Count == 0, $"{role}: expected 302 to {HttpClientExtensions.AccessDeniedPath}:\n" + string.Join("\n", failures));

        using var denied = await client.GetAsync(HttpClientExtensions.AccessDeniedPath);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("Access denied", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Only GETs are replayed for allowed roles: POSTs would change data (or sign the client out).</summary>
    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task EveryGetAction_RoleInsidePolicy_IsNotRefused(string role)
    {
        using var client = await factory.CreateClientForRoleAsync(role);
        var failures = new List<string>();
        foreach (var action in Actions.Where(a => IsPolicyProtected(a) && a.HttpMethod == "GET" && ExpectedRoles(a).Contains(role)))
        {
            using var response = await client.GetAsync(action.Url);
            if (HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath)
                || HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.LoginPath)
                || response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                || (int)response.StatusCode >= 500)
            {
                failures.Add($"{action}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.True(failures.Count == 0, $"{role} was refused (or the action failed):\n" + string.Join("\n", failures));
    }

    /// <summary>Protected only by known policies. Anything else fails <see cref="EveryAction_HasPolicyOrIsAllowListedAnonymous"/>
    /// and is not replayed per role: its expected roles are unknown, and a POST to it (say, sign-out) could
    /// change the client's state for every request after it.</summary>
    internal static bool IsPolicyProtected(ControllerAction action) =>
        !action.AllowAnonymous
        && action.Authorize.Count > 0
        && action.Authorize.All(a => a.Policy is { } policy && PolicyRoles.ContainsKey(policy)
            && string.IsNullOrEmpty(a.Roles) && string.IsNullOrEmpty(a.AuthenticationSchemes));

    internal static bool IsApiAction(ControllerAction action) =>
        action.Authorize.Any(a => a.Policy is { } policy && ApiPolicyScopes.ContainsKey(policy));

    internal static HashSet<string> ExpectedRoles(ControllerAction action)
    {
        var roles = new HashSet<string>(Roles.All, StringComparer.Ordinal);
        foreach (var attribute in action.Authorize)
        {
            roles.IntersectWith(attribute.Policy is { } policy && PolicyRoles.TryGetValue(policy, out var allowed) ? allowed : []);
        }

        return roles;
    }

    /// <summary>The roles that satisfy every requirement of the policy; a requirement this test cannot
    /// evaluate fails the test rather than being assumed to pass.</summary>
    private static HashSet<string> AllowedRoles(AuthorizationPolicy policy)
    {
        var roles = new HashSet<string>(Roles.All, StringComparer.Ordinal);
        foreach (var requirement in policy.Requirements)
        {
            switch (requirement)
            {
                case RolesAuthorizationRequirement byRole:
                    roles.IntersectWith(byRole.AllowedRoles);
                    break;
                case DenyAnonymousAuthorizationRequirement:
                    break;
                default:
                    Assert.Fail($"The matrix cannot evaluate requirement {requirement.GetType().Name}; extend the test.");
                    break;
            }
        }

        return roles;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, ControllerAction action, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(action.HttpMethod), action.Url);
        if (action.HttpMethod is "POST" or "PUT" or "PATCH")
        {
            request.Content = new FormUrlEncodedContent(token is null
                ? []
                : [new KeyValuePair<string, string>(HtmlPage.AntiforgeryFieldName, token)]);
        }
        else if (action.HttpMethod is not ("GET" or "HEAD") && token is not null)
        {
            request.Headers.Add(HtmlPage.AntiforgeryHeaderName, token);
        }

        return await client.SendAsync(request);
    }
}
