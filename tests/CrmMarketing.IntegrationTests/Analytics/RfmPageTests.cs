using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Analytics;

public sealed class RfmPageTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private async Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Marketer)]
    [InlineData(Roles.Sales)]
    public async Task Rfm_StaffRole_RendersSegmentsHeatmapAndChartWithoutInlineCode(string role)
    {
        using var client = await factory.CreateClientForRoleAsync(role);

        using var response = await client.GetAsync("/Analytics/Rfm");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Analytics/Rfm");
        Assert.NotNull(page.QuerySelector("canvas#rfm-chart"));
        Assert.NotNull(page.QuerySelector("script#rfm-chart-data[type='application/json']"));
        Assert.Equal(11, page.QuerySelectorAll("#rfm-segments tbody tr").Length);
        Assert.Equal(25, page.QuerySelectorAll("#rfm-heatmap td.rfm-cell").Length);
        Assert.Contains("/Customers?rfm=Champions", page.QuerySelector("#rfm-segments")!.InnerHtml, StringComparison.Ordinal);
        // Only Marketing may recompute.
        Assert.Equal(role != Roles.Sales, page.QuerySelector("#rfm-refresh-form") is not null);
    }

    [Fact]
    public async Task RefreshRfm_Sales_IsDeniedAndComputesNothing()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);
        var runsBefore = await WithDbAsync(db => db.RfmRuns.CountAsync());

        using var response = await client.PostFormAsync("/Analytics/RefreshRfm", tokenPageUrl: "/Analytics/Rfm");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath)
            || response.StatusCode == HttpStatusCode.Forbidden, $"got {(int)response.StatusCode}");
        Assert.Equal(runsBefore, await WithDbAsync(db => db.RfmRuns.CountAsync()));
    }

    [Fact]
    public async Task RefreshRfm_Marketer_RecomputesAndRedirectsWithStatus()
    {
        var customerId = await WithDbAsync(async db =>
        {
            var customer = new Customer { Name = "Rfm buyer", NameKey = "rfm buyer", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Version = 1 };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            db.Purchases.Add(new Purchase
            {
                OrderNumber = "RFM-" + Guid.NewGuid().ToString("N")[..8],
                CustomerId = customer.Id,
                PurchasedAt = DateTime.UtcNow.AddDays(-3),
                Total = 99m,
                CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
            return customer.Id;
        });
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.SubmitFormAsync("/Analytics/Rfm", "#rfm-refresh-form");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, "/Analytics/Rfm"), $"got {(int)response.StatusCode}");
        var score = await WithDbAsync(db => db.CustomerRfm.AsNoTracking().SingleAsync(r => r.CustomerId == customerId));
        Assert.Equal(99m, score.Monetary);
        using var page = await client.GetAsync("/Analytics/Rfm");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("RFM scores recomputed for", html, StringComparison.Ordinal);
    }
}
