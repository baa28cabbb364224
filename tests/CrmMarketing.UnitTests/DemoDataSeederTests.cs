using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Data.DemoData;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Customers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.UnitTests;

public sealed partial class DemoDataSeederTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 30, 0, TimeSpan.Zero);
    private static DateTime UtcNow => Now.UtcDateTime;

    [Fact]
    public async Task SeedAccountsAsync_CalledTwice_CreatesEachRoleAccountOnce()
    {
        await using var db = await SeederDatabase.CreateAsync();

        await db.SeedAccountsAsync();
        await db.SeedAccountsAsync();

        await using var scope = db.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Equal(3, await users.Users.CountAsync());
        foreach (var (email, role) in new[] { ("admin@crm.local", Roles.Admin), ("marketer@crm.local", Roles.Marketer), ("sales@crm.local", Roles.Sales) })
        {
            var user = await users.FindByEmailAsync(email);
            Assert.NotNull(user);
            Assert.False(string.IsNullOrWhiteSpace(user.DisplayName));
            Assert.Equal([role], await users.GetRolesAsync(user));
            Assert.True(await users.CheckPasswordAsync(user, new DemoOptions().Password));
        }
    }

    [Fact]
    public async Task SeedDataAsync_CalledTwice_SecondRunAddsNothing()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 150);
        await db.SeedAccountsAsync();
        await db.SeedDataAsync();
        var first = await db.TableCountsAsync();

        await db.SeedDataAsync();

        Assert.Equal(first, await db.TableCountsAsync());
        Assert.StartsWith("150,", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedDataAsync_DatabaseHasCustomers_DoesNotSeed()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 50);
        await using (var scope = db.Scope())
        {
            var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            context.Customers.Add(new Customer { Name = "Existing", NameKey = "existing", CreatedAt = UtcNow, UpdatedAt = UtcNow, Version = 1 });
            await context.SaveChangesAsync();
        }

        await db.SeedDataAsync();

        Assert.Equal(1L, await db.ScalarAsync("SELECT COUNT(*) FROM Customers"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT COUNT(*) FROM Purchases"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT COUNT(*) FROM Products"));
    }

    [Fact]
    public async Task SeedDataAsync_CustomersDeletedSinceLastRun_ReusesExistingProducts()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 60);
        await db.SeedDataAsync();
        var products = await db.DumpAsync("SELECT Id, Sku, Name FROM Products ORDER BY Id");
        await db.ScalarAsync("DELETE FROM Purchases; DELETE FROM Customers; SELECT 0;");

        await db.SeedDataAsync();

        Assert.Equal(60L, await db.ScalarAsync("SELECT COUNT(*) FROM Customers"));
        Assert.Equal(products, await db.DumpAsync("SELECT Id, Sku, Name FROM Products ORDER BY Id"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT COUNT(*) FROM PurchaseLines l LEFT JOIN Products p ON p.Id = l.ProductId WHERE p.Id IS NULL"));
        Assert.Equal(12L, await db.ScalarAsync("SELECT COUNT(*) FROM MarketingActivities"));
    }

    [Fact]
    public async Task SeedDataAsync_Activities_CoverEveryStatusWithCostsAndOneOverspend()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 30);

        await db.SeedDataAsync();

        Assert.Equal(5L, await db.ScalarAsync("SELECT COUNT(DISTINCT Status) FROM MarketingActivities"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT COUNT(*) FROM MarketingActivities WHERE EndDate < StartDate"));
        Assert.True(await db.ScalarAsync("SELECT COUNT(*) FROM ActivityCosts") > 10);
        Assert.Equal(1L, await db.ScalarAsync(
            "SELECT COUNT(*) FROM MarketingActivities a WHERE a.Budget < (SELECT SUM(c.Amount) FROM ActivityCosts c WHERE c.ActivityId = a.Id)"));
    }

    [Theory]
    [InlineData("zh_CN")]
    [InlineData("en")]
    public async Task SeedDataAsync_SameSeedAndClock_ProducesIdenticalData(string locale)
    {
        await using var a = await SeederDatabase.CreateAsync(customers: 300, locale: locale);
        await using var b = await SeederDatabase.CreateAsync(customers: 300, locale: locale);

        await a.SeedDataAsync();
        await b.SeedDataAsync();

        const string customers = """
            SELECT Id, Name, Email, Phone, Gender, BirthDate, City, Region, PostalCode, Source, EmailConsent, SmsConsent,
                   CreatedAt, OrderCount, TotalSpent, FirstPurchaseAt, LastPurchaseAt FROM Customers ORDER BY Id
            """;
        const string purchases = "SELECT OrderNumber, CustomerId, PurchasedAt, Channel, CouponCode, Total FROM Purchases ORDER BY Id";
        const string lines = "SELECT PurchaseId, ProductId, Quantity, UnitPrice, Amount FROM PurchaseLines ORDER BY Id";
        const string events = "SELECT CustomerId, Type, OccurredAt, PropertiesJson FROM CustomerEvents ORDER BY Id";
        const string notes = "SELECT CustomerId, Body, CreatedAt FROM CustomerNotes ORDER BY Id";
        const string feedback = "SELECT CustomerId, Scale, Score, Content, Channel, SurveyId, CreatedAt FROM Feedback ORDER BY Id";
        foreach (var sql in new[] { customers, purchases, lines, events, notes, feedback, "SELECT CustomerId, Tag FROM CustomerTags ORDER BY 1, 2" })
        {
            var dumpA = await a.DumpAsync(sql);
            Assert.True(dumpA.Length > 1000, sql);
            Assert.Equal(dumpA, await b.DumpAsync(sql));
        }
    }

    [Fact]
    public async Task SeedDataAsync_WithAccounts_SeedsSurveysFeedbackAndFollowUpsForLowScores()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 400);
        await db.SeedAccountsAsync();

        await db.SeedDataAsync();

        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        Assert.Equal(2, await context.Surveys.CountAsync());
        var invited = await context.SurveyInvitations.CountAsync();
        var answered = await context.SurveyInvitations.CountAsync(i => i.AnsweredAt != null);
        Assert.InRange(answered, 1, invited - 1);
        Assert.Equal(answered, await context.Feedback.CountAsync(f => f.SurveyId != null));
        Assert.True(await context.Feedback.AnyAsync(f => f.CreatedByUserId != null), "Staff logged feedback too.");
        Assert.True(await context.Customers.AnyAsync(c => c.OwnerUserId != null));
        var low = await context.Feedback.CountAsync(f => (f.Scale == ScoreScale.Nps && f.Score <= 6) || (f.Scale == ScoreScale.Csat && f.Score <= 2));
        Assert.True(low > 0);
        Assert.Equal(low, await context.FollowUpTasks.CountAsync());
        Assert.True(await context.FollowUpTasks.AnyAsync(t => t.Status == FollowUpStatus.Done && t.Resolution != null));
        Assert.True(await context.FollowUpTasks.AnyAsync(t => t.Status == FollowUpStatus.Open));
        Assert.True(await context.Feedback.AnyAsync(f => f.Scale == ScoreScale.Nps && f.Score >= 9));
    }

    [Fact]
    public async Task SeedDataAsync_DefaultOptions_SeedsFullDataSetWithExactAggregates()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: new DemoOptions().Customers);
        await db.SeedAccountsAsync();

        await db.SeedDataAsync();

        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var customers = await context.Customers.AsNoTracking().ToListAsync();
        var purchases = await context.Purchases.AsNoTracking().Include(p => p.Lines).ToListAsync();
        var products = await context.Products.AsNoTracking().ToListAsync();

        Assert.Equal(2000, customers.Count);
        Assert.InRange(products.Count, 55, 65);
        Assert.Equal(8, products.Select(p => p.Category).Distinct().Count());
        Assert.InRange(purchases.Count, 18_000, 22_000);
        Assert.InRange(await db.ScalarAsync("SELECT COUNT(*) FROM CustomerEvents"), 28_000L, 32_000L);
        Assert.InRange(await db.ScalarAsync("SELECT COUNT(*) FROM CustomerNotes"), 1_400L, 1_600L);
        Assert.InRange(customers.Select(c => c.City).Distinct().Count(), 28, 35);
        Assert.True(customers.Select(c => c.Region).Distinct().Count() >= 15);

        // Money: amount = unit price × quantity, total = Σ amounts; returns are negative throughout.
        Assert.All(purchases, p =>
        {
            Assert.InRange(p.Lines.Count, 1, 4);
            Assert.All(p.Lines, l => Assert.Equal(l.UnitPrice * l.Quantity, l.Amount));
            Assert.Equal(p.Lines.Sum(l => l.Amount), p.Total);
            Assert.Equal(p.Total < 0, p.Lines.All(l => l.Quantity < 0));
            Assert.Equal(DateTimeKind.Utc, p.PurchasedAt.Kind);
            Assert.InRange(p.PurchasedAt, UtcNow.AddDays(-731), UtcNow);
        });
        Assert.InRange(purchases.Count(p => p.Total < 0), 100, 1_000);
        Assert.Equal(purchases.Count, purchases.Select(p => p.OrderNumber).Distinct().Count());

        // The cached aggregates equal a recomputation from the purchases themselves.
        var expected = purchases.GroupBy(p => p.CustomerId).ToDictionary(g => g.Key, g => (
            Orders: g.Count(p => p.Total >= 0),
            Spent: g.Sum(p => p.Total),
            First: g.Where(p => p.Total >= 0).Select(p => (DateTime?)p.PurchasedAt).Min(),
            Last: g.Where(p => p.Total >= 0).Select(p => (DateTime?)p.PurchasedAt).Max()));
        Assert.All(customers, c =>
        {
            var e = expected.TryGetValue(c.Id, out var found) ? found : (0, 0m, null, null);
            Assert.Equal(e, (c.OrderCount, c.TotalSpent, c.FirstPurchaseAt, c.LastPurchaseAt));
        });

        // Loyal (many orders, recent), lapsed (nothing for six months) and prospects all exist.
        Assert.True(customers.Count(c => c.OrderCount >= 15 && c.LastPurchaseAt >= UtcNow.AddDays(-30)) >= 150);
        Assert.True(customers.Count(c => c.OrderCount > 0 && c.LastPurchaseAt < UtcNow.AddDays(-180)) >= 200);
        Assert.Contains(customers, c => c.OrderCount == 0);

        // Seasonality: November and December sell more per day than February; weekends more than midweek.
        var local = purchases.Where(p => p.Total >= 0).Select(p => p.PurchasedAt.AddHours(8)).ToList();
        double PerDay(Func<DateTime, bool> filter, double days) => local.Count(filter) / days;
        Assert.True(PerDay(d => d.Month is 11 or 12 && d.Year == 2025, 61) > 1.3 * PerDay(d => d.Month == 2 && d.Year == 2026, 28));
        Assert.True(local.Count(d => d.DayOfWeek == DayOfWeek.Saturday) > 1.2 * local.Count(d => d.DayOfWeek == DayOfWeek.Wednesday));
        Assert.True(local.Count(d => d.Hour is >= 19 and <= 21) > 3 * local.Count(d => d.Hour is >= 2 and <= 4));
    }

    [Fact]
    public async Task SeedDataAsync_AggregatesAfterSeeding_MatchPurchaseServiceRecomputation()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 120);
        await db.SeedDataAsync();
        const string aggregates = "SELECT Id, OrderCount, TotalSpent, FirstPurchaseAt, LastPurchaseAt FROM Customers ORDER BY Id";
        var seeded = await db.DumpAsync(aggregates);

        await using (var scope = db.Scope())
        {
            var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            foreach (var id in await context.Customers.Select(c => c.Id).ToListAsync())
            {
                await PurchaseService.RecomputeAggregatesAsync(context, id, CancellationToken.None);
            }
        }

        Assert.Equal(seeded, await db.DumpAsync(aggregates));
    }

    [Fact]
    public async Task SeedDataAsync_ConsentLedger_StartsWithEachCustomersConsent()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 120);
        await db.SeedDataAsync();

        var expected = await db.DumpAsync("""
            SELECT Id, 0, EmailConsent, EmailConsentAt FROM Customers WHERE EmailConsentAt IS NOT NULL
            UNION ALL SELECT Id, 1, SmsConsent, SmsConsentAt FROM Customers WHERE SmsConsentAt IS NOT NULL
            ORDER BY 1, 2
            """);
        var ledger = await db.DumpAsync("SELECT CustomerId, Channel, State, ChangedAt FROM ConsentChanges ORDER BY 1, 2");

        Assert.True(await db.ScalarAsync("SELECT COUNT(*) FROM ConsentChanges") > 0);
        Assert.Equal(expected, ledger);
        Assert.Equal(0, await db.ScalarAsync("SELECT COUNT(*) FROM ConsentChanges WHERE Source <> 'demo'"));
    }

    [Fact]
    public async Task SeedDataAsync_ChineseLocale_ProducesValidChineseCustomers()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 400);
        await db.SeedDataAsync();

        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var customers = await context.Customers.AsNoTracking().Include(c => c.Tags).ToListAsync();

        Assert.All(customers, c =>
        {
            Assert.Equal(Customer.KeyOf(c.Name), c.NameKey);
            Assert.Matches(Cjk(), c.Name);
            Assert.Equal("中国", c.Country);
            Assert.Matches(@"^\d{6}$", c.PostalCode);
            Assert.Equal(c.Email, c.EmailKey);
            if (c.Email is not null)
            {
                Assert.Equal(c.Email.ToLowerInvariant(), c.Email);
                Assert.Equal(c.Email, ContactNormalizer.NormalizeEmail(c.Email));
            }

            if (c.Phone is not null)
            {
                Assert.Matches(@"^\+861[3-9]\d{9}$", c.Phone);
                Assert.Equal(c.Phone, ContactNormalizer.NormalizePhone(c.Phone));
            }

            Assert.InRange(c.Tags.Count, 0, 3);
            Assert.Equal(1, c.Version);
            Assert.InRange(c.CreatedAt, UtcNow.AddDays(-730), UtcNow);
            Assert.Contains(c.Source, DemoCatalog.Sources);
            Assert.Equal(c.EmailConsent != ConsentState.Unknown, c.EmailConsentAt is not null);
            Assert.Equal(c.EmailConsent != ConsentState.Unknown ? "demo" : null, c.EmailConsentSource);
            Assert.Equal(c.SmsConsent != ConsentState.Unknown, c.SmsConsentAt is not null);
        });
        var emails = customers.Where(c => c.Email is not null).Select(c => c.Email).ToList();
        Assert.Equal(emails.Count, emails.Distinct().Count());
        Assert.Contains(customers, c => c is { City: "上海", Region: "上海市" });
        Assert.Contains(customers, c => c is { City: "深圳", Region: "广东省" });
        Assert.Contains(customers, c => c.Tags.Count > 0);
        Assert.Contains(customers, c => c.EmailConsent == ConsentState.OptedIn);
        Assert.Contains(customers, c => c.SmsConsent == ConsentState.OptedOut);
        Assert.Matches(Cjk(), (await context.Products.FirstAsync()).Name);

        var events = await context.CustomerEvents.AsNoTracking().ToListAsync();
        Assert.Equal(CustomerEventTypes.Known.Order(), events.Select(e => e.Type).Distinct().Order());
        Assert.All(events, e =>
        {
            using var json = JsonDocument.Parse(e.PropertiesJson!);
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        });
        Assert.All(await context.CustomerNotes.AsNoTracking().ToListAsync(), n => Assert.Matches(Cjk(), n.Body));
    }

    [Fact]
    public async Task SeedDataAsync_EnglishLocale_ProducesNonChineseNamesAndPlaces()
    {
        await using var db = await SeederDatabase.CreateAsync(customers: 300, locale: "en");
        await db.SeedAccountsAsync();
        await db.SeedDataAsync();

        await using var scope = db.Scope();
        var context = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var customers = await context.Customers.AsNoTracking().ToListAsync();

        Assert.Equal(300, customers.Count);
        Assert.All(customers, c =>
        {
            Assert.DoesNotMatch(Cjk(), c.Name);
            Assert.DoesNotMatch(Cjk(), c.City!);
            Assert.DoesNotMatch(Cjk(), c.Address!);
            Assert.Contains(c.Country, new[] { "United States", "United Kingdom" });
            Assert.Equal(Customer.KeyOf(c.Name), c.NameKey);
            if (c.Email is not null)
            {
                Assert.Equal(c.Email, ContactNormalizer.NormalizeEmail(c.Email));
            }

            if (c.Phone is not null)
            {
                Assert.Matches(c.Country == "United States" ? @"^\+1\d{10}$" : @"^\+447\d{9}$", c.Phone);
                Assert.Equal(c.Phone, ContactNormalizer.NormalizePhone(c.Phone));
            }
        });
        Assert.Contains(customers, c => c.Country == "United States");
        Assert.Contains(customers, c => c.Country == "United Kingdom");
        Assert.All(await context.Products.AsNoTracking().ToListAsync(), p => Assert.DoesNotMatch(Cjk(), p.Name));
        Assert.All(await context.CustomerNotes.AsNoTracking().ToListAsync(), n => Assert.DoesNotMatch(Cjk(), n.Body));
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    /// <summary>A migrated in-memory SQLite database with the seeder and Identity wired as in the app.</summary>
    private sealed class SeederDatabase : IAsyncDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly ServiceProvider _services;

        private SeederDatabase(SqliteConnection connection, ServiceProvider services)
        {
            _connection = connection;
            _services = services;
        }

        public static async Task<SeederDatabase> CreateAsync(int customers = 200, string locale = "zh_CN")
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            await connection.OpenAsync();

            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<TimeProvider>(new FixedTimeProvider(Now));
            services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new DemoOptions { Locale = locale, Customers = customers }));
            services.AddDbContext<CrmDbContext>(o => o.UseSqlite(connection));
            services.AddIdentityCore<ApplicationUser>()
                .AddRoles<IdentityRole>()
                .AddEntityFrameworkStores<CrmDbContext>();
            services.AddScoped<DemoDataSeeder>();

            var db = new SeederDatabase(connection, services.BuildServiceProvider());
            await using var scope = db.Scope();
            await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Database.MigrateAsync();
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                await roles.CreateAsync(new IdentityRole(role));
            }

            return db;
        }

        public AsyncServiceScope Scope() => _services.CreateAsyncScope();

        public async Task SeedAccountsAsync()
        {
            await using var scope = Scope();
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAccountsAsync(CancellationToken.None);
        }

        public async Task SeedDataAsync()
        {
            await using var scope = Scope();
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedDataAsync(CancellationToken.None);
        }

        public async Task<long> ScalarAsync(string sql)
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        public async Task<string> TableCountsAsync()
        {
            var counts = new List<long>();
            foreach (var table in new[] { "Customers", "CustomerTags", "Products", "Purchases", "PurchaseLines", "CustomerEvents", "CustomerNotes", "AspNetUsers" })
            {
                counts.Add(await ScalarAsync($"SELECT COUNT(*) FROM \"{table}\""));
            }

            return string.Join(",", counts);
        }

        /// <summary>Every row of the query as text, for comparing whole tables.</summary>
        public async Task<string> DumpAsync(string sql)
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var text = new StringBuilder();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                }

                text.AppendLine();
            }

            return text.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
