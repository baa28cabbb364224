using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Api;
using CrmMarketing.Web.Services.Ingestion;
using CrmMarketing.Web.ViewModels.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.UnitTests.Api;

public sealed class IngestionServiceTests : IDisposable
{
    private static readonly ApiCaller Caller = new(7, "0123456789abcdef", "Shop", ApiScopes.Customers | ApiScopes.Purchases | ApiScopes.Events);
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static IngestionService Service(CrmDbContext db) =>
        new(db, new FixedTimeProvider(TestServices.Now), TestServices.Customers(db), TestServices.Audit(db), NullLogger<IngestionService>.Instance);

    [Fact]
    public async Task UpsertCustomersAsync_SameKeyTwiceInOneBatch_CreatesOneCustomerThenUpdatesIt()
    {
        await using var db = _database.CreateContext();

        var outcome = await Service(db).UpsertCustomersAsync(new CustomerBatchRequest
        {
            Items =
            [
                new CustomerItem { Email = "twice@example.com", Name = "First", City = "Shanghai" },
                new CustomerItem { Email = "TWICE@example.com", Name = "Second" },
            ],
        }, Caller, CancellationToken.None);

        Assert.Empty(outcome.Errors);
        Assert.Equal([ItemStatus.Created, ItemStatus.Updated], outcome.Results.Select(r => r.Status));
        Assert.Equal(outcome.Results[0].Id, outcome.Results[1].Id);
        await using var check = _database.CreateContext();
        var customer = await check.Customers.SingleAsync();
        Assert.Equal("Second", customer.Name);
        Assert.Equal("Shanghai", customer.City);
        Assert.Equal("api:" + Caller.KeyId, customer.CreatedBy);
        // The initial consent of a new customer is on the ledger once per channel.
        Assert.Equal(2, await check.ConsentChanges.CountAsync(c => c.CustomerId == customer.Id && c.Source == ConsentSources.Api));
    }

    [Fact]
    public async Task UpsertCustomersAsync_KeyMatchingTwoCustomers_RejectsTheItemAsAmbiguous()
    {
        await _database.AddCustomerAsync("One", c => c.ExternalId = "dup-1");
        await _database.AddCustomerAsync("Two", c => c.ExternalId = "dup-1");
        await using var db = _database.CreateContext();

        var outcome = await Service(db).UpsertCustomersAsync(new CustomerBatchRequest
        {
            MatchBy = "externalId",
            Items = [new CustomerItem { ExternalId = "dup-1", Name = "Three" }],
        }, Caller, CancellationToken.None);

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("externalId", error.Field);
        Assert.Empty(outcome.Results);
        await using var check = _database.CreateContext();
        Assert.Equal(["One", "Two"], await check.Customers.OrderBy(c => c.Id).Select(c => c.Name).ToListAsync());
    }

    [Theory]
    [InlineData("female", Gender.Female)]
    [InlineData(" MALE ", Gender.Male)]
    [InlineData("1", null)]
    [InlineData("Female, Male", null)]
    [InlineData("", null)]
    public void ParseEnum_AcceptsNamesOnly(string text, Gender? expected)
    {
        Assert.Equal(expected, IngestionService.ParseEnum<Gender>(text));
    }
}
