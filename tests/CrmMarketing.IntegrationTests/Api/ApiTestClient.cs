using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.ApiKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Api;

/// <summary>Helpers for calling the ingestion API the way another system would.</summary>
public static class ApiTestClient
{
    public static async Task<string> CreateKeyAsync(this CrmWebApplicationFactory factory, ApiScopes scopes, string name = "Test system")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        return await keys.CreateAsync(new ApiKeyFormModel
        {
            Name = name,
            Customers = scopes.HasFlag(ApiScopes.Customers),
            Purchases = scopes.HasFlag(ApiScopes.Purchases),
            Events = scopes.HasFlag(ApiScopes.Events),
        }, new Actor(null, "tests"), CancellationToken.None);
    }

    public static async Task<T> WithDbAsync<T>(this CrmWebApplicationFactory factory, Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    public static Task<HttpResponseMessage> PostApiAsync(this HttpClient client, string path, object body, string? key) =>
        client.PostJsonTextAsync(path, JsonSerializer.Serialize(body, JsonSerializerOptions.Web), key);

    public static async Task<HttpResponseMessage> PostJsonTextAsync(this HttpClient client, string path, string json, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<Product> AddProductAsync(this CrmWebApplicationFactory factory, decimal listPrice)
    {
        var product = new Product
        {
            Sku = "SKU-" + Guid.NewGuid().ToString("N")[..12],
            Name = "Test product",
            ListPrice = listPrice,
            CreatedAt = DateTime.UtcNow,
        };
        await factory.WithDbAsync(async db =>
        {
            db.Products.Add(product);
            return await db.SaveChangesAsync();
        });
        return product;
    }

    public static Task<Customer> LoadCustomerAsync(this CrmWebApplicationFactory factory, int id) =>
        factory.WithDbAsync(db => db.Customers.AsNoTracking().Include(c => c.Tags).SingleAsync(c => c.Id == id));

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];
}
