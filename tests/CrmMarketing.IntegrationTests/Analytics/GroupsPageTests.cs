using System.Net;
using System.Text;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Analytics;

public sealed class GroupsPageTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    [Theory]
    [InlineData(Roles.Admin, "City")]
    [InlineData(Roles.Marketer, "AgeBand")]
    [InlineData(Roles.Sales, "RfmSegment")]
    public async Task Groups_StaffRole_RendersTableAndChartWithoutInlineCode(string role, string dimension)
    {
        using var client = await factory.CreateClientForRoleAsync(role);

        using var response = await client.GetAsync($"/Analytics/Groups?dimension={dimension}&from=2026-01-01&to=2026-12-31");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "/Analytics/Groups");
        Assert.NotNull(page.QuerySelector("#groups-table"));
        Assert.NotNull(page.QuerySelector("canvas#groups-chart"));
        Assert.NotNull(page.QuerySelector("script#groups-chart-data[type='application/json']"));
    }

    [Theory]
    [InlineData("/Analytics/Groups?dimension=Shoe")]
    [InlineData("/Analytics/Groups?dimension=99")]
    [InlineData("/Analytics/GroupsCsv?dimension=Shoe")]
    [InlineData("/Analytics/Groups?from=2026-05-01&to=2026-04-01")]
    public async Task Groups_UnknownDimensionOrBadRange_Returns400(string url)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GroupsCsv_FormulaCity_DownloadsUtf8CsvWithNeutralisedCell()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            db.Customers.Add(new Customer
            {
                Name = "Csv city",
                NameKey = "csv city",
                City = "=cmd|' /C calc'!A0",
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
                Version = 1,
            });
            await db.SaveChangesAsync();
        }

        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync("/Analytics/GroupsCsv?dimension=City");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("customer-groups-city.csv", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Contains("\r\n'=cmd|' /C calc'!A0,1,", text, StringComparison.Ordinal);
    }
}
