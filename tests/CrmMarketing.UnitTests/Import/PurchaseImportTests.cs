using System.Diagnostics;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Import;
using Microsoft.EntityFrameworkCore;
using SharpCompress.Compressors.Xz;

namespace CrmMarketing.UnitTests.Import;

public class PurchaseImportTests
{
    private const string OrderLines =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
        "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n" +
        "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom\n" +
        "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n" +
        "C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527,United Kingdom\n" +
        "536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom\n" +
        "536380,22961,JAM MAKING SET PRINTED,24,2010-12-01 09:41:00,1.45,17809,France\n";

    [Fact]
    public async Task Import_OrderLines_GroupsInvoicesAndKeepsAggregatesExact()
    {
        using var h = new ImportHarness();
        var job = await h.ImportAsync(ImportEntityType.Purchases, OrderLines);

        Assert.Equal((5, 1, 0), (job.Created, job.Skipped, job.Failed));
        Assert.Contains("\"No customer on the row\":1", job.SkipReasonsJson);
        await using var db = h.Database.CreateContext();
        var c17850 = await db.Customers.SingleAsync(c => c.ExternalId == "17850");
        Assert.Equal((2, 46.74m, "United Kingdom"), (c17850.OrderCount, c17850.TotalSpent, c17850.Country));
        Assert.Equal(new DateTime(2010, 12, 1, 8, 26, 0, DateTimeKind.Utc), c17850.FirstPurchaseAt);
        var returner = await db.Customers.SingleAsync(c => c.ExternalId == "14527");
        Assert.Equal((0, -27.50m, null), (returner.OrderCount, returner.TotalSpent, returner.FirstPurchaseAt));
        var invoice = await db.Purchases.Include(p => p.Lines).SingleAsync(p => p.OrderNumber == "536365");
        Assert.Equal((2, 35.64m), (invoice.Lines.Count, invoice.Total));
        Assert.Equal(5, await db.Products.CountAsync());
        Assert.Equal("WHITE HANGING HEART", (await db.Products.SingleAsync(p => p.Sku == "85123A")).Name);
    }

    [Fact]
    public async Task Import_SameFileTwice_SkipsExistingOrders()
    {
        using var h = new ImportHarness();
        await h.ImportAsync(ImportEntityType.Purchases, OrderLines);
        var again = await h.ImportAsync(ImportEntityType.Purchases, OrderLines);

        Assert.Equal((0, 6), (again.Created, again.Skipped));
        Assert.Contains("\"The order already exists\":5", again.SkipReasonsJson);
        await using var db = h.Database.CreateContext();
        Assert.Equal(46.74m, (await db.Customers.SingleAsync(c => c.ExternalId == "17850")).TotalSpent);
    }

    [Fact]
    public async Task Import_WithoutCreatingCustomersOrProducts_SkipsUnknownOnes()
    {
        using var h = new ImportHarness();
        await h.Database.AddCustomerAsync("Known", c => c.ExternalId = "17850");
        await h.Database.AddProductAsync("85123A", 2.55m);

        var job = await h.ImportAsync(ImportEntityType.Purchases, OrderLines,
            f => (f.CreateMissingCustomers, f.CreateMissingProducts) = (false, false));

        Assert.Equal((1, 5), (job.Created, job.Skipped));
        Assert.Contains("\"Unknown product code\":2", job.SkipReasonsJson);
        Assert.Contains("\"No customer with this key\":2", job.SkipReasonsJson);
    }

    [Fact]
    public async Task Revert_PurchaseImport_RemovesEverythingAndRestoresAggregates()
    {
        using var h = new ImportHarness();
        var known = await h.Database.AddCustomerAsync("Known", c => c.ExternalId = "17850");
        var job = await h.ImportAsync(ImportEntityType.Purchases, OrderLines);
        await using (var db = h.Database.CreateContext())
        {
            Assert.Equal(46.74m, (await db.Customers.SingleAsync(c => c.Id == known.Id)).TotalSpent);
        }

        Assert.Equal(ImportOutcome.Ok, (await h.RevertAsync(job.Id)).Outcome);

        await using var check = h.Database.CreateContext();
        var after = await check.Customers.SingleAsync();
        Assert.Equal((known.Id, 0, 0m, null), (after.Id, after.OrderCount, after.TotalSpent, after.LastPurchaseAt));
        Assert.Equal(0, await check.Purchases.CountAsync());
        Assert.Equal(0, await check.Products.CountAsync());
    }

    [Fact]
    public async Task Import_EventsAndFeedback_AttachToCustomersByKey()
    {
        using var h = new ImportHarness();
        var customer = await h.Database.AddCustomerAsync("Known", c => (c.Email, c.EmailKey) = ("k@example.com", "k@example.com"));

        var events = await h.ImportAsync(ImportEntityType.Events,
            "邮箱,事件类型,发生时间,属性\nk@example.com,page_view,2026-05-01 10:00,\"{\"\"page\"\":\"\"/\"\"}\"\nnobody@example.com,page_view,2026-05-01 10:00,\nk@example.com,cart_add,yesterday,\n");
        var feedback = await h.ImportAsync(ImportEntityType.Feedback,
            "Email,Rating,Comment,Channel,Category\nk@example.com,5,Great service,电话,服务\nk@example.com,9,Too high,web,other\n");

        Assert.Equal((1, 1, 1), (events.Created, events.Skipped, events.Failed));
        Assert.Equal((1, 1), (feedback.Created, feedback.Failed));
        await using var db = h.Database.CreateContext();
        var e = await db.CustomerEvents.SingleAsync();
        Assert.Equal((customer.Id, "page_view", "{\"page\":\"/\"}"), (e.CustomerId, e.Type, e.PropertiesJson));
        var f = await db.Feedback.SingleAsync();
        Assert.Equal((5, FeedbackChannel.Phone, FeedbackCategory.Service), (f.Score, f.Channel, f.Category));
    }

    /// <summary>The UCI Online Retail file (541,909 real order lines) against its published reference figures.</summary>
    [SkippableFact]
    public async Task Import_OnlineRetailFile_MatchesReferenceFigures()
    {
        var file = OnlineRetailFile();
        Skip.If(file is null, "The shared data set online-retail/online_retail.csv.xz is not next to the repository (../shared/data) nor under /work/shared/data.");

        using var h = new ImportHarness(batchSize: 5_000);
        var csv = Path.Combine(h.Options.Directory, "online_retail.csv");
        Directory.CreateDirectory(h.Options.Directory);
        await using (var xz = new XZStream(File.OpenRead(file)))
        await using (var output = File.Create(csv))
        {
            await xz.CopyToAsync(output);
        }

        var watch = Stopwatch.StartNew();
        ImportResult upload;
        await using (var db = h.Database.CreateContext())
        await using (var input = File.OpenRead(csv))
        {
            upload = await h.Service(db).UploadAsync(ImportEntityType.Purchases, "online_retail.csv", input, input.Length, null, ImportHarness.Admin, CancellationToken.None);
        }

        Assert.Equal(ImportOutcome.Ok, upload.Outcome);
        var form = await h.FormAsync(upload.Id);
        Assert.Equal(["orderNumber", "sku", "productName", "quantity", "purchasedAt", "unitPrice", "externalId", "country"], form.Mapping);
        Assert.Equal(ImportMatchKey.ExternalId, form.MatchKey);
        Assert.Empty(await h.DryRunAsync(upload.Id));
        var dryRun = await h.JobAsync(upload.Id);
        Assert.True(dryRun.Status == ImportStatus.Validated, $"{dryRun.Status}: {dryRun.Message} {dryRun.MessageArgsJson}");
        Assert.Equal((406_829, 135_080, 0), (dryRun.Created, dryRun.Skipped, dryRun.Failed));
        await h.RunAsync(upload.Id);
        var job = await h.JobAsync(upload.Id);

        Assert.Equal(ImportStatus.Completed, job.Status);
        Assert.Equal(541_909, job.TotalRows);
        Assert.Equal((406_829, 135_080, 0), (job.Created, job.Skipped, job.Failed));
        Assert.Equal("{\"No customer on the row\":135080}", job.SkipReasonsJson);

        await using var check = h.Database.CreateContext();
        var clean = check.PurchaseLines.Where(l => l.Quantity > 0 && l.UnitPrice > 0);
        Assert.Equal(397_884, await clean.CountAsync());
        Assert.Equal(8_911_407.904m, await clean.SumAsync(l => l.Amount));
        Assert.Equal(18_532, await clean.Select(l => l.PurchaseId).Distinct().CountAsync());
        Assert.Equal(4_338, await check.Purchases.Where(p => p.Lines.Any(l => l.Quantity > 0 && l.UnitPrice > 0)).Select(p => p.CustomerId).Distinct().CountAsync());
        Assert.Equal(4_372, await check.Customers.CountAsync());
        // Returns and cancellations are imported as negative lines, not dropped.
        Assert.True(await check.Purchases.CountAsync(p => p.OrderNumber.StartsWith("C") && p.Total < 0) > 3_000);

        // Cached aggregates equal a fresh computation for every customer.
        Assert.Equal(await check.PurchaseLines.SumAsync(l => l.Amount), await check.Customers.SumAsync(c => c.TotalSpent));
        Assert.Equal(0, await check.Customers.CountAsync(c =>
            c.TotalSpent != check.Purchases.Where(p => p.CustomerId == c.Id).Sum(p => p.Total)
            || c.OrderCount != check.Purchases.Count(p => p.CustomerId == c.Id && p.Total >= 0)));
        Assert.Equal(0, await check.Purchases.CountAsync(p => p.Total != check.PurchaseLines.Where(l => l.PurchaseId == p.Id).Sum(l => l.Amount)));
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(10), $"took {watch.Elapsed}");
    }

    internal static string? OnlineRetailFile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrmMarketing.sln")))
        {
            dir = dir.Parent;
        }

        string[] candidates =
        [
            .. dir is null ? Array.Empty<string>() : [Path.Combine(dir.FullName, "..", "shared", "data", "online-retail", "online_retail.csv.xz")],
            "/work/shared/data/online-retail/online_retail.csv.xz",
        ];
        return candidates.FirstOrDefault(File.Exists);
    }
}
