using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Security;

/// <summary>Every page each role can open, rendered over real data, must load without a server error
/// and without markup the Content-Security-Policy would block.</summary>
public sealed class RenderedPagesTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    public static TheoryData<string> AllRoles => [.. Roles.All];

    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task EveryGetPage_RoleInsidePolicy_RendersWithoutInlineCode(string role)
    {
        var customerId = await CreateCustomerAsync();
        using var client = await factory.CreateClientForRoleAsync(role);
        var failures = new List<string>();
        var pages = AuthorizationMatrixTests.Actions.Where(a => a.HttpMethod == "GET"
            && (a.AllowAnonymous || (AuthorizationMatrixTests.IsPolicyProtected(a) && AuthorizationMatrixTests.ExpectedRoles(a).Contains(role))));
        foreach (var action in pages)
        {
            var url = action.UrlWith(customerId);
            using var response = await client.GetAsync(url);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"GET {url}: {(int)response.StatusCode}");
            }
            else if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var document = await HtmlPage.ParseAsync(response);
                failures.AddRange(CspAssert.FindViolations(document).Select(v => $"GET {url}: {v}"));
            }
        }

        Assert.True(failures.Count == 0, $"{role}:\n" + string.Join("\n", failures));
    }

    /// <summary>Through the real form, so the walk sees a details page with content rather than a 404.</summary>
    private async Task<string> CreateCustomerAsync()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        using var response = await admin.SubmitFormAsync("/Customers/Create", "#customer-form",
        [
            new("Form.Name", "Page Walk " + Guid.NewGuid().ToString("N")[..8]),
            new("Form.Email", $"walk-{Guid.NewGuid():N}@example.com"),
            new("Form.City", "Shanghai"),
            new("Form.Tags", "vip, walk"),
        ]);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Contains("/Customers/Details/", location, StringComparison.Ordinal);
        return location.Split('?')[0].TrimEnd('/').Split('/')[^1];
    }
}
