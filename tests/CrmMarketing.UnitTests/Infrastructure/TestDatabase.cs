using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Infrastructure;

/// <summary>A private SQLite in-memory database with the app's schema; it lives as long as this object.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly SqliteConnection _connection;

    public TestDatabase()
    {
        _connection = new SqliteConnection("DataSource=:memory:");
        _connection.Open();
        Options = new DbContextOptionsBuilder<CrmDbContext>().UseSqlite(_connection).Options;
        using var db = CreateContext();
        db.Database.EnsureCreated();
    }

    public DbContextOptions<CrmDbContext> Options { get; }

    public CrmDbContext CreateContext() => new(Options);

    public async Task<Customer> AddCustomerAsync(string name, Action<Customer>? configure = null)
    {
        await using var db = CreateContext();
        var customer = new Customer
        {
            Name = name,
            NameKey = Customer.KeyOf(name),
            CreatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            UpdatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Version = 1,
        };
        configure?.Invoke(customer);
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer;
    }

    public async Task<Product> AddProductAsync(string sku, decimal price, string category = "General")
    {
        await using var db = CreateContext();
        var product = new Product { Sku = sku, Name = "Product " + sku, Category = category, ListPrice = price, CreatedAt = DateTime.UtcNow };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product;
    }

    /// <summary>Adds a bare purchase row (no lines, cached customer aggregates untouched).</summary>
    public async Task AddPurchaseAsync(int customerId, DateTime purchasedAt, decimal total)
    {
        await using var db = CreateContext();
        db.Purchases.Add(new Purchase
        {
            OrderNumber = "T-" + Guid.NewGuid().ToString("N"),
            CustomerId = customerId,
            PurchasedAt = purchasedAt,
            Total = total,
            CreatedAt = purchasedAt,
        });
        await db.SaveChangesAsync();
    }

    public void Dispose() => _connection.Dispose();
}
