using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Segments;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Segments;

/// <summary>Each operator against a small hand-built fixture, evaluated by SQLite through the compiled predicate.</summary>
public class SegmentRuleCompilerTests : IDisposable
{
    private static readonly DateTime Now = TestServices.Now.UtcDateTime; // 2026-06-15 12:00 UTC
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static string Rule(params string[] conditions) => "{\"match\":\"all\",\"conditions\":[" + string.Join(",", conditions) + "]}";

    private async Task<List<string>> NamesAsync(string json)
    {
        await using var db = _database.CreateContext();
        var parsed = new SegmentRuleParser(TestServices.Localizer).Parse(json);
        Assert.True(parsed.IsValid, parsed.Error);
        var compiler = new SegmentRuleCompiler(db, new FixedTimeProvider(TestServices.Now));
        return await compiler.Matching(parsed.Rule!).OrderBy(c => c.Name).Select(c => c.Name).ToListAsync();
    }

    private async Task ThreeCitiesAsync()
    {
        await _database.AddCustomerAsync("Ann", c => { c.City = "Berlin"; c.Email = "ann@example.com"; });
        await _database.AddCustomerAsync("Bob", c => { c.City = "Paris"; c.Email = "bob@shop.example"; });
        await _database.AddCustomerAsync("Cid", c => c.City = null);
        await _database.AddCustomerAsync("Dot", c => { c.City = "Berlin"; c.IsArchived = true; });
    }

    [Fact]
    public async Task Compile_TextEquals_MatchesExactValueAndSkipsArchived()
    {
        await ThreeCitiesAsync();
        Assert.Equal(["Ann"], await NamesAsync(Rule("""{"field":"city","operator":"equals","value":"Berlin"}""")));
    }

    [Fact]
    public async Task Compile_TextNotEquals_IncludesMissingValues()
    {
        await ThreeCitiesAsync();
        Assert.Equal(["Bob", "Cid"], await NamesAsync(Rule("""{"field":"city","operator":"notEquals","value":"Berlin"}""")));
    }

    [Fact]
    public async Task Compile_TextInAndNotIn_UseTheList()
    {
        await ThreeCitiesAsync();
        Assert.Equal(["Ann", "Bob"], await NamesAsync(Rule("""{"field":"city","operator":"in","values":["Berlin","Paris","Rome"]}""")));
        Assert.Equal(["Cid"], await NamesAsync(Rule("""{"field":"city","operator":"notIn","values":["Berlin","Paris"]}""")));
    }

    [Fact]
    public async Task Compile_TextContains_IsCaseInsensitiveAndTreatsWildcardsLiterally()
    {
        await ThreeCitiesAsync();
        await _database.AddCustomerAsync("Eve", c => c.Email = "e_v%e@x.example");
        Assert.Equal(["Bob"], await NamesAsync(Rule("""{"field":"email","operator":"contains","value":"SHOP"}""")));
        Assert.Equal(["Eve"], await NamesAsync(Rule("""{"field":"email","operator":"contains","value":"_v%"}""")));
    }

    [Fact]
    public async Task Compile_EmptyAndNotEmpty_TreatNullAndBlankAsEmpty()
    {
        await ThreeCitiesAsync();
        await _database.AddCustomerAsync("Eve", c => c.City = "");
        Assert.Equal(["Cid", "Eve"], await NamesAsync(Rule("""{"field":"city","operator":"empty"}""")));
        Assert.Equal(["Ann", "Bob"], await NamesAsync(Rule("""{"field":"city","operator":"notEmpty"}""")));
    }

    [Fact]
    public async Task Compile_AllAndAnyGroups_Nest()
    {
        await _database.AddCustomerAsync("Ann", c => { c.City = "Berlin"; c.TotalSpent = 500m; });
        await _database.AddCustomerAsync("Bob", c => { c.City = "Paris"; c.TotalSpent = 50m; c.Source = "web"; });
        await _database.AddCustomerAsync("Cid", c => { c.City = "Paris"; c.TotalSpent = 900m; });
        await _database.AddCustomerAsync("Dan", c => { c.City = "Rome"; c.TotalSpent = 900m; c.Source = "web"; });

        // Paris AND (spent > 100 OR source = web)
        var json = Rule("""{"field":"city","operator":"equals","value":"Paris"}""",
            """{"match":"any","conditions":[{"field":"totalSpent","operator":"gt","value":100},{"field":"source","operator":"equals","value":"web"}]}""");
        Assert.Equal(["Bob", "Cid"], await NamesAsync(json));

        var any = """{"match":"any","conditions":[{"field":"city","operator":"equals","value":"Berlin"},{"match":"all","conditions":[{"field":"city","operator":"equals","value":"Rome"},{"field":"totalSpent","operator":"gte","value":"900"}]}]}""";
        Assert.Equal(["Ann", "Dan"], await NamesAsync(any));
    }

    [Fact]
    public async Task Compile_RelativeDates_CountBackFromTheInjectedClock()
    {
        await _database.AddCustomerAsync("Recent", c => c.LastPurchaseAt = Now.AddDays(-29));
        await _database.AddCustomerAsync("Edge", c => c.LastPurchaseAt = Now.AddDays(-30));
        await _database.AddCustomerAsync("Old", c => c.LastPurchaseAt = Now.AddDays(-31));
        await _database.AddCustomerAsync("Never");

        Assert.Equal(["Edge", "Recent"], await NamesAsync(Rule("""{"field":"lastPurchaseAt","operator":"withinDays","days":30}""")));
        Assert.Equal(["Old"], await NamesAsync(Rule("""{"field":"lastPurchaseAt","operator":"notWithinDays","days":30}""")));
        Assert.Equal(["Never"], await NamesAsync(Rule("""{"field":"lastPurchaseAt","operator":"empty"}""")));
    }

    [Fact]
    public async Task Compile_PurchaseAggregates_CompareExactMoneyAndCounts()
    {
        await _database.AddCustomerAsync("Low", c => { c.TotalSpent = 99.99m; c.OrderCount = 1; });
        await _database.AddCustomerAsync("Exact", c => { c.TotalSpent = 100m; c.OrderCount = 2; });
        await _database.AddCustomerAsync("High", c => { c.TotalSpent = 100.01m; c.OrderCount = 5; });

        Assert.Equal(["High"], await NamesAsync(Rule("""{"field":"totalSpent","operator":"gt","value":100}""")));
        Assert.Equal(["Exact", "High"], await NamesAsync(Rule("""{"field":"totalSpent","operator":"gte","value":"100.00"}""")));
        Assert.Equal(["Low"], await NamesAsync(Rule("""{"field":"totalSpent","operator":"lt","value":100}""")));
        Assert.Equal(["Exact", "Low"], await NamesAsync(Rule("""{"field":"orderCount","operator":"lte","value":2}""")));
        Assert.Equal(["Exact"], await NamesAsync(Rule("""{"field":"orderCount","operator":"equals","value":2}""")));
        Assert.Equal(["High", "Low"], await NamesAsync(Rule("""{"field":"orderCount","operator":"notEquals","value":2}""")));
    }

    private async Task PurchaseAsync(int customerId, DateTime at, int productId, int quantity)
    {
        await using var db = _database.CreateContext();
        db.Purchases.Add(new Purchase
        {
            OrderNumber = "T-" + Guid.NewGuid().ToString("N"),
            CustomerId = customerId,
            PurchasedAt = at,
            CreatedAt = at,
            Total = quantity * 10m,
            Lines = [new PurchaseLine { ProductId = productId, Quantity = quantity, UnitPrice = 10m, Amount = quantity * 10m }],
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Compile_BoughtCategoryWithinDays_CountsOnlyPositiveLinesInTheWindow()
    {
        var shoes = await _database.AddProductAsync("SH-1", 10m, "Shoes");
        var hats = await _database.AddProductAsync("HA-1", 10m, "Hats");
        var recent = await _database.AddCustomerAsync("Recent");
        var old = await _database.AddCustomerAsync("Old");
        var other = await _database.AddCustomerAsync("Other");
        var returned = await _database.AddCustomerAsync("Returned");
        await PurchaseAsync(recent.Id, Now.AddDays(-10), shoes.Id, 1);
        await PurchaseAsync(old.Id, Now.AddDays(-120), shoes.Id, 2);
        await PurchaseAsync(other.Id, Now.AddDays(-5), hats.Id, 1);
        await PurchaseAsync(returned.Id, Now.AddDays(-5), shoes.Id, -1);

        Assert.Equal(["Recent"], await NamesAsync(Rule("""{"field":"boughtCategory","operator":"bought","value":"Shoes","days":90}""")));
        Assert.Equal(["Old", "Recent"], await NamesAsync(Rule("""{"field":"boughtCategory","operator":"bought","value":"Shoes"}""")));
        Assert.Equal(["Old", "Other", "Returned"], await NamesAsync(Rule("""{"field":"boughtCategory","operator":"notBought","value":"Shoes","days":90}""")));
        Assert.Equal(["Other"], await NamesAsync(Rule("""{"field":"boughtProduct","operator":"bought","value":"HA-1","days":30}""")));
    }

    [Fact]
    public async Task Compile_EventCount_CountsEventsOfTheTypeWithinDays()
    {
        var two = await _database.AddCustomerAsync("Two");
        var one = await _database.AddCustomerAsync("One");
        await _database.AddCustomerAsync("None");
        await using (var db = _database.CreateContext())
        {
            db.CustomerEvents.AddRange(
                new CustomerEvent { CustomerId = two.Id, Type = "page_view", OccurredAt = Now.AddDays(-1) },
                new CustomerEvent { CustomerId = two.Id, Type = "page_view", OccurredAt = Now.AddDays(-6) },
                new CustomerEvent { CustomerId = one.Id, Type = "page_view", OccurredAt = Now.AddDays(-2) },
                new CustomerEvent { CustomerId = one.Id, Type = "page_view", OccurredAt = Now.AddDays(-60) },
                new CustomerEvent { CustomerId = one.Id, Type = "cart_add", OccurredAt = Now.AddDays(-2) });
            await db.SaveChangesAsync();
        }

        Assert.Equal(["Two"], await NamesAsync(Rule("""{"field":"eventCount","eventType":"page_view","operator":"gte","value":2,"days":7}""")));
        Assert.Equal(["None", "One"], await NamesAsync(Rule("""{"field":"eventCount","eventType":"page_view","operator":"lt","value":2,"days":7}""")));
    }

    [Fact]
    public async Task Compile_RfmSegment_MatchesStoredScoresAndUnscored()
    {
        var champion = await _database.AddCustomerAsync("Champion");
        var lost = await _database.AddCustomerAsync("Lost");
        await _database.AddCustomerAsync("Unscored");
        await using (var db = _database.CreateContext())
        {
            db.CustomerRfm.AddRange(
                new CustomerRfm { CustomerId = champion.Id, RecencyScore = 5, FrequencyScore = 5, MonetaryScore = 5, Segment = RfmSegment.Champions, ComputedAt = Now },
                new CustomerRfm { CustomerId = lost.Id, RecencyScore = 1, FrequencyScore = 1, MonetaryScore = 1, Segment = RfmSegment.Lost, ComputedAt = Now });
            await db.SaveChangesAsync();
        }

        Assert.Equal(["Champion"], await NamesAsync(Rule("""{"field":"rfmSegment","operator":"in","values":["Champions","Loyal"]}""")));
        Assert.Equal(["Lost", "Unscored"], await NamesAsync(Rule("""{"field":"rfmSegment","operator":"notIn","values":["Champions"]}""")));
        Assert.Equal(["Unscored"], await NamesAsync(Rule("""{"field":"rfmSegment","operator":"empty"}""")));
    }

    [Fact]
    public async Task Compile_ConsentAndGender_CompareEnumValues()
    {
        await _database.AddCustomerAsync("In", c => { c.EmailConsent = ConsentState.OptedIn; c.Gender = Gender.Female; });
        await _database.AddCustomerAsync("Out", c => { c.EmailConsent = ConsentState.OptedOut; c.SmsConsent = ConsentState.OptedIn; });
        await _database.AddCustomerAsync("Unknown");

        Assert.Equal(["In"], await NamesAsync(Rule("""{"field":"emailConsent","operator":"equals","value":"OptedIn"}""")));
        Assert.Equal(["Out", "Unknown"], await NamesAsync(Rule("""{"field":"emailConsent","operator":"notEquals","value":"OptedIn"}""")));
        Assert.Equal(["Out"], await NamesAsync(Rule("""{"field":"smsConsent","operator":"in","values":["OptedIn"]}""")));
        Assert.Equal(["Out", "Unknown"], await NamesAsync(Rule("""{"field":"gender","operator":"notIn","values":["Female"]}""")));
    }

    [Fact]
    public async Task Compile_Tags_MatchCaseInsensitivelyAndEmpty()
    {
        await _database.AddCustomerAsync("Vip", c => c.Tags = [new CustomerTag { Tag = "vip" }]);
        await _database.AddCustomerAsync("Plain");

        Assert.Equal(["Vip"], await NamesAsync(Rule("""{"field":"tag","operator":"equals","value":"VIP"}""")));
        Assert.Equal(["Plain"], await NamesAsync(Rule("""{"field":"tag","operator":"empty"}""")));
    }

    [Fact]
    public async Task Compile_Values_AreSentAsParametersNotSqlText()
    {
        await using var db = _database.CreateContext();
        var parsed = new SegmentRuleParser(TestServices.Localizer).Parse(
            Rule("""{"field":"city","operator":"equals","value":"x' OR 1=1 --"}""", """{"field":"name","operator":"contains","value":"Robert'); DROP TABLE Customers;--"}"""));
        var compiler = new SegmentRuleCompiler(db, new FixedTimeProvider(TestServices.Now));

        var sql = compiler.Matching(parsed.Rule!).ToQueryString();

        Assert.DoesNotContain("OR 1=1", sql.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal) && !line.StartsWith("--", StringComparison.Ordinal)).Aggregate(string.Empty, (a, b) => a + b), StringComparison.Ordinal);
        Assert.Equal(0, await compiler.Matching(parsed.Rule!).CountAsync());
        Assert.True(await db.Customers.CountAsync() >= 0);
    }
}
