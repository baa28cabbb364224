using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Analytics;

public sealed class HabitsPageTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Theory]
    [InlineData(Roles.Admin, "")]
    [InlineData(Roles.Marketer, "?segment=Champions")]
    [InlineData(Roles.Sales, "?segment=Lost")]
    public async Task Habits_StaffRole_RendersTablesHeatmapAndChartsWithoutInlineCode(string role, string query)
    {
        using var client = await factory.CreateClientForRoleAsync(role);

        using var response = await client.GetAsync("/Analytics/Habits" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Analytics/Habits");
        Assert.NotNull(page.QuerySelector("#top-categories-revenue"));
        Assert.NotNull(page.QuerySelector("#top-products-buyers"));
        Assert.NotNull(page.QuerySelector("#channel-mix"));
        Assert.Equal(7 * 24, page.QuerySelectorAll("#habits-heatmap tbody td").Length);
        Assert.NotNull(page.QuerySelector("canvas#habits-category-chart"));
        Assert.NotNull(page.QuerySelector("script#habits-chart-data[type='application/json']"));
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Marketer)]
    [InlineData(Roles.Sales)]
    public async Task Cohorts_StaffRole_RendersTwelveCohortsWithoutInlineCode(string role)
    {
        using var client = await factory.CreateClientForRoleAsync(role);

        using var response = await client.GetAsync("/Analytics/Cohorts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Analytics/Cohorts");
        Assert.Equal(12, page.QuerySelectorAll("#cohorts-table tbody tr").Length);
    }

    [Theory]
    [InlineData("/Analytics/Habits?segment=Shoe")]
    [InlineData("/Analytics/Habits?segment=99")]
    [InlineData("/Analytics/Habits?segment=0")]
    public async Task Habits_UnknownSegment_Returns400(string url)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CustomerDetails_ThreeOrders_ShowsHabitsCardWithPrediction()
    {
        int id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var customer = new Customer { Name = "Habitual", NameKey = "habitual", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Version = 1 };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            id = customer.Id;
            foreach (var at in new[] { new DateTime(2026, 1, 6, 9, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 16, 9, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 26, 9, 0, 0, DateTimeKind.Utc) })
            {
                db.Purchases.Add(new Purchase { OrderNumber = "H-" + Guid.NewGuid().ToString("N"), CustomerId = id, PurchasedAt = at, Total = 10m, CreatedAt = at });
            }

            await db.SaveChangesAsync();
        }

        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync($"/Customers/Details/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Customers/Details");
        Assert.NotNull(page.QuerySelector("#customer-habits"));
        Assert.Contains("10.0", page.QuerySelector("#habits-next")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Not enough purchases", page.QuerySelector("#habits-next")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HabitsAndCohorts_WithPurchases_ShowFiguresInTablesAndHeatmaps()
    {
        var category = "Cat " + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var product = new Product { Sku = "HB-" + Guid.NewGuid().ToString("N")[..8], Name = "Habit tea", Category = category, ListPrice = 5m, CreatedAt = DateTime.UtcNow };
            var customer = new Customer { Name = "Habit buyer", NameKey = "habit buyer", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Version = 1 };
            db.AddRange(product, customer);
            await db.SaveChangesAsync();
            var at = DateTime.UtcNow.AddDays(-1);
            db.Purchases.Add(new Purchase
            {
                OrderNumber = "HB-" + Guid.NewGuid().ToString("N"),
                CustomerId = customer.Id,
                PurchasedAt = at,
                Channel = PurchaseChannel.Marketplace,
                Total = 1_000_000m,
                CreatedAt = at,
                Lines = [new PurchaseLine { ProductId = product.Id, Quantity = 1, UnitPrice = 1_000_000m, Amount = 1_000_000m }],
            });
            await db.SaveChangesAsync();
        }

        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using (var response = await client.GetAsync("/Analytics/Habits"))
        {
            var page = await HtmlPage.ParseAsync(response);
            Assert.Contains(category, page.QuerySelector("#top-categories-revenue tbody tr")!.TextContent, StringComparison.Ordinal);
            Assert.Contains("Marketplace", page.QuerySelector("#channel-mix")!.TextContent, StringComparison.Ordinal);
            Assert.NotEmpty(page.QuerySelectorAll("#habits-heatmap td.heat-5"));
        }

        using var cohorts = await client.GetAsync("/Analytics/Cohorts");
        var cohortsPage = await HtmlPage.ParseAsync(cohorts);
        Assert.NotEmpty(cohortsPage.QuerySelectorAll("#cohorts-table td.heat-5"));
    }
}
