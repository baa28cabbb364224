using System.IO.Compression;
using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Privacy;

public sealed class PrivacyControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private static async Task<string> CreateCustomerAsync(HttpClient admin, string name, string email, string city = "Suzhou")
    {
        using var created = await admin.SubmitFormAsync("/Customers/Create", "#customer-form",
            [new("Form.Name", name), new("Form.Email", email), new("Form.City", city), new("Form.IgnoreDuplicates", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return created.Headers.Location!.OriginalString.Split('/')[^1];
    }

    [Fact]
    public async Task Merge_PickOtherEmailOnMergeScreen_MergesAndCanBeUndone()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var survivor = await CreateCustomerAsync(admin, "Merge Keep " + tag, $"keep-{tag}@example.com");
        var other = await CreateCustomerAsync(admin, "Merge Gone " + tag, $"gone-{tag}@example.com");

        using var page = await admin.GetAsync($"/Duplicates/Merge/{survivor}?other={other}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        CspAssert.NoInlineCode(await HtmlPage.ParseAsync(page), "/Duplicates/Merge");

        using var merged = await admin.SubmitFormAsync($"/Duplicates/Merge/{survivor}?other={other}", "#merge-form", [new("Form.Picks[Email]", "Other")]);
        Assert.True(HttpClientExtensions.IsRedirectTo(merged, $"/Customers/Details/{survivor}"), $"{(int)merged.StatusCode} {merged.Headers.Location}");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var id = int.Parse(survivor, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"gone-{tag}@example.com", await db.Customers.Where(c => c.Id == id).Select(c => c.Email).SingleAsync());
            Assert.False(await db.Customers.AnyAsync(c => c.Id == int.Parse(other, System.Globalization.CultureInfo.InvariantCulture)));
            var journal = await db.MergeJournals.Where(j => j.SurvivorId == id).Select(j => j.Id).SingleAsync();

            using var undone = await admin.PostFormAsync($"/Duplicates/Undo/{journal}");
            Assert.True(HttpClientExtensions.IsRedirectTo(undone, "/Duplicates/History"));
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            Assert.Equal($"keep-{tag}@example.com", await db.Customers.Where(c => c.Id == int.Parse(survivor, System.Globalization.CultureInfo.InvariantCulture)).Select(c => c.Email).SingleAsync());
            Assert.True(await db.Customers.AnyAsync(c => c.Id == int.Parse(other, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task Merge_RecordEditedAfterScreenOpened_ShowsConflictMessage()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var survivor = await CreateCustomerAsync(admin, "Conflict Keep " + tag, $"ck-{tag}@example.com");
        var other = await CreateCustomerAsync(admin, "Conflict Gone " + tag, $"cg-{tag}@example.com");
        using var page = await admin.GetAsync($"/Duplicates/Merge/{survivor}?other={other}");
        var form = HtmlPage.GetFormValues((AngleSharp.Html.Dom.IHtmlFormElement)(await HtmlPage.ParseAsync(page)).QuerySelector("#merge-form")!);

        using var edited = await admin.SubmitFormAsync($"/Customers/Edit/{other}", "#customer-form", [new("Form.City", "Wuxi")]);
        using var response = await admin.PostAsync($"/Duplicates/Merge/{survivor}", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("changed after this screen was opened", (await HtmlPage.ParseAsync(response)).QuerySelector("#merge-form")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_AsAdmin_StreamsZipWithProfile()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await CreateCustomerAsync(admin, "Export Me " + tag, $"sar-{tag}@example.com");

        using var response = await admin.GetAsync($"/Privacy/Export/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("profile.json")!.Open());
        Assert.Contains($"sar-{tag}@example.com", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        Assert.NotNull(zip.GetEntry("purchases.csv"));
    }

    [Theory]
    [InlineData(Roles.Marketer)]
    [InlineData(Roles.Sales)]
    public async Task ExportEraseAndMerge_NonAdmin_AreRefused(string role)
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = await CreateCustomerAsync(admin, "Guarded " + tag, $"guard-{tag}@example.com");
        var other = await CreateCustomerAsync(admin, "Guarded Other " + tag, $"guard2-{tag}@example.com");
        using var client = await factory.CreateClientForRoleAsync(role);

        foreach (var url in new[] { $"/Privacy/Export/{id}", $"/Privacy/Erase/{id}", $"/Duplicates/Merge/{id}?other={other}", "/Duplicates" })
        {
            using var response = await client.GetAsync(url);
            Assert.True(HttpClientExtensions.IsRedirectTo(response, HttpClientExtensions.AccessDeniedPath), $"{url}: {(int)response.StatusCode}");
        }

        using var erase = await client.PostFormAsync($"/Privacy/Erase/{id}", [new("Form.Confirmation", id)]);
        Assert.True(HttpClientExtensions.IsRedirectTo(erase, HttpClientExtensions.AccessDeniedPath));
        using var details = await client.GetAsync($"/Customers/Details/{id}");
        var page = await HtmlPage.ParseAsync(details);
        Assert.Null(page.QuerySelector("#erase-customer"));
        Assert.Null(page.QuerySelector("#export-personal-data"));
        Assert.Null(page.QuerySelector("#merge-customer"));

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        Assert.Null(await db.Customers.Where(c => c.Id == int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).Select(c => c.ErasedAt).SingleAsync());
    }

    [Fact]
    public async Task Erase_WrongThenRightConfirmation_ErasesOnlyWhenConfirmed()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var name = "Erase Me " + tag;
        var id = await CreateCustomerAsync(admin, name, $"erase-{tag}@example.com");
        using (var details = await admin.GetAsync($"/Customers/Details/{id}"))
        {
            var page = await HtmlPage.ParseAsync(details);
            Assert.NotNull(page.QuerySelector("#erase-customer"));
            Assert.NotNull(page.QuerySelector("#export-personal-data"));
            Assert.NotNull(page.QuerySelector("#merge-customer"));
        }

        using var wrong = await admin.SubmitFormAsync($"/Privacy/Erase/{id}", "#erase-form", [new("Form.Confirmation", "Erase Me")]);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);

        using var right = await admin.SubmitFormAsync($"/Privacy/Erase/{id}", "#erase-form", [new("Form.Confirmation", name)]);
        Assert.True(HttpClientExtensions.IsRedirectTo(right, $"/Customers/Details/{id}"));

        using var after = await admin.GetAsync($"/Customers/Details/{id}");
        var erasedPage = await HtmlPage.ParseAsync(after);
        Assert.NotNull(erasedPage.QuerySelector("#erased-badge"));
        Assert.DoesNotContain(name, erasedPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain($"erase-{tag}@example.com", erasedPage.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicates_AsAdmin_ListsSameEmailPairAndDismissRemovesIt()
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var a = await CreateCustomerAsync(admin, "Dup A " + tag, $"dup-{tag}@example.com");
        var b = await CreateCustomerAsync(admin, "Dup B " + tag, $"DUP-{tag}@example.com");

        using var page = await admin.GetAsync("/Duplicates");
        var document = await HtmlPage.ParseAsync(page);
        CspAssert.NoInlineCode(document, "/Duplicates");
        Assert.NotNull(document.QuerySelector($"#duplicates-table tr[data-first='{a}'][data-second='{b}']"));

        using var dismissed = await admin.PostFormAsync("/Duplicates/Dismiss", [new("FirstId", a), new("SecondId", b)]);
        Assert.True(HttpClientExtensions.IsRedirectTo(dismissed, "/Duplicates"));
        using var again = await admin.GetAsync("/Duplicates");
        Assert.Null((await HtmlPage.ParseAsync(again)).QuerySelector($"#duplicates-table tr[data-first='{a}'][data-second='{b}']"));
    }
}
