using System.Text;
using System.Text.RegularExpressions;
using CrmMarketing.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace CrmMarketing.BrowserTests;

/// <summary>The import wizard end to end: a file with Chinese headers, automatic mapping, a dry run that finds
/// an error, fixing the date format, and the import with its progress bar.</summary>
public sealed partial class ImportTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task ImportWizard_ChineseHeadersDryRunFixAndImport_ProgressReachesDone()
    {
        fixture.SkipUnlessAvailable();
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(page.Url + " " + message.Text);
            }
        };

        await page.GotoAsync("/Import");
        await page.Locator("#Email").FillAsync(BrowserFixture.DemoAdminEmail);
        await page.Locator("#Password").FillAsync(fixture.DemoPassword);
        await page.Locator("#login-submit").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(IndexUrl());

        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = "姓名,手机,邮箱,城市,生日\n" +
                  $"王芳{tag},1390000{Random.Shared.Next(1000, 9999)},wang.{tag}@example.com,上海,31/12/1990\n" +
                  $"李雷{tag},1370000{Random.Shared.Next(1000, 9999)},li.{tag}@example.com,北京,05/06/1988\n";
        await page.Locator("#EntityType").SelectOptionAsync("Customers");
        await page.Locator("#File").SetInputFilesAsync(new FilePayload
        {
            Name = "客户.csv",
            MimeType = "text/csv",
            Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)],
        });
        await page.Locator("#upload-button").ClickAsync();

        // Every Chinese header was matched to its field.
        await Assertions.Expect(page).ToHaveURLAsync(MapUrl());
        await Assertions.Expect(page.Locator("#map-0")).ToHaveValueAsync("name");
        await Assertions.Expect(page.Locator("#map-1")).ToHaveValueAsync("phone");
        await Assertions.Expect(page.Locator("#map-2")).ToHaveValueAsync("email");
        await Assertions.Expect(page.Locator("#map-3")).ToHaveValueAsync("city");
        await Assertions.Expect(page.Locator("#map-4")).ToHaveValueAsync("birthDate");
        await Assertions.Expect(page.Locator("#import-preview")).ToContainTextAsync("王芳" + tag);

        // The dry run reads the dates as ISO and reports them.
        await page.Locator("#dry-run-button").ClickAsync();
        await Assertions.Expect(page.Locator("#dry-run-summary")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#import-issues")).ToContainTextAsync("31/12/1990");
        await Assertions.Expect(page.Locator("#import-issues")).ToContainTextAsync("生日");

        // Fix: tell the wizard the dates are day/month/year, and run the dry run again.
        await page.Locator("#edit-mapping").ClickAsync();
        await page.Locator("#DateFormat").SelectOptionAsync("dd/MM/yyyy");
        await page.Locator("#dry-run-button").ClickAsync();
        await Assertions.Expect(page.Locator("#dry-run-summary")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#import-issues")).ToHaveCountAsync(0);

        await page.Locator("#start-import").ClickAsync();
        await Assertions.Expect(page.Locator("#run-summary")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#import-progress-bar")).ToHaveAttributeAsync("value", "100");
        await Assertions.Expect(page.Locator("#summary-created")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#revert-import")).ToBeVisibleAsync();

        await page.GotoAsync("/Customers?q=" + Uri.EscapeDataString("王芳" + tag));
        await Assertions.Expect(page.Locator("#customer-table")).ToContainTextAsync("王芳" + tag);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [GeneratedRegex("/Import$")]
    private static partial Regex IndexUrl();

    [GeneratedRegex("/Import/Map/[0-9]+$")]
    private static partial Regex MapUrl();
}
