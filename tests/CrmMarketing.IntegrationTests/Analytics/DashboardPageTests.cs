using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Analytics;

public sealed class DashboardPageTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    /// <summary>A customer in a region of their own with one order of 123.45 yesterday.</summary>
    private async Task<(int CustomerId, string Region)> SeedBuyerAsync()
    {
        var region = "Region-" + Guid.NewGuid().ToString("N")[..8];
        var at = DateTime.UtcNow.AddDays(-1);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var product = new Product { Sku = "SKU-" + Guid.NewGuid().ToString("N")[..10], Name = "Dashboard product", Category = "Tea", ListPrice = 123.45m, CreatedAt = at };
        var customer = new Customer
        {
            Name = "Dashboard buyer",
            NameKey = "dashboard buyer",
            Region = region,
            City = region + " city",
            CreatedAt = at.AddDays(-1),
            UpdatedAt = at,
            Version = 1,
            FirstPurchaseAt = at,
            LastPurchaseAt = at,
            OrderCount = 1,
            TotalSpent = 123.45m,
        };
        db.AddRange(product, customer);
        await db.SaveChangesAsync();
        db.Purchases.Add(new Purchase
        {
            OrderNumber = "D-" + Guid.NewGuid().ToString("N"),
            CustomerId = customer.Id,
            PurchasedAt = at,
            CreatedAt = at,
            Total = 123.45m,
            Lines = [new PurchaseLine { ProductId = product.Id, Quantity = 1, UnitPrice = 123.45m, Amount = 123.45m }],
        });
        await db.SaveChangesAsync();
        return (customer.Id, region);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Marketer)]
    public async Task Index_MarketingRoles_RendersKpisChartsAndTablesWithoutInlineCode(string role)
    {
        using var client = await factory.CreateClientForRoleAsync(role);

        using var response = await client.GetAsync("/Dashboard?days=90");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Dashboard");
        foreach (var id in new[] { "customers", "new-customers", "active-customers", "revenue", "orders", "aov", "repeat-rate" })
        {
            Assert.NotNull(page.QuerySelector("#kpi-" + id));
        }

        foreach (var chart in new[] { "sales", "new", "region", "products" })
        {
            Assert.NotNull(page.QuerySelector($"canvas#{chart}-chart"));
            Assert.NotNull(page.QuerySelector($"script#{chart}-chart-data[type='application/json']"));
        }

        Assert.NotNull(page.QuerySelector("#sales-table"));
        Assert.NotNull(page.QuerySelector("#region-table"));
        Assert.NotNull(page.QuerySelector("#products-table"));
        Assert.Equal("btn btn-primary", page.QuerySelector("#preset-90")!.GetAttribute("class"));
    }

    [Fact]
    public async Task Index_Sales_RedirectedToOwnPage()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync("/Dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Dashboard/Mine", response.Headers.Location!.OriginalString);
        using var mine = await client.GetAsync("/Dashboard/Mine");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var page = await HtmlPage.ParseAsync(mine);
        CspAssert.NoInlineCode(page, "/Dashboard/Mine");
        Assert.NotNull(page.QuerySelector("#my-customers"));
        Assert.NotNull(page.QuerySelector("#my-calls"));
        Assert.NotNull(page.QuerySelector("#my-feedback"));
    }

    [Theory]
    [InlineData("/Dashboard?from=2026-05-01&to=2026-04-01")]
    [InlineData("/Dashboard?from=not-a-date")]
    [InlineData("/Dashboard?days=0")]
    [InlineData("/Dashboard?days=abc")]
    [InlineData("/Dashboard?days=999999999999")]
    [InlineData("/Dashboard?from=1900-01-01&to=2026-01-01")]
    [InlineData("/Dashboard?from=0001-01-01&to=0001-01-05")]
    [InlineData("/Dashboard?from=9999-12-01&to=9999-12-31")]
    public async Task Index_MalformedRange_Returns400(string url)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/Dashboard?from=2026-01-01")]
    [InlineData("/Dashboard?to=2026-03-01")]
    public async Task Index_PartialRange_RendersWithSensibleDefaults(string url)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Index_DrillDownLink_OpensCustomerListFilteredToTheRegion()
    {
        var (customerId, region) = await SeedBuyerAsync();
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.GetAsync("/Dashboard?days=7");
        var page = await HtmlPage.ParseAsync(response);
        var link = page.QuerySelectorAll("#region-table a").Single(a => a.TextContent.Trim() == region).GetAttribute("href")!;
        Assert.Contains("region=", link, StringComparison.Ordinal);
        Assert.Contains("purchasedFrom=", link, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(region).Replace("%20", "+", StringComparison.Ordinal), link, StringComparison.Ordinal);

        using var list = await client.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listPage = await HtmlPage.ParseAsync(list);
        var rows = listPage.QuerySelectorAll("a[href^='/Customers/Details/']").Select(a => a.GetAttribute("href")).Distinct().ToList();
        Assert.Equal([$"/Customers/Details/{customerId}"], rows);
    }

    [Fact]
    public async Task Index_ChartLinks_AreCustomerListUrls()
    {
        await SeedBuyerAsync();
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.GetAsync("/Dashboard?days=7");
        var page = await HtmlPage.ParseAsync(response);
        var json = page.QuerySelector("script#products-chart-data")!.TextContent;

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var links = doc.RootElement.GetProperty("links").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.StartsWith("/Customers?", l, StringComparison.Ordinal));
        Assert.All(links, l => Assert.Contains("product=", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/Customers?purchasedFrom=2026-05-01&purchasedTo=2026-04-01")]
    [InlineData("/Customers?firstPurchaseFrom=bad")]
    [InlineData("/Customers?product=-3")]
    [InlineData("/Customers?purchasedFrom=0001-01-01")]
    public async Task CustomerList_MalformedNewFilters_Returns400(string url)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Associations_SalesForbidden_MarketerCanRecompute()
    {
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        using var forbidden = await sales.GetAsync("/Analytics/Associations");
        Assert.NotEqual(HttpStatusCode.OK, forbidden.StatusCode);
        Assert.Contains("AccessDenied", forbidden.Headers.Location?.OriginalString ?? string.Empty, StringComparison.Ordinal);

        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var response = await marketer.GetAsync("/Analytics/Associations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var refreshed = await marketer.SubmitFormAsync("/Analytics/Associations", "#associations-refresh-form");
        Assert.Equal(HttpStatusCode.Redirect, refreshed.StatusCode);
        using var after = await marketer.GetAsync("/Analytics/Associations");
        var afterPage = await HtmlPage.ParseAsync(after);
        Assert.NotNull(afterPage.QuerySelector("#associations-table"));
        Assert.DoesNotContain("not been computed", afterPage.QuerySelector("#associations-status")!.TextContent, StringComparison.Ordinal);
    }
}
