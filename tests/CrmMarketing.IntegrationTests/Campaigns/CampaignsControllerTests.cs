using System.Globalization;
using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Campaigns;

public sealed class CampaignsControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private const string Hostile = "<script>alert('ac')</script> launch";

    private static int IdFrom(HttpResponseMessage response) =>
        int.Parse(response.Headers.Location!.OriginalString.Split('?')[0].Split('/')[^1], CultureInfo.InvariantCulture);

    private async Task<int> CreateAsync(HttpClient client, string name, string budget = "1000")
    {
        using var response = await client.SubmitFormAsync("/Campaigns/Create", "#activity-form",
        [
            new("Form.Name", name),
            new("Form.Type", nameof(ActivityType.OfflineEvent)),
            new("Form.StartDate", "2026-12-01"),
            new("Form.EndDate", "2026-12-03"),
            new("Form.Budget", budget),
            new("Form.Description", Hostile),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return IdFrom(response);
    }

    [Fact]
    public async Task Create_InvalidPlan_ReRendersWithMessagesAndSavesNothing()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var name = "Invalid " + Guid.NewGuid().ToString("N")[..8];

        // Field rules first; the cross-field rules (IValidatableObject) run once every field is valid.
        foreach (var (fields, message) in new (KeyValuePair<string, string>[] Fields, string Message)[]
        {
            ([new("Form.Name", name), new("Form.Budget", "-5")], "The budget must be zero or more."),
            ([new("Form.Name", name), new("Form.StartDate", "2026-12-10"), new("Form.EndDate", "2026-12-01")], "The end date must not be before the start date."),
            ([new("Form.Name", ""), new("Form.HoldoutPercent", "80")], "The holdout must be between 0 and 50 %."),
        })
        {
            using var response = await marketer.SubmitFormAsync("/Campaigns/Create", "#activity-form", fields);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(message, (await HtmlPage.ParseAsync(response)).Body!.TextContent, StringComparison.Ordinal);
        }

        using var list = await marketer.GetAsync("/Campaigns?q=" + Uri.EscapeDataString(name));
        Assert.Contains("No activities found.", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ValidPlan_ShowsDetailsEncodedInListCalendarAndAudit()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var name = "Fair " + Guid.NewGuid().ToString("N")[..8];
        var id = await CreateAsync(marketer, name);

        using var details = await marketer.GetAsync($"/Campaigns/Details/{id}");
        var html = await details.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
        var document = HtmlPage.Parse(html);
        Assert.Equal(Hostile, document.QuerySelector(".activity-description")!.TextContent);
        CspAssert.NoInlineCode(document, "activity details");

        using var calendar = await marketer.GetAsync("/Campaigns/Calendar?year=2026&month=12");
        var calendarDocument = await HtmlPage.ParseAsync(calendar);
        var cells = calendarDocument.QuerySelectorAll("#activity-calendar td")
            .Where(td => td.QuerySelectorAll(".calendar-entry").Any(a => a.TextContent == name))
            .Select(td => td.GetAttribute("data-date")).ToList();
        Assert.Equal(["2026-12-01", "2026-12-02", "2026-12-03"], cells);
    }

    [Fact]
    public async Task CreateAndEdit_AttributionModel_IsSavedShownAndOpensTheMetricsPage()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var name = "Attribution " + Guid.NewGuid().ToString("N")[..8];
        using var created = await marketer.SubmitFormAsync("/Campaigns/Create", "#activity-form",
        [
            new("Form.Name", name),
            new("Form.Type", nameof(ActivityType.OfflineEvent)),
            new("Form.StartDate", "2026-12-01"),
            new("Form.EndDate", "2026-12-03"),
            new("Form.Budget", "100"),
            new("Form.AttributionModel", nameof(AttributionModel.Linear)),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = IdFrom(created);

        using (var details = await marketer.GetAsync($"/Campaigns/Details/{id}"))
        {
            Assert.Equal("Linear", (await HtmlPage.ParseAsync(details)).QuerySelector("#attribution-model")!.TextContent.Trim());
        }

        using (var metrics = await marketer.GetAsync($"/Campaigns/Metrics/{id}"))
        {
            Assert.Equal("Linear", (await HtmlPage.ParseAsync(metrics)).QuerySelector("#model option[selected]")!.GetAttribute("value"));
        }

        // The edit form starts from the saved choice; the submitted form keeps every other field as it was.
        using (var edit = await marketer.GetAsync($"/Campaigns/Edit/{id}"))
        {
            var select = (await HtmlPage.ParseAsync(edit)).QuerySelector("select[name='Form.AttributionModel']")!;
            Assert.Equal("Linear", select.QuerySelector("option[selected]")!.GetAttribute("value"));
            Assert.Equal(3, select.QuerySelectorAll("option").Length);
        }

        using var saved = await marketer.SubmitFormAsync($"/Campaigns/Edit/{id}", "#activity-form",
            [new("Form.AttributionModel", nameof(AttributionModel.FirstTouch))]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        using var after = await marketer.GetAsync($"/Campaigns/Metrics/{id}");
        Assert.Equal("FirstTouch", (await HtmlPage.ParseAsync(after)).QuerySelector("#model option[selected]")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("Psychic")]
    [InlineData("7")]
    [InlineData("-1")]
    public async Task Edit_UndefinedAttributionModel_ReRendersWithAMessageAndKeepsTheSavedOne(string value)
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var id = await CreateAsync(marketer, "Bogus model " + Guid.NewGuid().ToString("N")[..8]);

        using var response = await marketer.SubmitFormAsync($"/Campaigns/Edit/{id}", "#activity-form", [new("Form.AttributionModel", value)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        var message = page.QuerySelector("[data-valmsg-for='Form.AttributionModel']")!.TextContent;
        // A name that is no model and a number that is no model get the binder's two messages; both quote the value.
        Assert.Contains($"The value '{value}' is", message, StringComparison.Ordinal);
        using var details = await marketer.GetAsync($"/Campaigns/Details/{id}");
        Assert.Equal("Last touch", (await HtmlPage.ParseAsync(details)).QuerySelector("#attribution-model")!.TextContent.Trim());
    }

    [Fact]
    public async Task SetStatus_SkippingAStep_IsRefusedWithAMessage()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var id = await CreateAsync(marketer, "Steps " + Guid.NewGuid().ToString("N")[..8]);

        using var refused = await marketer.PostFormAsync($"/Campaigns/SetStatus/{id}", [new("Status", nameof(ActivityStatus.Completed))]);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        using (var page = await marketer.GetAsync($"/Campaigns/Details/{id}"))
        {
            var document = await HtmlPage.ParseAsync(page);
            Assert.Contains("not allowed", document.Body!.TextContent, StringComparison.Ordinal);
            Assert.Equal("Draft", document.QuerySelector("#activity-status")!.TextContent.Trim());
        }

        using var scheduled = await marketer.PostFormAsync($"/Campaigns/SetStatus/{id}", [new("Status", nameof(ActivityStatus.Scheduled))]);
        using var after = await marketer.GetAsync($"/Campaigns/Details/{id}");
        Assert.Equal("Scheduled", (await HtmlPage.ParseAsync(after)).QuerySelector("#activity-status")!.TextContent.Trim());
    }

    [Fact]
    public async Task AddCost_OverBudget_ShowsTheOverspendWarning()
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var id = await CreateAsync(marketer, "Costly " + Guid.NewGuid().ToString("N")[..8], budget: "100");

        using var invalid = await marketer.SubmitFormAsync($"/Campaigns/Details/{id}", "#cost-form", [new("CostForm.Amount", "0")]);
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("The amount must be more than zero.", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var booked = await marketer.SubmitFormAsync($"/Campaigns/Details/{id}", "#cost-form",
            [new("CostForm.Amount", "120.50"), new("CostForm.Category", nameof(CostCategory.Venue))]);
        Assert.Equal(HttpStatusCode.Redirect, booked.StatusCode);
        using var page = await marketer.GetAsync($"/Campaigns/Details/{id}");
        var document = await HtmlPage.ParseAsync(page);
        Assert.NotNull(document.QuerySelector("#overspend-warning"));
        Assert.Single(document.QuerySelectorAll("#cost-table tbody tr[data-cost-id]"));
    }

    [Theory]
    [InlineData("/Campaigns/Details/999999", HttpStatusCode.NotFound)]
    [InlineData("/Campaigns/Details/abc", HttpStatusCode.BadRequest)]
    [InlineData("/Campaigns/Edit/999999", HttpStatusCode.NotFound)]
    [InlineData("/Campaigns/Calendar?year=2026&month=13", HttpStatusCode.BadRequest)]
    [InlineData("/Campaigns/Calendar?year=2026", HttpStatusCode.BadRequest)]
    [InlineData("/Campaigns?status=Nonsense", HttpStatusCode.BadRequest)]
    [InlineData("/Campaigns?page=0", HttpStatusCode.BadRequest)]
    public async Task MalformedRequests_Get4xxNever500(string url, HttpStatusCode expected)
    {
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var response = await marketer.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Sales_CannotOpenOrCreateActivities()
    {
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        using var list = await sales.GetAsync("/Campaigns");
        Assert.True(HttpClientExtensions.IsRedirectTo(list, HttpClientExtensions.AccessDeniedPath));
        using var create = await sales.PostFormAsync("/Campaigns/Create", [new("Form.Name", "x")]);
        Assert.True(HttpClientExtensions.IsRedirectTo(create, HttpClientExtensions.AccessDeniedPath));
        using var page = await sales.GetAsync("/Customers");
        Assert.DoesNotContain("/Campaigns", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
