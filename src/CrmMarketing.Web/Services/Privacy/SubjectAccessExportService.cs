using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmMarketing.Web.Services.Privacy;

/// <summary>The subject-access export: everything stored about one customer, as a ZIP of JSON and CSV files
/// written straight to the response (one row at a time, nothing held whole in memory).</summary>
/// <remarks>Columns come from the EF model, so a column added to a table later is exported without a change here;
/// the tables are <see cref="CustomerOwnedData.Exported"/>.</remarks>
public sealed partial class SubjectAccessExportService(CrmDbContext db, TimeProvider time, AuditService audit, ILogger<SubjectAccessExportService> logger)
{
    public const string ContentType = "application/zip";
    private const int RowsPerFlush = 200;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public Task<bool> ExistsAsync(int id, CancellationToken ct) => db.Customers.AnyAsync(c => c.Id == id, ct);

    public string FileName(int id) =>
        string.Create(CultureInfo.InvariantCulture, $"customer-{id}-data-{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmm}.zip");

    /// <summary>Writes the ZIP; the export is written to the audit log with the row counts, also when cut short.</summary>
    public async Task WriteZipAsync(int id, Actor actor, Stream body, CancellationToken ct)
    {
        var counts = new List<AuditChange>();
        var complete = false;
        try
        {
            // ZipArchive writes headers synchronously, which a response body refuses; the pump takes them and
            // passes everything on asynchronously, a batch of rows at a time, so memory stays bounded.
            var pump = new AsyncPumpStream(body);
            await using (var zip = new ZipArchive(pump, ZipArchiveMode.Create, leaveOpen: true))
            {
                var profile = db.Customers.AsNoTracking().Where(c => c.Id == id);
                counts.Add(new AuditChange("profile", null, Count(await WriteTableAsync(zip, pump, "profile", profile.AsAsyncEnumerable(), typeof(Customer), ct))));
                foreach (var table in CustomerOwnedData.Exported)
                {
                    var rows = await WriteTableAsync(zip, pump, table.Name, table.RowsAsync(db, id), table.EntityType, ct);
                    counts.Add(new AuditChange(table.Name, null, Count(rows)));
                }
            }

            await pump.DrainAsync(ct);
            await body.FlushAsync(ct);

            complete = true;
        }
        finally
        {
            counts.Add(new AuditChange("Complete", null, complete ? "true" : "false"));
            // Not the request's token: a cancelled download is still recorded.
            await audit.RecordAsync(AuditActions.SubjectAccessExport, AuditEntityTypes.Customer, id.ToString(CultureInfo.InvariantCulture),
                counts, CancellationToken.None, actor.ForAudit());
        }

        LogExported(logger, id);
    }

    private async Task<int> WriteTableAsync<T>(ZipArchive zip, AsyncPumpStream pump, string name, IAsyncEnumerable<T> source, Type entityType, CancellationToken ct)
        where T : class
    {
        var properties = db.Model.FindEntityType(entityType)!.GetProperties().OrderBy(p => p.IsPrimaryKey() ? 0 : 1).ToList();

        // JSON: an array of objects, one per row.
        var rows = 0;
        var jsonEntry = zip.CreateEntry(name + ".json", CompressionLevel.Optimal);
        await using (var stream = jsonEntry.Open())
        await using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            await foreach (var row in source.WithCancellation(ct))
            {
                json.WriteStartObject();
                foreach (var property in properties)
                {
                    json.WritePropertyName(property.Name);
                    JsonSerializer.Serialize(json, Value(property, row), property.ClrType);
                }

                json.WriteEndObject();
                if (++rows % RowsPerFlush == 0)
                {
                    await json.FlushAsync(ct);
                    await pump.DrainAsync(ct);
                }
            }

            json.WriteEndArray();
            await json.FlushAsync(ct);
        }

        await pump.DrainAsync(ct);

        // CSV: the same rows, UTF-8 with BOM, cells neutralised against formula injection.
        var csvEntry = zip.CreateEntry(name + ".csv", CompressionLevel.Optimal);
        await using (var stream = csvEntry.Open())
        await using (var writer = new StreamWriter(stream, Utf8, bufferSize: 16 * 1024, leaveOpen: true))
        {
            await writer.WriteAsync(CsvText.Encoding.GetString(CsvText.Encoding.GetPreamble()));
            var line = new StringBuilder();
            CsvText.AppendLine(line, properties.Select(p => CsvText.Text(p.Name)));
            var written = 0;
            await foreach (var row in source.WithCancellation(ct))
            {
                CsvText.AppendLine(line, properties.Select(p => Cell(Value(p, row))));
                if (++written % RowsPerFlush == 0)
                {
                    await writer.WriteAsync(line, ct);
                    await writer.FlushAsync(ct);
                    line.Clear();
                    await pump.DrainAsync(ct);
                }
            }

            await writer.WriteAsync(line, ct);
            await writer.FlushAsync(ct);
        }

        await pump.DrainAsync(ct);

        return rows;
    }

    private static object? Value(IProperty property, object row) =>
        property.PropertyInfo?.GetValue(row) ?? property.FieldInfo?.GetValue(row);

    private static string Cell(object? value) => value switch
    {
        null => string.Empty,
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => CsvText.Number(m),
        int or long or bool => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        byte[] bytes => Convert.ToBase64String(bytes),
        _ => CsvText.Text(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static string Count(int rows) => rows.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subject-access export of customer {CustomerId} written")]
    private static partial void LogExported(ILogger logger, int customerId);
}

/// <summary>A write-only stream that collects whatever is written to it, synchronously or not, until
/// <see cref="DrainAsync"/> passes it on to the target asynchronously.</summary>
internal sealed class AsyncPumpStream(Stream target) : Stream
{
    private readonly MemoryStream _pending = new();
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pending.Write(buffer);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Nothing to do: the collected bytes leave with <see cref="DrainAsync"/>.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task DrainAsync(CancellationToken ct)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        await target.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct);
        _pending.SetLength(0);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }
}
