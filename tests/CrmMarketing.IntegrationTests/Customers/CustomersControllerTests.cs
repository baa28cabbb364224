using System.Net;
using AngleSharp.Html.Dom;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Customers;

public sealed class CustomersControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private async Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    private Task<int> CountAsync(string name) => WithDbAsync(db => db.Customers.CountAsync(c => c.Name == name));

    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task Create_InvalidForm_ReRendersWithFieldMessagesAndSavesNothing()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.SubmitFormAsync("/Customers/Create", "#customer-form",
        [
            new("Form.Name", ""),
            new("Form.Email", "not-an-email"),
            new("Form.Phone", "12345"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ParseAsync(response);
        Assert.Equal("The Name field is required.", page.QuerySelector("[data-valmsg-for='Form.Name']")?.TextContent.Trim());
        Assert.Equal("Enter a valid email address.", page.QuerySelector("[data-valmsg-for='Form.Email']")?.TextContent.Trim());
        Assert.StartsWith("Enter a valid phone number", page.QuerySelector("[data-valmsg-for='Form.Phone']")?.TextContent.Trim());
        // What the user typed is kept.
        Assert.Equal("not-an-email", ((IHtmlInputElement)page.QuerySelector("#Form_Email")!).Value);
        CspAssert.NoInlineCode(page, "/Customers/Create (invalid)");
        Assert.Equal(0, await WithDbAsync(db => db.Customers.CountAsync(c => c.Email == "not-an-email")));
    }

    [Fact]
    public async Task Create_ValidForm_RedirectsToDetailsWithNormalisedPhone()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var name = Unique("Created");

        using var response = await client.SubmitFormAsync("/Customers/Create", "#customer-form",
        [
            new("Form.Name", name),
            new("Form.Phone", "139 0000 1111"),
            new("Form.City", "杭州"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/Customers/Details/", location, StringComparison.Ordinal);
        using var details = await client.GetAsync(location);
        var page = await HtmlPage.ParseAsync(details);
        Assert.Contains(name, page.QuerySelector("#customer-name")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("+8613900001111", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Customer created.", page.QuerySelector("#status-message")?.FirstChild?.TextContent.Trim());
    }

    [Fact]
    public async Task Create_EmailOfAnotherCustomer_WarnsWithLinkThenSavesWhenConfirmed()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var email = $"dup-{Guid.NewGuid():N}@example.com";
        var first = await client.SubmitFormAsync("/Customers/Create", "#customer-form", [new("Form.Name", "First"), new("Form.Email", email)]);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var firstUrl = first.Headers.Location!.OriginalString;

        using var warned = await client.SubmitFormAsync("/Customers/Create", "#customer-form",
            [new("Form.Name", "Second"), new("Form.Email", email.ToUpperInvariant())]);

        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        var page = await HtmlPage.ParseAsync(warned);
        var warning = page.QuerySelector("#duplicate-warning");
        Assert.NotNull(warning);
        Assert.Equal(firstUrl, warning.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(1, await WithDbAsync(db => db.Customers.CountAsync(c => c.EmailKey == email)));

        // Ticking "save anyway" on the re-rendered form saves the second customer.
        var form = (IHtmlFormElement)page.QuerySelector("#customer-form")!;
        var fields = HtmlPage.GetFormValues(form);
        fields["Form.IgnoreDuplicates"] = "true";
        using var saved = await client.PostAsync(HtmlPage.GetFormAction(form, "/Customers/Create"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(2, await WithDbAsync(db => db.Customers.CountAsync(c => c.EmailKey == email)));
    }

    [Fact]
    public async Task Edit_SecondEditorWithStaleForm_GetsConflictMessageAndFirstEditSurvives()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var created = await client.SubmitFormAsync("/Customers/Create", "#customer-form", [new("Form.Name", Unique("Concurrent"))]);
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];

        // Both editors open the form before either saves.
        using var stalePage = await client.GetAsync($"/Customers/Edit/{id}");
        var staleForm = (IHtmlFormElement)(await HtmlPage.ParseAsync(stalePage)).QuerySelector("#customer-form")!;
        var staleFields = HtmlPage.GetFormValues(staleForm);

        using var firstSave = await client.SubmitFormAsync($"/Customers/Edit/{id}", "#customer-form", [new("Form.City", "上海")]);
        Assert.Equal(HttpStatusCode.Redirect, firstSave.StatusCode);

        staleFields["Form.City"] = "北京";
        using var secondSave = await client.PostAsync($"/Customers/Edit/{id}", new FormUrlEncodedContent(staleFields));

        Assert.Equal(HttpStatusCode.OK, secondSave.StatusCode);
        var page = await HtmlPage.ParseAsync(secondSave);
        Assert.Contains("Someone else changed this customer", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("上海", await WithDbAsync(db => db.Customers.Where(c => c.Id == int.Parse(id)).Select(c => c.City).SingleAsync()));
    }

    [Fact]
    public async Task AddNote_AsSales_IsEncodedOnTheTimeline()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var created = await admin.SubmitFormAsync("/Customers/Create", "#customer-form", [new("Form.Name", Unique("Noted"))]);
        var detailsUrl = created.Headers.Location!.OriginalString;
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);
        const string body = "<script>alert('x')</script> wants a call back";

        using var response = await sales.SubmitFormAsync(detailsUrl, "#note-form", [new("NewNote.Body", body)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var details = await sales.GetAsync(detailsUrl);
        var html = await details.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert", html, StringComparison.Ordinal);
        var page = HtmlPage.Parse(html);
        Assert.Contains(page.QuerySelectorAll("#timeline li.kind-note"), li => li.TextContent.Contains(body, StringComparison.Ordinal));
        // Sales may read and note, but not edit.
        Assert.Null(page.QuerySelector("#edit-customer"));
    }

    [Fact]
    public async Task RecordPurchase_ValidLines_UpdatesKpisAndTimeline()
    {
        int productId = await WithDbAsync(async db =>
        {
            var product = new Product { Sku = "SKU-" + Guid.NewGuid().ToString("N")[..8], Name = "Green tea", Category = "Tea", ListPrice = 25.5m, CreatedAt = DateTime.UtcNow };
            db.Products.Add(product);
            await db.SaveChangesAsync();
            return product.Id;
        });
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var created = await client.SubmitFormAsync("/Customers/Create", "#customer-form", [new("Form.Name", Unique("Buyer"))]);
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];

        using (var form = await client.GetAsync($"/Customers/RecordPurchase/{id}"))
        {
            await CspAssert.NoInlineCodeAsync(form);
        }

        using var invalid = await client.SubmitFormAsync($"/Customers/RecordPurchase/{id}", "#purchase-form", [new("Form.Lines[0].ProductId", productId.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("Enter a quantity other than zero", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var saved = await client.SubmitFormAsync($"/Customers/RecordPurchase/{id}", "#purchase-form",
        [
            new("Form.Lines[0].ProductId", productId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Form.Lines[0].Quantity", "2"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var details = await client.GetAsync($"/Customers/Details/{id}");
        var page = await HtmlPage.ParseAsync(details);
        Assert.Equal("1", page.QuerySelector("#kpi-orders")!.TextContent.Trim());
        Assert.Equal("¥51.00", page.QuerySelector("#kpi-total")!.TextContent.Trim());
        Assert.Contains(page.QuerySelectorAll("#timeline li.kind-purchase"), li => li.TextContent.Contains("Purchase", StringComparison.Ordinal));
        Assert.Contains("Green tea", page.QuerySelector("#purchase-table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Tea", page.QuerySelector("#habits-favourites")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Not enough purchases", page.QuerySelector("#habits-next")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_SearchAndArchive_FindActiveThenArchivedOnly()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        var name = Unique("Searchable");
        var created = await client.SubmitFormAsync("/Customers/Create", "#customer-form", [new("Form.Name", name)]);
        var detailsUrl = created.Headers.Location!.OriginalString;

        using var found = await client.GetAsync("/Customers?q=" + Uri.EscapeDataString(name.ToUpperInvariant()));
        var foundPage = await HtmlPage.ParseAsync(found);
        var rows = foundPage.QuerySelectorAll("#customer-table tbody tr");
        Assert.Contains(name, Assert.Single(rows).TextContent, StringComparison.Ordinal);
        Assert.Equal("Matching customers: 1", foundPage.QuerySelector("#customer-count")!.TextContent.Trim());

        using var archived = await client.SubmitFormAsync(detailsUrl, "form[action$='/Archive/" + detailsUrl.Split('/')[^1] + "']");
        Assert.Equal(HttpStatusCode.Redirect, archived.StatusCode);

        using var active = await client.GetAsync("/Customers?q=" + Uri.EscapeDataString(name));
        Assert.Contains("No customers match", (await HtmlPage.ParseAsync(active)).QuerySelector("#customer-table")!.TextContent, StringComparison.Ordinal);
        using var archivedList = await client.GetAsync("/Customers?archived=true&q=" + Uri.EscapeDataString(name));
        Assert.Single((await HtmlPage.ParseAsync(archivedList)).QuerySelectorAll("#customer-table tbody tr a"));
    }

    [Fact]
    public async Task List_AcceptLanguageChinese_RendersChineseUi()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Customers");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");

        using var response = await client.SendAsync(request);

        var page = await HtmlPage.ParseAsync(response);
        Assert.Equal("客户", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
        // Marketers may not create customers: no button.
        Assert.Null(page.QuerySelector("#create-customer"));
    }

    [Fact]
    public async Task CultureSwitch_SetsCookieAndRedirectsOnlyLocally()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var local = await client.PostFormAsync("/Culture/Set", [new("culture", "zh-Hans"), new("returnUrl", "/Customers")]);
        Assert.Equal("/Customers", local.Headers.Location!.OriginalString);
        Assert.Contains(local.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dzh-Hans", StringComparison.Ordinal));
        using var page = await client.GetAsync("/Customers");
        Assert.Equal("客户", (await HtmlPage.ParseAsync(page)).QuerySelector("h1")!.TextContent.Trim());

        using var external = await client.PostFormAsync("/Culture/Set", [new("culture", "en"), new("returnUrl", "https://evil.example/")]);
        Assert.Equal("/", external.Headers.Location!.OriginalString);
        using var unknown = await client.PostFormAsync("/Culture/Set", [new("culture", "xx-YY"), new("returnUrl", "/")]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }
}
