using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.IntegrationTests.Api;

public sealed class IngestionApiTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private const string CustomersPath = "/api/v1/customers";
    private const string PurchasesPath = "/api/v1/purchases";
    private const string EventsPath = "/api/v1/events";

    private static string UniquePhone() => "+86138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    private static string UniqueEmail() => ApiTestClient.Unique("api-") + "@example.com";

    private async Task<int> CreateCustomerAsync(string key, object item, string matchBy = "email")
    {
        using var client = factory.CreateAnonymousClient();
        using var response = await client.PostApiAsync(CustomersPath, new { matchBy, items = new[] { item } }, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        return (int)json["results"]![0]!["id"]!;
    }

    [Fact]
    public async Task Post_WithoutKey_Returns401ProblemWithBearerChallenge()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { items = new[] { new { email = UniqueEmail(), name = "A" } } }, key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(401, (int)(await response.JsonAsync())["status"]!);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("crm_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Post_WithUnknownKey_Returns401(string key)
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { items = new[] { new { email = UniqueEmail(), name = "A" } } }, key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithRightIdButWrongSecret_Returns401AndStoresNothing()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        var forged = key[..^2] + (key[^2..] == "AA" ? "BB" : "AA");
        var email = UniqueEmail();
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { items = new[] { new { email, name = "Forged" } } }, forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Customers.AnyAsync(c => c.EmailKey == email)));
    }

    [Fact]
    public async Task Post_WithRevokedKey_Returns401()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();
        using (var before = await client.PostApiAsync(CustomersPath, new { items = new[] { new { email = UniqueEmail(), name = "Before" } } }, key))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var keyId = ApiKeySecret.TryGetKeyId(key);
        var id = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.KeyId == keyId).Select(k => k.Id).SingleAsync());
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        using (var revoked = await admin.PostFormAsync($"/ApiKeys/Revoke/{id}", tokenPageUrl: "/ApiKeys"))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        }

        using var after = await client.PostApiAsync(CustomersPath, new { items = new[] { new { email = UniqueEmail(), name = "After" } } }, key);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task UnknownApiRoute_Anonymous_Returns401NotALoginRedirect()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Post_FormEncodedBodyWithKey_Returns415()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, CustomersPath)
        {
            Content = new FormUrlEncodedContent([new("items", "x")]),
        };
        request.Headers.Authorization = new("Bearer", key);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_KeyWithoutTheScope_Returns403()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Events | ApiScopes.Purchases);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { items = new[] { new { email = UniqueEmail(), name = "A" } } }, key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_KeyInXApiKeyHeader_IsAccepted()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, CustomersPath)
        {
            Content = new StringContent($$"""{"items":[{"email":"{{UniqueEmail()}}","name":"Header"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", key);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keyId = ApiKeySecret.TryGetKeyId(key);
        Assert.NotNull(await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.KeyId == keyId).Select(k => k.LastUsedAt).SingleAsync()));
    }

    [Fact]
    public async Task Post_BodyOverOneMegabyte_Returns413Problem()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Events);
        using var client = factory.CreateAnonymousClient();
        var json = "{\"items\":[{\"type\":\"page_view\",\"source\":\"" + new string('x', 1024 * 1024) + "\"}]}";

        using var response = await client.PostJsonTextAsync(EventsPath, json, key);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"items\":[{\"email\":")]
    [InlineData("not json at all")]
    [InlineData("{\"items\":{\"email\":\"a@b.cn\"}}")]
    [InlineData("{\"items\":[{\"birthDate\":\"yesterday\"}]}")]
    [InlineData("")]
    public async Task Post_MalformedJson_Returns400Problem(string body)
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostJsonTextAsync(CustomersPath, body, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (int)(await response.JsonAsync())["status"]!);
    }

    [Fact]
    public async Task Post_MoreThan1000Items_Returns400AndStoresNothing()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Events);
        var customerId = await CreateCustomerAsync(await factory.CreateKeyAsync(ApiScopes.Customers), new { email = UniqueEmail(), name = "Busy" });
        var items = Enumerable.Range(0, 1001).Select(_ => new { customerId, type = "page_view", occurredAt = DateTimeOffset.UtcNow.AddHours(-1) });
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(EventsPath, new { items }, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await factory.WithDbAsync(db => db.CustomerEvents.CountAsync(e => e.CustomerId == customerId)));
    }

    [Fact]
    public async Task Post_EmptyBatch_Returns400()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { items = Array.Empty<object>() }, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UpsertCustomers_SomeItemsInvalid_StoresTheValidOnesAndListsErrorsPerItem()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        var good1 = UniqueEmail();
        var good2 = UniqueEmail();
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new
        {
            matchBy = "email",
            items = new object[]
            {
                new { email = good1, name = "Valid One", city = "上海", tags = new[] { "VIP", "api" } },
                new { email = "not-an-email", name = "Bad Email" },
                new { email = good2, name = "Valid Two", phone = "13812345678" },
                new { email = UniqueEmail(), gender = "robot" },
            },
        }, key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.JsonAsync();
        Assert.Equal(4, (int)json["received"]!);
        Assert.Equal(2, (int)json["accepted"]!);
        Assert.Equal(2, (int)json["rejected"]!);
        Assert.Equal([0, 2], json["results"]!.AsArray().Select(r => (int)r!["index"]!));
        Assert.All(json["results"]!.AsArray(), r => Assert.Equal("created", (string)r!["status"]!));
        var errors = json["errors"]!.AsArray().Select(e => ((int)e!["index"]!, (string)e["field"]!)).ToList();
        Assert.Contains((1, "email"), errors);
        Assert.Contains((3, "gender"), errors);
        Assert.All(json["errors"]!.AsArray(), e => Assert.False(string.IsNullOrWhiteSpace((string?)e!["message"])));

        var stored = await factory.WithDbAsync(db => db.Customers.AsNoTracking().Include(c => c.Tags)
            .Where(c => c.EmailKey == good1 || c.EmailKey == good2).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(["Valid One", "Valid Two"], stored.Select(c => c.Name));
        Assert.Equal(["api", "vip"], stored[0].Tags.Select(t => t.Tag).Order(StringComparer.Ordinal));
        Assert.Equal("+8613812345678", stored[1].Phone);
        Assert.False(await factory.WithDbAsync(db => db.Customers.AnyAsync(c => c.Name == "Bad Email")));
    }

    [Fact]
    public async Task UpsertCustomers_ByEmail_UpdatesTheExistingCustomerAndKeepsAbsentFields()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        var email = UniqueEmail();
        var id = await CreateCustomerAsync(key, new { email, name = "Old Name", city = "Beijing", emailConsent = "optedIn" });

        using var client = factory.CreateAnonymousClient();
        using var response = await client.PostApiAsync(CustomersPath, new { matchBy = "email", items = new[] { new { email = "  " + email.ToUpperInvariant(), name = "New Name", emailConsent = "optedOut" } } }, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.JsonAsync())["results"]![0]!;
        Assert.Equal("updated", (string)result["status"]!);
        Assert.Equal(id, (int)result["id"]!);
        var customer = await factory.LoadCustomerAsync(id);
        Assert.Equal("New Name", customer.Name);
        Assert.Equal("Beijing", customer.City);
        Assert.Equal(ConsentState.OptedOut, customer.EmailConsent);
        var ledger = await factory.WithDbAsync(db => db.ConsentChanges.Where(c => c.CustomerId == id && c.Channel == ConsentChannel.Email)
            .OrderBy(c => c.Id).Select(c => c.State).ToListAsync());
        Assert.Equal([ConsentState.OptedIn, ConsentState.OptedOut], ledger);
    }

    [Fact]
    public async Task UpsertCustomers_ByPhone_UpdatesTheExistingCustomer()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        var phone = UniquePhone();
        var id = await CreateCustomerAsync(key, new { phone, name = "Phone Person" }, matchBy: "phone");

        // The same number written nationally, with spaces.
        var national = phone[3..6] + " " + phone[6..10] + " " + phone[10..];
        var newId = await CreateCustomerAsync(key, new { phone = national, city = "Hangzhou" }, matchBy: "phone");

        Assert.Equal(id, newId);
        var customer = await factory.LoadCustomerAsync(id);
        Assert.Equal("Hangzhou", customer.City);
        Assert.Equal("Phone Person", customer.Name);
        Assert.Equal(1, await factory.WithDbAsync(db => db.Customers.CountAsync(c => c.Phone == phone)));
    }

    [Fact]
    public async Task UpsertCustomers_ByExternalId_UpdatesTheExistingCustomerAndChangesItsEmail()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        var externalId = ApiTestClient.Unique("ext-");
        var id = await CreateCustomerAsync(key, new { externalId, name = "Ext Person", email = UniqueEmail() }, matchBy: "externalId");
        var newEmail = UniqueEmail();

        var sameId = await CreateCustomerAsync(key, new { externalId, email = newEmail, tags = new[] { "moved" } }, matchBy: "externalId");

        Assert.Equal(id, sameId);
        var customer = await factory.LoadCustomerAsync(id);
        Assert.Equal(newEmail, customer.EmailKey);
        Assert.Equal(["moved"], customer.Tags.Select(t => t.Tag));
        Assert.True(customer.Version > 0);
    }

    [Fact]
    public async Task UpsertCustomers_NewCustomerWithoutName_IsRejected()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { items = new[] { new { email = UniqueEmail() } } }, key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.JsonAsync())["errors"]![0]!;
        Assert.Equal("name", (string)error["field"]!);
        Assert.Equal(0, (int)error["index"]!);
    }

    [Fact]
    public async Task UpsertCustomers_UnknownMatchBy_Returns400()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { matchBy = "name", items = new[] { new { name = "X" } } }, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("matchBy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPurchases_KeepsAggregatesExact_AndIsIdempotentByOrderNumber()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers | ApiScopes.Purchases);
        var externalId = ApiTestClient.Unique("buyer-");
        var customerId = await CreateCustomerAsync(key, new { externalId, name = "Buyer" }, matchBy: "externalId");
        var shirt = await factory.AddProductAsync(99.90m);
        var socks = await factory.AddProductAsync(12.50m);
        var order1 = ApiTestClient.Unique("ORD-");
        var order2 = ApiTestClient.Unique("ORD-");
        var refund = ApiTestClient.Unique("RET-");
        var first = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(8));
        var batch = new
        {
            items = new object[]
            {
                new { orderNumber = order1, customerExternalId = externalId, purchasedAt = first, lines = new object[] { new { sku = shirt.Sku, quantity = 2 }, new { sku = socks.Sku, quantity = 3, unitPrice = 10.01m } } },
                new { orderNumber = order2, customerId, purchasedAt = first.AddDays(10), channel = "store", lines = new object[] { new { sku = socks.Sku, quantity = 1 } } },
                new { orderNumber = refund, customerId, purchasedAt = first.AddDays(12), lines = new object[] { new { sku = socks.Sku, quantity = -1 } } },
                new { orderNumber = order1, customerId, purchasedAt = first, lines = new object[] { new { sku = shirt.Sku, quantity = 2 } } },
            },
        };
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(PurchasesPath, batch, key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.JsonAsync())["results"]!.AsArray();
        Assert.Equal(["created", "created", "created", "exists"], results.Select(r => (string)r!["status"]!));
        Assert.Equal((int)results[0]!["id"]!, (int)results[3]!["id"]!);
        await AssertAggregatesAsync();

        // The whole batch again (a retry after a timeout): nothing new, same answer ids.
        using var retry = await client.PostApiAsync(PurchasesPath, batch, key);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var retried = (await retry.JsonAsync())["results"]!.AsArray();
        Assert.All(retried, r => Assert.Equal("exists", (string)r!["status"]!));
        Assert.Equal(results.Select(r => (int)r!["id"]!), retried.Select(r => (int)r!["id"]!));
        Assert.Equal(3, await factory.WithDbAsync(db => db.Purchases.CountAsync(p => p.CustomerId == customerId)));
        await AssertAggregatesAsync();

        async Task AssertAggregatesAsync()
        {
            var customer = await factory.LoadCustomerAsync(customerId);
            // 2 × 99.90 + 3 × 10.01 = 229.83; + 12.50; − 12.50.
            Assert.Equal(229.83m, customer.TotalSpent);
            Assert.Equal(2, customer.OrderCount);
            Assert.Equal(first.UtcDateTime, customer.FirstPurchaseAt);
            Assert.Equal(first.AddDays(10).UtcDateTime, customer.LastPurchaseAt);
            var sum = await factory.WithDbAsync(db => db.Purchases.Where(p => p.CustomerId == customerId).SumAsync(p => p.Total));
            Assert.Equal(sum, customer.TotalSpent);
        }
    }

    [Fact]
    public async Task AddPurchases_UnknownSkuOrCustomer_RejectsOnlyThoseItems()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers | ApiScopes.Purchases);
        var customerId = await CreateCustomerAsync(key, new { email = UniqueEmail(), name = "Partial" });
        var product = await factory.AddProductAsync(5m);
        var good = ApiTestClient.Unique("ORD-");
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(PurchasesPath, new
        {
            items = new object[]
            {
                new { orderNumber = ApiTestClient.Unique("ORD-"), customerId, purchasedAt = DateTimeOffset.UtcNow, lines = new object[] { new { sku = product.Sku, quantity = 1 }, new { sku = "NO-SUCH-SKU", quantity = 1 } } },
                new { orderNumber = ApiTestClient.Unique("ORD-"), customerEmail = UniqueEmail(), purchasedAt = DateTimeOffset.UtcNow, lines = new object[] { new { sku = product.Sku, quantity = 1 } } },
                new { orderNumber = good, customerId, purchasedAt = DateTimeOffset.UtcNow, lines = new object[] { new { sku = product.Sku, quantity = 4 } } },
                new { orderNumber = ApiTestClient.Unique("ORD-"), customerId, purchasedAt = DateTimeOffset.UtcNow, lines = new object[] { new { sku = product.Sku, quantity = 0 } } },
            },
        }, key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await response.JsonAsync();
        var errors = json["errors"]!.AsArray().Select(e => ((int)e!["index"]!, (string)e["field"]!)).ToList();
        Assert.Contains((0, "lines[1].sku"), errors);
        Assert.Contains((1, "customerEmail"), errors);
        Assert.Contains((3, "lines[0].quantity"), errors);
        Assert.Equal(2, (int)(await response.JsonAsync())["results"]![0]!["index"]!);
        var customer = await factory.LoadCustomerAsync(customerId);
        Assert.Equal(20m, customer.TotalSpent);
        Assert.Equal(1, customer.OrderCount);
        Assert.Equal([good], await factory.WithDbAsync(db => db.Purchases.Where(p => p.CustomerId == customerId).Select(p => p.OrderNumber).ToListAsync()));
    }

    [Fact]
    public async Task AddEvents_ValidBatch_StoresEventsForTheCustomer()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers | ApiScopes.Events);
        var phone = UniquePhone();
        var customerId = await CreateCustomerAsync(key, new { phone, name = "Browser" }, matchBy: "phone");
        var at = new DateTimeOffset(2026, 5, 1, 9, 30, 0, TimeSpan.FromHours(8));
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(EventsPath, new
        {
            items = new object[]
            {
                new { customerPhone = phone, type = "page_view", occurredAt = at, source = "web", properties = new { page = "/sale" } },
                new { customerId, type = "cart_add", occurredAt = at.AddMinutes(2) },
                new { customerId, type = "Bad Type!", occurredAt = at },
                new { customerId, type = "search", occurredAt = at, properties = new[] { 1, 2 } },
            },
        }, key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal(2, (int)json["accepted"]!);
        var errors = json["errors"]!.AsArray().Select(e => ((int)e!["index"]!, (string)e["field"]!)).ToList();
        Assert.Equal([(2, "type"), (3, "properties")], errors);
        var events = await factory.WithDbAsync(db => db.CustomerEvents.AsNoTracking().Where(e => e.CustomerId == customerId).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(["page_view", "cart_add"], events.Select(e => e.Type));
        Assert.Equal(at.UtcDateTime, events[0].OccurredAt);
        Assert.Equal("{\"page\":\"/sale\"}", events[0].PropertiesJson);
    }

    [Fact]
    public async Task AddEvents_TimeWithoutOffset_IsTakenAsUtc_AndANonDateIsA400()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers | ApiScopes.Events);
        var customerId = await CreateCustomerAsync(key, new { email = UniqueEmail(), name = "Zone" });
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostJsonTextAsync(EventsPath,
            $$"""{"items":[{"customerId":{{customerId}},"type":"store_visit","occurredAt":"2026-05-01T09:30:00"}]}""", key);
        using var bad = await client.PostJsonTextAsync(EventsPath,
            $$"""{"items":[{"customerId":{{customerId}},"type":"store_visit","occurredAt":"01/05/2026"}]}""", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await factory.WithDbAsync(db => db.CustomerEvents.Where(e => e.CustomerId == customerId).Select(e => e.OccurredAt).SingleAsync());
        Assert.Equal(new DateTime(2026, 5, 1, 9, 30, 0, DateTimeKind.Utc), stored);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Batch_WritesOneAuditEntryWithCountsAndKeyButNoPersonalData()
    {
        var key = await factory.CreateKeyAsync(ApiScopes.Customers);
        var keyId = ApiKeySecret.TryGetKeyId(key)!;
        var id = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.KeyId == keyId).Select(k => k.Id).SingleAsync());
        var email = UniqueEmail();
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostApiAsync(CustomersPath, new { items = new object[] { new { email, name = "Secret Name" }, new { email = "bad" } } }, key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var entry = await factory.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.Action == AuditActions.ApiCustomers && e.EntityId == id.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(AuditEntityTypes.ApiKey, entry.EntityType);
        Assert.Equal("api:" + keyId, entry.UserName);
        var changes = JsonNode.Parse(entry.Changes!)!.AsArray().ToDictionary(c => (string)c!["field"]!, c => (string?)c!["after"]);
        Assert.Equal("2", changes["Received"]);
        Assert.Equal("1", changes["Created"]);
        Assert.Equal("1", changes["Rejected"]);
        Assert.DoesNotContain(email, entry.Changes!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Secret Name", entry.Changes!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAnonymouslyAndDescribesTheThreeEndpoints()
    {
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        var paths = json["paths"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/api/v1/customers", "/api/v1/events", "/api/v1/purchases"], paths);
        Assert.NotNull(json["components"]!["securitySchemes"]!["ApiKey"]);
    }
}
