using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Import;
using CrmMarketing.Web.ViewModels.Customers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Benchmarks;

internal sealed record ImportBenchmarkOptions(IReadOnlyList<int> Sizes, string Directory, int BatchSize);

/// <summary>Imports generated customer rows through the app's import service and, on a second fresh database,
/// with raw prepared inserts of the same rows (one transaction per batch); then exports each imported database
/// through <see cref="CustomerExportService"/>. Prints rows/s, the ratio, peak memory and the import's sections.</summary>
internal sealed class ImportBenchmark(ImportBenchmarkOptions options, TextWriter log)
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "Smith", "Müller", "Garcia", "Rossi"];
    private static readonly string[] GivenNames = ["芳", "伟", "娜", "敏", "静", "磊", "洋", "艳", "Anna", "Luca", "Maria", "Tom"];
    private static readonly (string City, string Region)[] Places =
        [("上海", "上海"), ("北京", "北京"), ("广州", "广东"), ("深圳", "广东"), ("杭州", "浙江"), ("成都", "四川"), ("武汉", "湖北"), ("南京", "江苏")];

    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.Directory);
        log.WriteLine("| Rows | Import service (rows/s) | Raw inserts (rows/s) | Service/raw | Goal ≥ 0.5× | Peak working set | Peak managed heap |");
        log.WriteLine("|-----:|------------------------:|---------------------:|------------:|-------------|-----------------:|------------------:|");
        var exports = new List<string>();
        foreach (var size in options.Sizes)
        {
            var csv = Path.Combine(options.Directory, $"import-{size}.csv");
            WriteCsv(csv, size);
            var serviceDb = await FreshDatabaseAsync($"import-service-{size}.db", ct);
            var rawDb = await FreshDatabaseAsync($"import-raw-{size}.db", ct);

            using var sampler = new MemorySampler();
            var serviceSeconds = await ImportThroughServiceAsync(serviceDb, csv, size, ct);
            var (peakHeap, peakSet) = sampler.Stop();
            var rawSeconds = RawInsert(rawDb, csv);
            var ratio = rawSeconds / serviceSeconds;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size:N0} | {size / serviceSeconds:N0} | {size / rawSeconds:N0} | {ratio:F2}× | {(ratio >= 0.5 ? "met" : "MISSED")} | {Mb(peakSet)} | {Mb(peakHeap)} |"));
            File.Delete(csv);
            File.Delete(rawDb);

            // Every size is exported too, so the export's memory can be compared across sizes (it must stay flat).
            exports.Add(await ExportAsync(serviceDb, ct));
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { serviceDb, serviceDb + "-wal", serviceDb + "-shm", rawDb + "-wal", rawDb + "-shm" })
            {
                File.Delete(file);
            }
        }

        log.WriteLine();
        foreach (var (size, timings) in Timings)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Import of {size:N0} rows by section: {timings}."));
        }

        log.WriteLine();
        foreach (var export in exports)
        {
            log.WriteLine(export);
        }
    }

    private List<(int Size, ImportTimings Timings)> Timings { get; } = [];

    private void WriteCsv(string path, int rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(true), 1 << 16);
        writer.Write("姓名,手机,邮箱,性别,生日,城市,省份,来源,标签\n");
        var random = new Random(7);
        for (var i = 0; i < rows; i++)
        {
            var (city, region) = Places[random.Next(Places.Length)];
            var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)] + i.ToString(CultureInfo.InvariantCulture);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{name},1{38 + (i % 2):D2}{i:D8},user{i}@example.com,{(i % 2 == 0 ? "女" : "男")},{1950 + (i % 50)}-{1 + (i % 12):D2}-{1 + (i % 28):D2},{city},{region},import,{(i % 10 == 0 ? "vip" : "")}\n"));
        }
    }

    private static async Task<string> FreshDatabaseAsync(string name, CancellationToken ct)
    {
        var directory = Path.GetFullPath("bench-data");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        await using (var db = new CrmDbContext(Options(path)))
        {
            await db.Database.MigrateAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
        }

        SqliteConnection.ClearAllPools();
        return path;
    }

    private static readonly SqlitePragmaInterceptor Pragmas = new();

    /// <summary>The app's configuration of the context: its SQLite pragmas (synchronous = NORMAL, foreign keys on).</summary>
    private static DbContextOptions<CrmDbContext> Options(string path) => new DbContextOptionsBuilder<CrmDbContext>()
        .UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString())
        .AddInterceptors(Pragmas).Options;

    private async Task<double> ImportThroughServiceAsync(string dbPath, string csv, int size, CancellationToken ct)
    {
        var importOptions = Microsoft.Extensions.Options.Options.Create(new ImportOptions
        {
            Directory = Path.Combine(Path.GetFullPath(options.Directory), "uploads"),
            BatchSize = options.BatchSize,
        });
        var files = new ImportFileStore(importOptions, new BenchEnvironment());
        var time = TimeProvider.System;
        var formatter = new DisplayFormatter(Microsoft.Extensions.Options.Options.Create(new CrmOptions()));
        var actor = new Actor(null, "benchmark");

        int id;
        await using (var db = new CrmDbContext(Options(dbPath)))
        {
            var service = new ImportService(db, files, new ImportQueue(), time, new AuditService(db, time, formatter), Localizer(),
                importOptions, NullLogger<ImportService>.Instance);
            await using (var input = File.OpenRead(csv))
            {
                var upload = await service.UploadAsync(ImportEntityType.Customers, Path.GetFileName(csv), input, input.Length, null, actor, ct);
                id = upload.Outcome == ImportOutcome.Ok ? upload.Id : throw new BenchmarkFailedException("upload: " + upload.Error);
            }

            var form = (await service.GetMapAsync(id, null, ct))!.Form;
            var errors = new Dictionary<string, string>();
            await service.SaveMappingAsync(id, form, actor, errors, ct);
            if (errors.Count > 0)
            {
                throw new BenchmarkFailedException("mapping: " + string.Join("; ", errors.Values));
            }

            // The dry run is the same work as the run; the run alone is timed.
            await db.ImportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Queued), ct);
        }

        var watch = Stopwatch.StartNew();
        await using (var db = new CrmDbContext(Options(dbPath)))
        {
            var runner = new ImportRunner(db, time, formatter, new AuditService(db, time, formatter), files, importOptions, NullLogger<ImportRunner>.Instance);
            await runner.ProcessAsync(id, ct);
            Timings.Add((size, runner.Timings));
        }

        watch.Stop();
        await using (var db = new CrmDbContext(Options(dbPath)))
        {
            var job = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == id, ct);
            if (job.Status != ImportStatus.Completed || job.Created != size || await db.Customers.CountAsync(ct) != size)
            {
                throw new BenchmarkFailedException($"import {job.Status}: created {job.Created} of {size} ({job.Message})");
            }

            files.Delete(job.StoredName);
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The baseline: the same rows, normalised by hand, with the same columns the import writes, straight into
    /// one prepared INSERT per row (plus the tag row) inside one transaction per batch, on a database with the same
    /// schema and indexes and the same connection pragmas as the app. No validation, lookups, journal or progress.</summary>
    private double RawInsert(string dbPath, string csv)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath }.ToString());
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = AppPragmas;
            pragmas.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        string[] columns = ["Name", "NameKey", "Email", "EmailKey", "Phone", "Gender", "BirthDate", "Address", "City", "Region", "Country",
            "PostalCode", "Source", "ExternalId", "EmailConsent", "EmailConsentAt", "EmailConsentSource", "SmsConsent", "SmsConsentAt",
            "SmsConsentSource", "UpdatedAt", "UpdatedBy", "Version", "CreatedAt", "CreatedBy", "IsArchived", "OrderCount", "TotalSpent"];
        command.CommandText = $"INSERT INTO \"Customers\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))});";
        var parameters = columns.Select((_, i) => command.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
        using var tags = connection.CreateCommand();
        tags.CommandText = "INSERT INTO \"CustomerTags\" (\"CustomerId\", \"Tag\") VALUES (last_insert_rowid(), $tag);";
        var tag = tags.Parameters.Add("$tag", SqliteType.Text);
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        SqliteTransaction? transaction = null;
        var inBatch = 0;
        foreach (var line in File.ReadLines(csv).Skip(1))
        {
            if (transaction is null)
            {
                transaction = connection.BeginTransaction();
                command.Transaction = transaction;
                tags.Transaction = transaction;
                command.Prepare();
                tags.Prepare();
            }

            var f = line.Split(',');
            object?[] values = [f[0], f[0].ToLowerInvariant(), f[2], f[2].ToLowerInvariant(), "+86" + f[1], f[3] == "女" ? 2 : 1, f[4], null, f[5], f[6],
                null, null, f[7], null, 0, null, null, 0, null, null, now, "benchmark", 1, now, "benchmark", 0, 0, 0];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
            if (f[8].Length > 0)
            {
                tag.Value = f[8];
                tags.ExecuteNonQuery();
            }

            if (++inBatch == options.BatchSize)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = null;
                inBatch = 0;
            }
        }

        transaction?.Commit();
        transaction?.Dispose();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>What <see cref="SqlitePragmaInterceptor"/> sets on every connection of the app.</summary>
    private const string AppPragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

    private async Task<string> ExportAsync(string dbPath, CancellationToken ct)
    {
        await using var db = new CrmDbContext(Options(dbPath));
        var count = await db.Customers.CountAsync(ct);
        var time = TimeProvider.System;
        var formatter = new DisplayFormatter(Microsoft.Extensions.Options.Options.Create(new CrmOptions()));
        var audit = new AuditService(db, time, formatter);
        var customers = new CustomerService(db, new MemoryCache(new MemoryCacheOptions()), time, new TimelineService([]), audit, formatter);
        var export = new CustomerExportService(db, customers, audit, time, formatter, Localizer(), NullLogger<CustomerExportService>.Instance);
        GC.Collect();
        using var sampler = new MemorySampler();
        var body = new CountingStream();
        var watch = Stopwatch.StartNew();
        var rows = await export.WriteCsvAsync(new CustomerListQuery(), body, ct);
        watch.Stop();
        var (peakHeap, peakSet) = sampler.Stop();
        return string.Create(CultureInfo.InvariantCulture,
            $"Export: {rows:N0} of {count:N0} customers, {body.Length / (1024.0 * 1024):N0} MB of CSV in {watch.Elapsed.TotalSeconds:F1} s ({rows / watch.Elapsed.TotalSeconds:N0} rows/s); peak managed heap {Mb(peakHeap)}, peak working set {Mb(peakSet)}.");
    }

    private static IStringLocalizer<SharedResource> Localizer() => new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):N0} MB");

    /// <summary>Samples the managed heap and the process working set every 20 ms while a phase runs.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;
        private long _heap;
        private long _set;

        public MemorySampler()
        {
            _task = Task.Run(async () =>
            {
                using var process = Process.GetCurrentProcess();
                while (!_stop.IsCancellationRequested)
                {
                    Sample(process);
                    try
                    {
                        await Task.Delay(20, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });
        }

        private void Sample(Process process)
        {
            process.Refresh();
            _heap = Math.Max(_heap, GC.GetTotalMemory(false));
            _set = Math.Max(_set, process.WorkingSet64);
        }

        public (long Heap, long WorkingSet) Stop()
        {
            _stop.Cancel();
            _task.Wait();
            return (_heap, _set);
        }

        public void Dispose() => _stop.Dispose();
    }

    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Position += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Position += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class BenchEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "CrmMarketing.Benchmarks";
        public string ContentRootPath { get; set; } = Directory.GetCurrentDirectory();
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
