using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Campaigns;

public sealed class CampaignMetricsPagesTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    /// <summary>An email activity launched two days ago with a holdout of one: two treatment recipients (one sent
    /// message opened and clicked, one failed), a purchase by the contacted customer a day later, and a cost.</summary>
    private async Task<int> SeedAsync(string name)
    {
        var now = DateTime.UtcNow;
        var launch = now.AddDays(-2);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var activity = new MarketingActivity
        {
            Name = name,
            Type = ActivityType.Email,
            Channel = "Newsletter",
            Status = ActivityStatus.Running,
            StartDate = DateOnly.FromDateTime(launch),
            EndDate = DateOnly.FromDateTime(now.AddDays(5)),
            ConversionWindowDays = 14,
            HoldoutPercent = 30,
            LaunchedAt = launch,
            CreatedAt = launch,
            UpdatedAt = launch,
            Version = 1,
        };
        activity.Costs.Add(new ActivityCost { Date = DateOnly.FromDateTime(launch), Amount = 50m, Category = CostCategory.Messaging, CreatedAt = launch });
        db.MarketingActivities.Add(activity);
        var customers = Enumerable.Range(0, 3).Select(i => new Customer
        {
            Name = $"{name} customer {i}",
            NameKey = Customer.KeyOf($"{name} customer {i}"),
            CreatedAt = launch,
            UpdatedAt = launch,
            Version = 1,
        }).ToList();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();

        var tag = Guid.NewGuid().ToString("N");
        OutboxMessage Message(Customer c, OutboxState state) => new()
        {
            Channel = MessageChannel.Email,
            CustomerId = c.Id,
            ToAddress = $"{tag}-{c.Id}@customers.test",
            MessageId = $"{tag}-{c.Id}@crm.test",
            IdempotencyKey = $"campaign:{activity.Id}:customer:{c.Id}",
            IsMarketing = true,
            CampaignId = activity.Id,
            State = state,
            NextAttemptAt = launch,
            CreatedAt = launch,
            SentAt = state == OutboxState.Sent ? launch.AddMinutes(5) : null,
        };
        var sent = Message(customers[0], OutboxState.Sent);
        var failed = Message(customers[1], OutboxState.Failed);
        db.OutboxMessages.AddRange(sent, failed);
        await db.SaveChangesAsync();
        db.CampaignRecipients.AddRange(
            new CampaignRecipient { ActivityId = activity.Id, CustomerId = customers[0].Id, Group = RecipientGroup.Treatment, OutboxMessageId = sent.Id, CreatedAt = launch },
            new CampaignRecipient { ActivityId = activity.Id, CustomerId = customers[1].Id, Group = RecipientGroup.Treatment, OutboxMessageId = failed.Id, CreatedAt = launch },
            new CampaignRecipient { ActivityId = activity.Id, CustomerId = customers[2].Id, Group = RecipientGroup.Holdout, CreatedAt = launch });
        db.MessageEvents.AddRange(
            new MessageEvent { OutboxMessageId = sent.Id, Type = MessageEventType.Open, OccurredAt = launch.AddHours(1) },
            new MessageEvent { OutboxMessageId = sent.Id, Type = MessageEventType.Click, OccurredAt = launch.AddHours(1) });
        db.Purchases.Add(new Purchase { OrderNumber = "M-" + tag, CustomerId = customers[0].Id, PurchasedAt = launch.AddDays(1), Total = 150m, CreatedAt = launch.AddDays(1) });
        await db.SaveChangesAsync();
        return activity.Id;
    }

    /// <summary>An email A/B test (two variants, winner metric click, B chosen) launched two days ago with one test
    /// recipient per variant: A's message was clicked, B's only opened.</summary>
    private async Task<int> SeedAbTestAsync(string name)
    {
        const int share = 50;
        var launch = DateTime.UtcNow.AddDays(-2);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var templates = new[] { "A", "B" }.Select(l => new MessageTemplate
        {
            Name = $"{name} template {l}",
            Channel = MessageChannel.Email,
            IsMarketing = true,
            Subject = "Hello",
            HtmlBody = "<p>Hello</p>",
            CreatedAt = launch,
            UpdatedAt = launch,
        }).ToList();
        db.MessageTemplates.AddRange(templates);
        var activity = new MarketingActivity
        {
            Name = name,
            Type = ActivityType.Email,
            Status = ActivityStatus.Running,
            StartDate = DateOnly.FromDateTime(launch),
            EndDate = DateOnly.FromDateTime(launch.AddDays(7)),
            LaunchedAt = launch,
            AbTestSharePercent = share,
            AbTestHours = 24,
            AbWinnerMetric = AbWinnerMetric.Click,
            CreatedAt = launch,
            UpdatedAt = launch,
            Version = 1,
        };
        db.MarketingActivities.Add(activity);
        await db.SaveChangesAsync();
        var variants = templates.Select((t, i) => new ActivityVariant { ActivityId = activity.Id, Label = i == 0 ? "A" : "B", TemplateId = t.Id }).ToList();
        db.ActivityVariants.AddRange(variants);
        await db.SaveChangesAsync();
        activity.AbWinnerVariantId = variants[1].Id;
        activity.AbDecidedAt = launch.AddDays(1);

        // Test recipients are those whose bucket falls in the test share, as the launch splits them.
        var inTest = $"SELECT {CampaignLaunchService.InAbTestSql("r", "@a", "@share")} AS Value FROM (SELECT @c AS CustomerId, 1 AS VariantId) AS r";
        var messages = new List<OutboxMessage>();
        for (var i = 0; messages.Count < variants.Count && i < 100; i++)
        {
            var customer = new Customer { Name = $"{name} customer {i}", NameKey = Customer.KeyOf($"{name} customer {i}"), CreatedAt = launch, UpdatedAt = launch, Version = 1 };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            var tested = await db.Database.SqlQueryRaw<long>(inTest, new SqliteParameter("@a", activity.Id), new SqliteParameter("@share", share),
                new SqliteParameter("@c", customer.Id)).SingleAsync();
            if (tested != 1)
            {
                continue;
            }

            var message = new OutboxMessage
            {
                Channel = MessageChannel.Email,
                CustomerId = customer.Id,
                ToAddress = $"{activity.Id}-{customer.Id}@customers.test",
                MessageId = $"{activity.Id}-{customer.Id}@crm.test",
                IdempotencyKey = CampaignLaunchService.MessageKey(activity.Id, customer.Id),
                IsMarketing = true,
                CampaignId = activity.Id,
                State = OutboxState.Sent,
                NextAttemptAt = launch,
                CreatedAt = launch,
                SentAt = launch.AddMinutes(5),
            };
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
            db.CampaignRecipients.Add(new CampaignRecipient
            {
                ActivityId = activity.Id,
                CustomerId = customer.Id,
                Group = RecipientGroup.Treatment,
                VariantId = variants[messages.Count].Id,
                OutboxMessageId = message.Id,
                CreatedAt = launch,
            });
            messages.Add(message);
        }

        db.MessageEvents.AddRange(
            new MessageEvent { OutboxMessageId = messages[0].Id, Type = MessageEventType.Click, OccurredAt = launch.AddHours(1) },
            new MessageEvent { OutboxMessageId = messages[1].Id, Type = MessageEventType.Open, OccurredAt = launch.AddHours(1) });
        await db.SaveChangesAsync();
        return activity.Id;
    }

    private static string Tile(AngleSharp.Html.Dom.IHtmlDocument page, string id) =>
        page.QuerySelector($"#kpi-{id} .kpi")!.TextContent.Trim();

    [Fact]
    public async Task Metrics_Marketer_ShowsNumbersChartsAndUplift()
    {
        var id = await SeedAsync("Metrics page " + Guid.NewGuid().ToString("N")[..8]);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await marketer.GetAsync($"/Campaigns/Metrics/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "campaign metrics");
        Assert.Equal("3", Tile(page, "audience"));
        Assert.Equal("2", Tile(page, "sent"));
        Assert.Equal("1", Tile(page, "delivered"));
        Assert.Equal("1", Tile(page, "opens"));
        Assert.Equal("1", Tile(page, "clicks"));
        Assert.Equal("1", Tile(page, "conversions"));
        Assert.Contains("150", Tile(page, "revenue"), StringComparison.Ordinal);
        Assert.Equal("200.0%", Tile(page, "roi").Replace(",", "", StringComparison.Ordinal));   // (150 − 50) / 50
        Assert.NotNull(page.QuerySelector("canvas#funnel-chart"));
        Assert.NotNull(page.QuerySelector("script#funnel-chart-data[type='application/json']"));
        Assert.NotNull(page.QuerySelector("canvas#daily-chart"));
        Assert.NotNull(page.QuerySelector("#funnel-table"));
        Assert.NotNull(page.QuerySelector("#daily-table"));
        Assert.NotNull(page.QuerySelector("#uplift-verdict"));
        Assert.Equal("LastTouch", page.QuerySelector("#model option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Metrics_AbTest_ShowsTheVariantTableWithWinnerAndChart()
    {
        var name = "A/B page " + Guid.NewGuid().ToString("N")[..8];
        var id = await SeedAbTestAsync(name);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await marketer.GetAsync($"/Campaigns/Metrics/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "campaign metrics with an A/B test");
        var rows = page.QuerySelectorAll("#variant-table tbody tr");
        Assert.Equal(2, rows.Length);
        string Cell(int row, string column) => rows[row].QuerySelector($"[data-col='{column}']")!.TextContent.Trim();
        Assert.Contains($"{name} template A", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(("1", "1", "1", "1"), (Cell(0, "recipients"), Cell(0, "sent"), Cell(0, "opens"), Cell(0, "clicks")));
        Assert.Equal("100.0%", Cell(0, "click-rate"));
        Assert.Equal(("1", "0", "0.0%"), (Cell(1, "opens"), Cell(1, "clicks"), Cell(1, "click-rate")));
        // B was chosen; the configured metric (click rate) is the highlighted column.
        Assert.Null(rows[0].QuerySelector("#variant-winner"));
        Assert.NotNull(rows[1].QuerySelector("#variant-winner"));
        Assert.Contains("table-primary", rows[0].QuerySelector("[data-col='click-rate']")!.ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("table-primary", rows[0].QuerySelector("[data-col='open-rate']")!.ClassName, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("canvas#variant-chart"));
        var data = page.QuerySelector("script#variant-chart-data[type='application/json']")!.TextContent;
        Assert.Contains("\"percent\":true", data, StringComparison.Ordinal);
        Assert.Contains("100", data, StringComparison.Ordinal);

        var plain = await SeedAsync("No A/B " + Guid.NewGuid().ToString("N")[..8]);
        using var plainResponse = await marketer.GetAsync($"/Campaigns/Metrics/{plain}");
        var plainPage = await HtmlPage.ParseAsync(plainResponse);
        Assert.NotNull(plainPage.QuerySelector("#metrics-kpis"));
        Assert.Null(plainPage.QuerySelector("#ab-test"));
        Assert.Null(plainPage.QuerySelector("#variant-chart-data"));
    }

    [Fact]
    public async Task Metrics_ModelInQueryString_IsSelected_AndUnknownValuesAreRefused()
    {
        var id = await SeedAsync("Model choice " + Guid.NewGuid().ToString("N")[..8]);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var linear = await marketer.GetAsync($"/Campaigns/Metrics/{id}?model=Linear");
        var page = await HtmlPage.ParseAsync(linear);
        Assert.Equal("Linear", page.QuerySelector("#model option[selected]")!.GetAttribute("value"));

        using var bogus = await marketer.GetAsync($"/Campaigns/Metrics/{id}?model=Psychic");
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        using var missing = await marketer.GetAsync("/Campaigns/Metrics/987654");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task MetricsAndReport_Sales_AreRefused()
    {
        var id = await SeedAsync("Refused " + Guid.NewGuid().ToString("N")[..8]);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        foreach (var url in new[] { $"/Campaigns/Metrics/{id}", "/Campaigns/Report", "/Campaigns/Report/Csv" })
        {
            using var response = await sales.GetAsync(url);
            Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath), url);
        }
    }

    [Fact]
    public async Task Report_Marketer_ListsTheActivityWithRoiAndChannel()
    {
        var name = "Report row " + Guid.NewGuid().ToString("N")[..8];
        var id = await SeedAsync(name);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await marketer.GetAsync("/Campaigns/Report?sort=Roi&desc=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        CspAssert.NoInlineCode(page, "campaign report");
        var row = page.QuerySelector($"#report-table tr[data-activity-id='{id}']");
        Assert.NotNull(row);
        Assert.Contains(name, row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("canvas#roi-chart"));
        Assert.Contains("Newsletter", page.QuerySelector("#channel-table")!.TextContent, StringComparison.Ordinal);

        using var reversed = await marketer.GetAsync("/Campaigns/Report?from=2026-12-31&to=2026-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
    }

    [Fact]
    public async Task ReportCsv_FormulaActivityName_IsNeutralised()
    {
        var name = "=HYPERLINK(\"http://evil.test\",\"x\")" + Guid.NewGuid().ToString("N")[..6];
        await SeedAsync(name);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await marketer.GetAsync("/Campaigns/Report/Csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\n=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
    }

    /// <summary>The customer names listed on a customer-list page.</summary>
    private static async Task<List<string>> ListedNamesAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        return page.QuerySelectorAll("#customer-table tbody tr td a[href*='/Customers/Details/']")
            .Select(a => a.TextContent.Trim()).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Metrics_FunnelLinks_LeadToExactlyTheCustomersOfEachStep()
    {
        var name = "Funnel drill " + Guid.NewGuid().ToString("N")[..8];
        var id = await SeedAsync(name);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await marketer.GetAsync($"/Campaigns/Metrics/{id}");
        var page = await HtmlPage.ParseAsync(response);
        var links = page.QuerySelectorAll("#funnel-table tbody tr td a").Select(a => a.GetAttribute("href")!).ToList();

        // Sent (one delivered, one failed) → delivered → opened → clicked → converted; the holdout is in none of them.
        Assert.Equal(["sent", "delivered", "opened", "clicked", "converted"],
            links.Select(l => System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://x"), l).Query)["reached"]));
        Assert.All(links, l => Assert.Contains($"activity={id}", l, StringComparison.Ordinal));
        var expected = new[]
        {
            new[] { $"{name} customer 0", $"{name} customer 1" },
            [$"{name} customer 0"],
            [$"{name} customer 0"],
            [$"{name} customer 0"],
            [$"{name} customer 0"],
        };
        for (var i = 0; i < links.Count; i++)
        {
            Assert.Equal(expected[i], await ListedNamesAsync(marketer, links[i]));
        }

        // The chart's bars link to the same lists.
        var chart = page.QuerySelector("script#funnel-chart-data")!.TextContent;
        Assert.All(links, l => Assert.Contains(System.Text.Json.JsonSerializer.Serialize(l).Trim('"'), chart, StringComparison.Ordinal));

        using var list = await marketer.GetAsync(links[2]);
        var listPage = await HtmlPage.ParseAsync(list);
        Assert.Equal($"Activity: {name} — opened", listPage.QuerySelector("#activity-filter")!.TextContent.Trim());
        Assert.Contains("reached=opened", listPage.QuerySelector("#export-customers")!.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerList_ActivityStep_SalesSeeTheListButCannotExportIt()
    {
        var name = "Funnel sales " + Guid.NewGuid().ToString("N")[..8];
        var id = await SeedAsync(name);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        Assert.Equal([$"{name} customer 0", $"{name} customer 1"], await ListedNamesAsync(sales, $"/Customers?activity={id}&reached=sent"));
        using var export = await sales.GetAsync($"/Customers/Export?activity={id}&reached=sent");
        Assert.True(HttpClientExtensions.IsRedirectTo(export, HttpClientExtensions.AccessDeniedPath));
    }

    [Fact]
    public async Task CustomerExport_ActivityStep_ContainsExactlyThoseCustomers()
    {
        var name = "Funnel export " + Guid.NewGuid().ToString("N")[..8];
        var id = await SeedAsync(name);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await marketer.GetAsync($"/Customers/Export?activity={id}&reached=audience");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(rows, r => r.Contains($"{name} customer {i}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CustomerList_MalformedOrUnknownActivityStep_IsRefusedOrEmpty()
    {
        var id = await SeedAsync("Funnel malformed " + Guid.NewGuid().ToString("N")[..8]);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        foreach (var query in new[] { $"activity={id}&reached=psychic", $"activity={id}&reached=99", "activity=abc&reached=opened", "activity=0" })
        {
            using var response = await marketer.GetAsync("/Customers?" + query);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, query);
            using var export = await marketer.GetAsync("/Customers/Export?" + query);
            Assert.True(export.StatusCode == HttpStatusCode.BadRequest, "export " + query);
        }

        Assert.Empty(await ListedNamesAsync(marketer, "/Customers?activity=987654&reached=opened"));
    }
}
