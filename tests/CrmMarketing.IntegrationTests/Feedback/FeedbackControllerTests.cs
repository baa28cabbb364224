using System.Net;
using System.Text.Json;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.IntegrationTests.Feedback;

public sealed class FeedbackControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private const string Hostile = "<script>alert('fb')</script> box was crushed";

    private async Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    private async Task<int> CreateCustomerAsync(string? name = null, string? phone = null)
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var fields = new List<KeyValuePair<string, string>> { new("Form.Name", name ?? "Feedback " + Guid.NewGuid().ToString("N")[..8]) };
        if (phone is not null)
        {
            fields.Add(new("Form.Phone", phone));
        }

        using var response = await admin.SubmitFormAsync("/Customers/Create", "#customer-form", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('?')[0].Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> UserIdAsync(TestAccount account)
    {
        await factory.EnsureUserAsync(account);
        return await WithDbAsync(db => db.Users.Where(u => u.Email == account.Email).Select(u => u.Id).SingleAsync());
    }

    private Task<int> InsertFeedbackAsync(int customerId, string? userId, DateTime createdAt, string content = "Inserted") =>
        WithDbAsync(async db =>
        {
            var entry = new FeedbackEntity
            {
                CustomerId = customerId,
                Content = content,
                Score = 3,
                CreatedAt = createdAt,
                UpdatedAt = createdAt,
                CreatedByUserId = userId,
                CreatedByName = "someone@test.local",
            };
            db.Feedback.Add(entry);
            await db.SaveChangesAsync();
            return entry.Id;
        });

    [Fact]
    public async Task QuickForm_AsSales_SavesAndShowsEncodedOnTimelineListAndAnalytics()
    {
        var customerId = await CreateCustomerAsync();
        var detailsUrl = $"/Customers/Details/{customerId}";
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await sales.SubmitFormAsync(detailsUrl, "#feedback-quick-form",
        [
            new("Form.Score", "1"),
            new("Form.Content", Hostile),
            new("Form.Channel", nameof(FeedbackChannel.Store)),
            new("Form.Category", nameof(FeedbackCategory.Delivery)),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(detailsUrl, response.Headers.Location!.OriginalString);
        using (var first = await sales.GetAsync(detailsUrl))
        {
            var document = await HtmlPage.ParseAsync(first);
            Assert.Contains(document.QuerySelectorAll("#timeline li.kind-feedback"), li => li.TextContent.Contains(Hostile, StringComparison.Ordinal));
            Assert.Equal("Feedback logged.", document.QuerySelector("#status-message")?.FirstChild?.TextContent.Trim());
        }

        foreach (var url in new[] { detailsUrl, "/Feedback", "/Feedback/Analytics" })
        {
            using var page = await sales.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>alert('fb')", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert", html, StringComparison.Ordinal);
            CspAssert.NoInlineCode(HtmlPage.Parse(html), url);
        }
    }

    [Fact]
    public async Task Create_InvalidScore_ReRendersWithMessageAndSavesNothing()
    {
        var customerId = await CreateCustomerAsync();
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        var content = "Invalid score " + Guid.NewGuid().ToString("N");

        using var response = await sales.SubmitFormAsync($"/Feedback/Create?customerId={customerId}", "#feedback-form",
            [new("Form.Score", "9"), new("Form.Content", content)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        Assert.Equal("Choose a score from 1 to 5.", page.QuerySelector("[data-valmsg-for='Form.Score']")?.TextContent.Trim());
        Assert.Contains(content, page.QuerySelector("#feedback-content")!.TextContent, StringComparison.Ordinal);
        CspAssert.NoInlineCode(page, "/Feedback/Create (invalid)");
        Assert.Equal(0, await WithDbAsync(db => db.Feedback.CountAsync(f => f.Content == content)));
    }

    [Fact]
    public async Task Create_GlobalPageWithPickedCustomer_RedirectsToList()
    {
        var customerId = await CreateCustomerAsync();
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var content = "Global " + Guid.NewGuid().ToString("N");

        using var response = await marketer.SubmitFormAsync("/Feedback/Create", "#feedback-form",
            [new("Form.CustomerId", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Form.Score", "4"), new("Form.Content", content)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Feedback", response.Headers.Location!.OriginalString);
        Assert.Equal(customerId, await WithDbAsync(db => db.Feedback.Where(f => f.Content == content).Select(f => f.CustomerId).SingleAsync()));
    }

    [Fact]
    public async Task CustomerLookup_ByName_ReturnsMaskedJson()
    {
        var name = "Lookup" + Guid.NewGuid().ToString("N")[..8];
        var customerId = await CreateCustomerAsync(name, "139 1234 5678");
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await sales.GetAsync("/Feedback/CustomerLookup?q=" + name.ToLowerInvariant());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var match = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(customerId, match.GetProperty("id").GetInt32());
        Assert.Equal(name, match.GetProperty("name").GetString());
        Assert.Equal("•••• 5678", match.GetProperty("contact").GetString());
    }

    [Fact]
    public async Task Edit_SalesOnAnotherUsersEntry_IsForbidden()
    {
        var customerId = await CreateCustomerAsync();
        var id = await InsertFeedbackAsync(customerId, "another-user", DateTime.UtcNow);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var page = await sales.GetAsync($"/Feedback/Edit/{id}");
        using var post = await sales.PostFormAsync($"/Feedback/Edit/{id}",
        [
            new("Form.CustomerId", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Form.Score", "5"),
            new("Form.Content", "Rewritten"),
        ]);

        Assert.True(HttpClientExtensions.IsRedirectTo(page, HttpClientExtensions.AccessDeniedPath), $"GET returned {(int)page.StatusCode}");
        Assert.True(HttpClientExtensions.IsRedirectTo(post, HttpClientExtensions.AccessDeniedPath), $"POST returned {(int)post.StatusCode}");
        Assert.Equal("Inserted", await WithDbAsync(db => db.Feedback.Where(f => f.Id == id).Select(f => f.Content).SingleAsync()));
    }

    [Fact]
    public async Task Edit_SalesOwnEntryAfter24Hours_RedirectsWithClearError()
    {
        var customerId = await CreateCustomerAsync();
        var salesId = await UserIdAsync(TestAccount.Sales);
        var id = await InsertFeedbackAsync(customerId, salesId, DateTime.UtcNow.AddHours(-25));
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var post = await sales.PostFormAsync($"/Feedback/Edit/{id}",
        [
            new("Form.CustomerId", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Form.Score", "5"),
            new("Form.Content", "Too late"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/Feedback", post.Headers.Location!.OriginalString);
        using var list = await sales.GetAsync("/Feedback");
        var page = await HtmlPage.ParseAsync(list);
        Assert.Contains("within 24 hours", page.QuerySelector("#status-message")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Inserted", await WithDbAsync(db => db.Feedback.Where(f => f.Id == id).Select(f => f.Content).SingleAsync()));
    }

    [Fact]
    public async Task Edit_SalesOwnRecentEntry_Saves()
    {
        var customerId = await CreateCustomerAsync();
        var salesId = await UserIdAsync(TestAccount.Sales);
        var id = await InsertFeedbackAsync(customerId, salesId, DateTime.UtcNow.AddHours(-1));
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var post = await sales.SubmitFormAsync($"/Feedback/Edit/{id}", "#feedback-form",
            [new("Form.Score", "5"), new("Form.Content", "Corrected")]);

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("Corrected", await WithDbAsync(db => db.Feedback.Where(f => f.Id == id).Select(f => f.Content).SingleAsync()));
    }

    [Fact]
    public async Task List_Sales_DoesNotShowOtherUsersEntries()
    {
        var customerId = await CreateCustomerAsync();
        var marker = "Hidden " + Guid.NewGuid().ToString("N");
        await InsertFeedbackAsync(customerId, "another-user", DateTime.UtcNow, marker);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var salesPage = await sales.GetAsync("/Feedback?q=" + marker);
        using var marketerPage = await marketer.GetAsync("/Feedback?q=" + marker);
        var salesTable = (await HtmlPage.ParseAsync(salesPage)).QuerySelector("#feedback-table")!.TextContent;
        var marketerTable = (await HtmlPage.ParseAsync(marketerPage)).QuerySelector("#feedback-table")!.TextContent;

        Assert.DoesNotContain(marker, salesTable, StringComparison.Ordinal);
        Assert.Contains(marker, marketerTable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetStatus_MarketerAllowedSalesForbidden()
    {
        var customerId = await CreateCustomerAsync();
        var id = await InsertFeedbackAsync(customerId, "another-user", DateTime.UtcNow);
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var denied = await sales.PostFormAsync($"/Feedback/SetStatus/{id}", [new("Status", nameof(FeedbackStatus.Resolved))]);
        Assert.True(HttpClientExtensions.IsRedirectTo(denied, HttpClientExtensions.AccessDeniedPath), $"returned {(int)denied.StatusCode}");
        Assert.Equal(FeedbackStatus.New, await WithDbAsync(db => db.Feedback.Where(f => f.Id == id).Select(f => f.Status).SingleAsync()));

        using var allowed = await marketer.PostFormAsync($"/Feedback/SetStatus/{id}", [new("Status", nameof(FeedbackStatus.Resolved))]);
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.Equal(FeedbackStatus.Resolved, await WithDbAsync(db => db.Feedback.Where(f => f.Id == id).Select(f => f.Status).SingleAsync()));
    }
}
