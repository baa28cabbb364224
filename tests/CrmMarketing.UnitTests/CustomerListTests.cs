using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests;

public class CustomerListTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<List<Customer>> SeedAsync(int count)
    {
        var random = new Random(42);
        string[] names = ["Wang", "Li", "Zhang", "liu", "Chen", "张伟", "王芳", "李娜", "Émile", "Zoë"];
        var customers = new List<Customer>();
        await using var db = _database.CreateContext();
        for (var i = 0; i < count; i++)
        {
            var name = $"{names[random.Next(names.Length)]} {random.Next(100)}";
            var customer = new Customer
            {
                Name = name,
                NameKey = Customer.KeyOf(name),
                Email = $"user{i}@example.com",
                EmailKey = $"user{i}@example.com",
                Phone = $"+86138{i:D8}",
                City = i % 3 == 0 ? "上海" : "北京",
                CreatedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(5000)),
                UpdatedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                // Duplicated values make the Id tie-breaker matter; a third never bought anything (NULL).
                LastPurchaseAt = i % 3 == 1 ? null : new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(20)),
                TotalSpent = random.Next(10) * 10.5m,
                OrderCount = random.Next(5),
                IsArchived = i % 17 == 0,
                Version = 1,
            };
            if (i % 4 == 0)
            {
                customer.Tags.Add(new CustomerTag { Tag = "vip" });
            }

            customers.Add(customer);
        }

        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();
        return customers;
    }

    private static IEnumerable<Customer> Expected(IEnumerable<Customer> all, CustomerSort sort, bool desc)
    {
        var active = all.Where(c => !c.IsArchived);
        // SQLite orders NULL first ascending and compares text by code point.
        IOrderedEnumerable<Customer> ordered = sort switch
        {
            CustomerSort.Name => desc ? active.OrderByDescending(c => c.NameKey, StringComparer.Ordinal) : active.OrderBy(c => c.NameKey, StringComparer.Ordinal),
            CustomerSort.Created => desc ? active.OrderByDescending(c => c.CreatedAt) : active.OrderBy(c => c.CreatedAt),
            CustomerSort.LastPurchase => desc ? active.OrderByDescending(c => c.LastPurchaseAt) : active.OrderBy(c => c.LastPurchaseAt),
            CustomerSort.TotalSpent => desc ? active.OrderByDescending(c => c.TotalSpent) : active.OrderBy(c => c.TotalSpent),
            _ => desc ? active.OrderByDescending(c => c.OrderCount) : active.OrderBy(c => c.OrderCount),
        };
        return desc ? ordered.ThenByDescending(c => c.Id) : ordered.ThenBy(c => c.Id);
    }

    /// <summary>Every sort both ways, unfiltered (a compiled query per shape) and with a filter that keeps every
    /// row (the dynamically composed query): both paths must page identically.</summary>
    public static TheoryData<CustomerSort, bool, bool> Sorts()
    {
        var data = new TheoryData<CustomerSort, bool, bool>();
        foreach (var sort in Enum.GetValues<CustomerSort>())
        {
            foreach (var filtered in new[] { false, true })
            {
                data.Add(sort, false, filtered);
                data.Add(sort, true, filtered);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task ListAsync_KeysetPagingForwardAndBack_VisitsEveryRowOnceInOrder(CustomerSort sort, bool desc, bool filtered)
    {
        // No seeded customer opted in to email, so this filter changes the query but not the rows.
        var consent = filtered ? ConsentFilter.EmailNotOptedIn : ConsentFilter.Any;
        var all = await SeedAsync(230);
        var expected = Expected(all, sort, desc).Select(c => c.Id).ToList();
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);

        var pages = new List<CustomerListViewModel>();
        var query = new CustomerListQuery { Sort = sort, Desc = desc, Size = 25, Consent = consent };
        while (true)
        {
            var page = await service.ListAsync(query, default);
            pages.Add(page);
            if (!page.HasNext)
            {
                break;
            }

            query = new CustomerListQuery { Sort = sort, Desc = desc, Size = 25, Consent = consent, Page = query.Page + 1, After = page.NextCursor };
        }

        Assert.Equal(expected, pages.SelectMany(p => p.Rows).Select(r => r.Id).ToList());
        Assert.False(pages[0].HasPrevious);
        Assert.All(pages.Skip(1), p => Assert.True(p.HasPrevious));

        // Walking back from the last page with "previous" cursors returns the same pages.
        var back = pages[^1];
        for (var i = pages.Count - 2; i >= 1; i--)
        {
            back = await service.ListAsync(new CustomerListQuery { Sort = sort, Desc = desc, Size = 25, Consent = consent, Page = i + 1, Before = back.PreviousCursor }, default);
            Assert.Equal(pages[i].Rows.Select(r => r.Id), back.Rows.Select(r => r.Id));
            Assert.True(back.HasNext);
        }
    }

    [Fact]
    public async Task ListAsync_PageNumberWithoutCursor_UsesOffset()
    {
        var all = await SeedAsync(80);
        await using var db = _database.CreateContext();

        var page = await TestServices.Customers(db).ListAsync(new CustomerListQuery { Page = 2, Size = 25 }, default);

        Assert.Equal(Expected(all, CustomerSort.Name, false).Skip(25).Take(25).Select(c => c.Id), page.Rows.Select(r => r.Id));
        Assert.True(page.HasPrevious);
    }

    [Theory]
    [InlineData("wang", "wang")]
    [InlineData("WANG", "wang")]
    [InlineData("张", "张")]
    [InlineData("zo", "zoë")]
    public async Task ListAsync_NamePrefixSearch_IsCaseInsensitive(string term, string expectedPrefix)
    {
        var all = await SeedAsync(120);
        await using var db = _database.CreateContext();

        var result = await TestServices.Customers(db).ListAsync(new CustomerListQuery { Q = term, Size = 100 }, default);

        var expected = all.Where(c => !c.IsArchived && c.NameKey.StartsWith(expectedPrefix, StringComparison.Ordinal)).Select(c => c.Id).Order();
        Assert.NotEmpty(result.Rows);
        Assert.Equal(expected, result.Rows.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task ListAsync_EmailAndPhoneSearch_FindByPrefix()
    {
        await SeedAsync(40);
        await using var db = _database.CreateContext();
        var service = TestServices.Customers(db);

        var byEmail = await service.ListAsync(new CustomerListQuery { Q = "USER1@", Size = 100 }, default);
        Assert.Equal("user1@example.com", Assert.Single(byEmail.Rows).Email);

        // National digits find the E.164 number.
        var byPhone = await service.ListAsync(new CustomerListQuery { Q = "138 0000 0002", Size = 100 }, default);
        Assert.Equal("+8613800000002", Assert.Single(byPhone.Rows).Phone);
    }

    [Fact]
    public async Task ListAsync_Filters_CombineWithAnd()
    {
        var all = await SeedAsync(200);
        await using var db = _database.CreateContext();
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 1, 21, 0, 0, 0, TimeSpan.Zero));
        var service = TestServices.Customers(db, time);

        var result = await service.ListAsync(new CustomerListQuery { City = "上海", Tag = "VIP", PurchasedWithinDays = 10, Size = 100 }, default);

        var since = time.Now.UtcDateTime.AddDays(-10);
        var expected = all.Where(c => !c.IsArchived && c.City == "上海" && c.Tags.Any(t => t.Tag == "vip") && c.LastPurchaseAt >= since)
            .Select(c => c.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, result.Rows.Select(r => r.Id).Order());
        Assert.Equal(expected.Count, result.Count);
    }

    [Fact]
    public async Task ListAsync_Archived_ShowsOnlyArchived()
    {
        var all = await SeedAsync(60);
        await using var db = _database.CreateContext();

        var result = await TestServices.Customers(db).ListAsync(new CustomerListQuery { Archived = true, Size = 100 }, default);

        Assert.Equal(all.Where(c => c.IsArchived).Select(c => c.Id).Order(), result.Rows.Select(r => r.Id).Order());
        Assert.All(result.Rows, r => Assert.True(r.IsArchived));
    }

    [Fact]
    public async Task ListAsync_ManyMatches_CountStopsAtCap()
    {
        await using (var seed = _database.CreateContext())
        {
            await seed.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050)
                INSERT INTO Customers (Name, NameKey, Gender, EmailConsent, SmsConsent, CreatedAt, UpdatedAt, IsArchived, OrderCount, TotalSpent, Version)
                SELECT 'c' || i, 'c' || i, 0, 0, 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, 0, 0, 1 FROM n
                """);
        }

        await using var db = _database.CreateContext();
        var result = await TestServices.Customers(db).ListAsync(new CustomerListQuery(), default);

        Assert.True(result.CountIsCapped);
        Assert.Equal(CustomerListViewModel.CountCap + 1, result.Count);
    }

    [Fact]
    public void CustomerCursor_TamperedOrOtherSort_IsRejected()
    {
        var row = new CustomerRowViewModel(7, "Wang", null, null, null, null, null, 1, 10m, null, DateTime.UtcNow, false);
        var token = CustomerCursor.Of(CustomerSort.Name, row).Encode();

        Assert.Equal(new CustomerCursor(CustomerSort.Name, "wang", 7), CustomerCursor.TryDecode(token, CustomerSort.Name));
        Assert.Null(CustomerCursor.TryDecode(token, CustomerSort.TotalSpent));
        Assert.Null(CustomerCursor.TryDecode("garbage!!", CustomerSort.Name));
        Assert.Null(CustomerCursor.TryDecode(token[..^2], CustomerSort.Name));
    }

    [Fact]
    public void CustomerListQuery_BadSizeOrCursor_IsInvalid()
    {
        var query = new CustomerListQuery { Size = 7, After = "garbage" };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            query, new System.ComponentModel.DataAnnotations.ValidationContext(query), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(CustomerListQuery.Size)));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(CustomerListQuery.After)));
    }
}
