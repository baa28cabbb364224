using System.Text;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Import;
using CrmMarketing.Web.ViewModels.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CrmMarketing.UnitTests.Import;

/// <summary>A test database, a private import directory and the import services over them.</summary>
public sealed class ImportHarness : IDisposable
{
    public static readonly Actor Admin = new("admin-id", "admin@crm.local");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "crm-import-tests", Guid.NewGuid().ToString("N"));

    public ImportHarness(int batchSize = 2_000, string zone = "UTC")
    {
        Options = new ImportOptions { Directory = _directory, BatchSize = batchSize };
        Files = new ImportFileStore(Microsoft.Extensions.Options.Options.Create(Options), new Environment(_directory));
        Zone = zone;
    }

    public TestDatabase Database { get; } = new();
    public ImportOptions Options { get; }
    public ImportFileStore Files { get; }
    public string Zone { get; }

    public ImportService Service(CrmDbContext db) => new(db, Files, new ImportQueue(), new FixedTimeProvider(TestServices.Now),
        TestServices.Audit(db), TestServices.Localizer, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<ImportService>.Instance);

    public ImportRunner Runner(CrmDbContext db) => new(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter(Zone),
        TestServices.Audit(db), Files, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<ImportRunner>.Instance);

    public async Task<ImportResult> UploadAsync(ImportEntityType type, byte[] content, string name = "data.csv")
    {
        await using var db = Database.CreateContext();
        return await Service(db).UploadAsync(type, name, new MemoryStream(content), content.Length, null, Admin, CancellationToken.None);
    }

    public Task<ImportResult> UploadAsync(ImportEntityType type, string text) => UploadAsync(type, Encoding.UTF8.GetBytes(text));

    /// <summary>The form as the wizard shows it for the uploaded job, changed by <paramref name="configure"/>.</summary>
    public async Task<ImportMapFormModel> FormAsync(int id, Action<ImportMapFormModel>? configure = null)
    {
        await using var db = Database.CreateContext();
        var form = (await Service(db).GetMapAsync(id, null, CancellationToken.None))!.Form;
        configure?.Invoke(form);
        return form;
    }

    /// <summary>Saves the mapping and processes the queued dry run.</summary>
    public async Task<Dictionary<string, string>> DryRunAsync(int id, Action<ImportMapFormModel>? configure = null)
    {
        var form = await FormAsync(id, configure);
        var errors = new Dictionary<string, string>();
        await using (var db = Database.CreateContext())
        {
            await Service(db).SaveMappingAsync(id, form, Admin, errors, CancellationToken.None);
        }

        if (errors.Count == 0)
        {
            await ProcessAsync(id);
        }

        return errors;
    }

    /// <summary>Starts the dry-run-checked job and processes it.</summary>
    public async Task RunAsync(int id)
    {
        await using (var db = Database.CreateContext())
        {
            var started = await Service(db).StartAsync(id, CancellationToken.None);
            Assert.Equal(ImportOutcome.Ok, started.Outcome);
        }

        await ProcessAsync(id);
    }

    public async Task ProcessAsync(int id)
    {
        await using var db = Database.CreateContext();
        Assert.True(await Runner(db).ProcessAsync(id, CancellationToken.None));
    }

    /// <summary>Upload, dry run and run in one go; returns the job.</summary>
    public async Task<ImportJob> ImportAsync(ImportEntityType type, string csv, Action<ImportMapFormModel>? configure = null)
    {
        var upload = await UploadAsync(type, csv);
        Assert.Equal(ImportOutcome.Ok, upload.Outcome);
        var errors = await DryRunAsync(upload.Id, configure);
        Assert.Empty(errors);
        Assert.Equal(ImportStatus.Validated, (await JobAsync(upload.Id)).Status);
        await RunAsync(upload.Id);
        return await JobAsync(upload.Id);
    }

    public async Task<ImportJob> JobAsync(int id)
    {
        await using var db = Database.CreateContext();
        return await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    public async Task<List<ImportIssue>> IssuesAsync(int id, ImportPhase phase)
    {
        await using var db = Database.CreateContext();
        return await db.ImportIssues.AsNoTracking().Where(i => i.ImportJobId == id && i.Phase == phase).OrderBy(i => i.Id).ToListAsync();
    }

    public async Task<ImportResult> RevertAsync(int id)
    {
        await using var db = Database.CreateContext();
        return await Service(db).RevertAsync(id, Admin, CancellationToken.None);
    }

    public void Dispose()
    {
        Database.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "CrmMarketing.Web";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
