using System.Net;
using System.Text;
using System.Text.Json;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Segments;

public sealed class SegmentsControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private static string CityRule(string city) =>
        "{\"match\":\"all\",\"conditions\":[{\"field\":\"city\",\"operator\":\"equals\",\"value\":" + JsonSerializer.Serialize(city) + "}]}";

    private async Task<int> AddCustomerAsync(string name, string city)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var customer = new Customer { Name = name, NameKey = name.ToLowerInvariant(), City = city, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Version = 1 };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer.Id;
    }

    private async Task<T> QueryAsync<T>(Func<CrmDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"match\":\"all\",\"conditions\":[{\"field\":\"city\",\"operator\":\"gt\",\"value\":\"x\"}]}", "Condition 1 (city)")]
    [InlineData("{\"match\":\"all\",\"conditions\":[{\"field\":\"totalSpent\",\"operator\":\"gt\",\"value\":\"lots\"}]}", "Condition 1 (totalSpent)")]
    [InlineData("{\"match\":\"some\",\"conditions\":[]}", "\"match\"")]
    public async Task Preview_MalformedRule_Returns400WithReason(string rule, string reason)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.PostFormAsync("/Segments/Preview", [new("rule", rule)], "/Segments/Create");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name; DROP TABLE Customers")]
    [InlineData("City\" OR 1=1 --")]
    [InlineData("IsArchived")]
    public async Task Preview_FieldOutsideAllowList_IsRejectedAndTablesSurvive(string field)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var rule = "{\"match\":\"all\",\"conditions\":[{\"field\":" + JsonSerializer.Serialize(field) + ",\"operator\":\"equals\",\"value\":\"x\"}]}";
        await AddCustomerAsync("Survivor " + Guid.NewGuid().ToString("N")[..6], "Oslo");
        var before = await QueryAsync(db => db.Customers.CountAsync());

        using var response = await client.PostFormAsync("/Segments/Preview", [new("rule", rule)], "/Segments/Create");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown field", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await QueryAsync(db => db.Customers.CountAsync()));
    }

    [Fact]
    public async Task Preview_InjectionInValue_IsMatchedLiterally()
    {
        var city = "Inj' OR '1'='1 " + Guid.NewGuid().ToString("N")[..6];
        await AddCustomerAsync("Literal city", city);
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var literal = await client.PostFormAsync("/Segments/Preview", [new("rule", CityRule(city))], "/Segments/Create");
        using var injected = await client.PostFormAsync("/Segments/Preview", [new("rule", CityRule("x' OR '1'='1"))], "/Segments/Create");

        Assert.Equal(HttpStatusCode.OK, literal.StatusCode);
        using var json = JsonDocument.Parse(await literal.Content.ReadAsStringAsync());
        Assert.Equal(1, json.RootElement.GetProperty("count").GetInt32());
        using var none = JsonDocument.Parse(await injected.Content.ReadAsStringAsync());
        Assert.Equal(0, none.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Create_DynamicRule_BuildsMembersAndShowsThemWithStatsAndChart()
    {
        var city = "Segtown-" + Guid.NewGuid().ToString("N")[..8];
        await AddCustomerAsync("Seg One", city);
        await AddCustomerAsync("Seg Two", city);
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.SubmitFormAsync("/Segments/Create", "#segment-form",
            [new("Form.Name", "In " + city), new("Form.Kind", "Dynamic"), new("Form.Rule", CityRule(city))]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var details = response.Headers.Location!.OriginalString;
        var segment = await QueryAsync(db => db.Segments.SingleAsync(s => s.Name == "In " + city));
        Assert.Equal(2, segment.MemberCount);
        Assert.NotNull(segment.LastBuiltAt);
        Assert.NotNull(segment.LastBuildDurationMs);

        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        using var page = await sales.GetAsync(details);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await HtmlPage.ParseAsync(page);
        CspAssert.NoInlineCode(document, details);
        Assert.Equal(2, document.QuerySelectorAll("#segment-member-table tbody tr").Length);
        Assert.NotNull(document.QuerySelector("canvas#segment-chart"));
        Assert.Contains(city, document.QuerySelector("#segment-stats-table")!.TextContent, StringComparison.Ordinal);
        Assert.Null(document.QuerySelector("#edit-segment"));
        Assert.Null(document.QuerySelector("#export-segment"));

        using var list = await sales.GetAsync("/Customers?segment=" + segment.Id);
        var rows = (await HtmlPage.ParseAsync(list)).QuerySelectorAll("#customer-table tbody tr");
        Assert.Equal(2, rows.Length);
    }

    [Fact]
    public async Task Create_InvalidRule_ShowsMessageNamingTheCondition()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var rule = "{\"match\":\"all\",\"conditions\":[{\"field\":\"city\",\"operator\":\"equals\",\"value\":\"A\"},{\"field\":\"orderCount\",\"operator\":\"gt\",\"value\":1.5}]}";

        using var response = await client.SubmitFormAsync("/Segments/Create", "#segment-form",
            [new("Form.Name", "Bad rule " + Guid.NewGuid().ToString("N")), new("Form.Kind", "Dynamic"), new("Form.Rule", rule)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        Assert.Contains("Condition 2 (orderCount)", page.QuerySelector("#rule-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMembers_FromCustomerList_AddsToStaticSegmentAndExportsThem()
    {
        var a = await AddCustomerAsync("Static A", "=cmd");
        var b = await AddCustomerAsync("Static B", "Berlin");
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var name = "Picked " + Guid.NewGuid().ToString("N")[..8];
        using var created = await client.SubmitFormAsync("/Segments/Create", "#segment-form",
            [new("Form.Name", name), new("Form.Kind", "Static"), new("Form.Rule", "")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = await QueryAsync(db => db.Segments.Where(s => s.Name == name).Select(s => s.Id).SingleAsync());

        using var list = await client.GetAsync("/Customers");
        var listPage = await HtmlPage.ParseAsync(list);
        Assert.NotNull(listPage.QuerySelector("#bulk-segment-form"));
        using var added = await client.PostFormAsync("/Segments/AddMembers",
            [new("SegmentId", id.ToString()), new("CustomerIds", a.ToString()), new("CustomerIds", b.ToString()), new("ReturnUrl", "/Customers?page=1")]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/Customers?page=1", added.Headers.Location!.OriginalString);
        Assert.Equal(2, await QueryAsync(db => db.SegmentMembers.CountAsync(m => m.SegmentId == id)));

        using var removed = await client.PostFormAsync("/Segments/RemoveMembers",
            [new("SegmentId", id.ToString()), new("CustomerIds", b.ToString()), new("ReturnUrl", "https://evil.example/")]);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.StartsWith("/Segments/Details/" + id, removed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(1, await QueryAsync(db => db.Segments.Where(s => s.Id == id).Select(s => s.MemberCount).SingleAsync()));

        using var csv = await client.GetAsync("/Segments/Export/" + id);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        Assert.Contains("Static A", text, StringComparison.Ordinal);
        Assert.Contains("'=cmd", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Static B", text, StringComparison.Ordinal);
        Assert.True(await QueryAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.Export && e.Changes!.Contains("segment=" + id))));
    }

    [Fact]
    public async Task SalesRole_CanViewButNotChangeSegments()
    {
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var index = await sales.GetAsync("/Segments");
        using var create = await sales.GetAsync("/Segments/Create");
        using var preview = await sales.PostFormAsync("/Segments/Preview", [new("rule", CityRule("x"))]);
        using var export = await sales.GetAsync("/Segments/Export/1");

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Null((await HtmlPage.ParseAsync(index)).QuerySelector("#create-segment"));
        Assert.True(HttpClientExtensions.IsRedirectTo(create, HttpClientExtensions.AccessDeniedPath));
        Assert.True(HttpClientExtensions.IsRedirectTo(preview, HttpClientExtensions.AccessDeniedPath));
        Assert.True(HttpClientExtensions.IsRedirectTo(export, HttpClientExtensions.AccessDeniedPath));
    }
}
