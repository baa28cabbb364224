using System.Net;
using System.Text;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Customers;

public sealed class CustomerExportTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private async Task AddCustomersAsync(params (string Name, string City)[] customers)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        foreach (var (name, city) in customers)
        {
            db.Customers.Add(new Customer
            {
                Name = name,
                NameKey = Customer.KeyOf(name),
                City = city,
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
                Version = 1,
            });
        }

        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Export_AsMarketerWithCityFilter_StreamsNeutralizedCsvOfMatchingCustomers()
    {
        var city = "City" + Guid.NewGuid().ToString("N")[..8];
        await AddCustomersAsync(
            ("=HYPERLINK(\"http://evil.example\",\"Click\")", city),
            ("Plain Person", city),
            ("Elsewhere Person", "Other" + city));
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await client.GetAsync($"/Customers/Export?city={city}&sort=Name");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^customers-\d{8}-\d{4}\.csv$", response.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Id,Name,Email,Phone,Gender,Birth date,City,", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\",", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",Plain Person,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_AsSales_IsForbidden()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync("/Customers/Export");

        Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath),
            $"expected the access-denied redirect, got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Index_ExportButton_ShownToMarketerWithFiltersAndHiddenFromSales()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        var marketerPage = await HtmlPage.ParseAsync(await marketer.GetAsync("/Customers?city=Hangzhou&sort=Created&desc=true&page=2"));
        var salesPage = await HtmlPage.ParseAsync(await sales.GetAsync("/Customers"));

        var href = marketerPage.QuerySelector("#export-customers")?.GetAttribute("href");
        Assert.NotNull(href);
        Assert.StartsWith("/Customers/Export?", href);
        Assert.Contains("city=Hangzhou", href);
        Assert.Contains("sort=Created", href);
        Assert.Contains("desc=true", href);
        Assert.DoesNotContain("page=", href);
        Assert.Null(salesPage.QuerySelector("#export-customers"));
        CspAssert.NoInlineCode(marketerPage, "/Customers");
    }
}
