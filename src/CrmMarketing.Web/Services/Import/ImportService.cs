using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Export;
using CrmMarketing.Web.ViewModels.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Import;

public enum ImportOutcome
{
    Ok,
    NotFound,
    Invalid,
}

/// <summary>A service result: the outcome, the job id, and for invalid input a localised message.</summary>
public sealed record ImportResult(ImportOutcome Outcome, int Id = 0, string? Error = null)
{
    public static ImportResult NotFound { get; } = new(ImportOutcome.NotFound);
}

/// <summary>The import wizard: upload, mapping and templates, queueing dry runs and runs, history, reports and revert.</summary>
public sealed partial class ImportService(
    CrmDbContext db,
    ImportFileStore files,
    ImportQueue queue,
    TimeProvider time,
    AuditService audit,
    IStringLocalizer<SharedResource> l,
    IOptions<ImportOptions> options,
    ILogger<ImportService> logger)
{
    public const int PreviewRows = 10;
    public const int HistorySize = 50;
    public const int IssuesShown = 200;

    public async Task<ImportIndexViewModel> GetIndexAsync(ImportUploadFormModel? form, CancellationToken ct) => new()
    {
        Form = form ?? new ImportUploadFormModel(),
        Templates = await GetTemplatesAsync(ct),
        History = await db.ImportJobs.AsNoTracking().OrderByDescending(j => j.Id).Take(HistorySize)
            .Select(j => new ImportHistoryRow(j.Id, j.EntityType, j.FileName, j.Status, j.CreatedAt, j.CreatedBy, j.TotalRows,
                j.Created, j.Updated, j.Skipped, j.Failed))
            .ToListAsync(ct),
        MaxFileBytes = options.Value.MaxFileBytes,
    };

    private async Task<IReadOnlyList<ImportTemplateOption>> GetTemplatesAsync(CancellationToken ct) =>
        await db.ImportMappingTemplates.AsNoTracking().OrderBy(t => t.EntityType).ThenBy(t => t.Name)
            .Select(t => new ImportTemplateOption(t.Id, t.Name, t.EntityType)).ToListAsync(ct);

    /// <summary>Stores the upload, detects encoding and delimiter, reads the header and maps it (by template or by
    /// header names). A file that cannot be read is deleted again and the reason returned.</summary>
    public async Task<ImportResult> UploadAsync(ImportEntityType type, string fileName, Stream content, long length, int? templateId, Actor actor, CancellationToken ct)
    {
        if (!Enum.IsDefined(type))
        {
            return new ImportResult(ImportOutcome.Invalid, Error: l["Choose what the file contains."]);
        }

        ImportMappingTemplate? template = null;
        if (templateId is { } tid)
        {
            template = await db.ImportMappingTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tid && t.EntityType == type, ct);
            if (template is null)
            {
                return new ImportResult(ImportOutcome.Invalid, Error: l["The template does not exist or is for another kind of data."]);
            }
        }

        if (length > options.Value.MaxFileBytes)
        {
            return new ImportResult(ImportOutcome.Invalid, Error: l["The file is larger than {0} MB.", options.Value.MaxFileBytes / (1024 * 1024)]);
        }

        var stored = await files.SaveAsync(content, ct);
        try
        {
            long size;
            CsvSniffResult sniff;
            string[] headers;
            await using (var stream = files.OpenRead(stored))
            {
                size = stream.Length;
                sniff = await CsvSniffer.DetectAsync(stream, ct);
                stream.Position = 0;
                headers = ReadHeader(stream, sniff.Encoding, sniff.Delimiter);
            }

            var mapping = template is null
                ? ImportFields.AutoMap(type, headers)
                : ImportFields.FromTemplate(type, headers, JsonSerializer.Deserialize<Dictionary<string, string>>(template.MappingJson) ?? []);
            var job = new ImportJob
            {
                EntityType = type,
                FileName = SafeFileName(fileName),
                StoredName = stored,
                FileSize = size,
                Encoding = sniff.Encoding,
                Delimiter = sniff.Delimiter.ToString(),
                HeadersJson = JsonSerializer.Serialize(headers),
                MappingJson = JsonSerializer.Serialize(mapping),
                MatchKey = template?.MatchKey ?? DefaultMatchKey(type, mapping),
                Mode = template?.Mode ?? ImportMode.Upsert,
                DateFormat = template?.DateFormat,
                DecimalSeparator = template?.DecimalSeparator ?? (sniff.Delimiter == ';' ? "," : "."),
                CreateMissingCustomers = type == ImportEntityType.Purchases,
                CreateMissingProducts = type == ImportEntityType.Purchases,
                Status = ImportStatus.Uploaded,
                CreatedAt = time.GetUtcNow().UtcDateTime,
                CreatedBy = actor.Name,
                CreatedByUserId = actor.UserId,
            };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync(ct);
            LogUploaded(logger, job.Id, type, size);
            return new ImportResult(ImportOutcome.Ok, job.Id);
        }
        catch (ImportFileException ex)
        {
            files.Delete(stored);
            return new ImportResult(ImportOutcome.Invalid, Error: l[ex.Message, [.. ex.Args]]);
        }
    }

    private static ImportMatchKey DefaultMatchKey(ImportEntityType type, string[] mapping) =>
        mapping.Contains(ImportFields.Email) && type == ImportEntityType.Customers ? ImportMatchKey.Email
        : mapping.Contains(ImportFields.ExternalId) ? ImportMatchKey.ExternalId
        : mapping.Contains(ImportFields.Email) ? ImportMatchKey.Email
        : mapping.Contains(ImportFields.Phone) ? ImportMatchKey.Phone
        : ImportMatchKey.Email;

    /// <summary>The header cells, checked: present, not blank throughout, no name twice, at least one data row.</summary>
    private static string[] ReadHeader(Stream stream, string encoding, char delimiter)
    {
        using var reader = new CsvRecordReader(stream, ImportEncodings.Get(encoding), delimiter);
        var header = reader.Read()?.Select(h => h.Trim()).ToArray() ?? throw new ImportFileException("The file is empty.");
        if (header.All(h => h.Length == 0))
        {
            throw new ImportFileException("The first line must hold the column names.");
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0)
            {
                continue;
            }

            if (seen.TryGetValue(header[i], out var first))
            {
                throw new ImportFileException("The column name \"{0}\" appears twice (columns {1} and {2}). Column names must be unique.", header[i], first + 1, i + 1);
            }

            seen[header[i]] = i;
        }

        if (reader.Read() is null)
        {
            throw new ImportFileException("The file has column names but no rows.");
        }

        return header;
    }

    private static string SafeFileName(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        file = new string(file.Where(c => !char.IsControl(c)).ToArray());
        if (file.Length == 0)
        {
            file = "import.csv";
        }

        return file.Length <= ImportJob.FileNameMaxLength ? file : file[^ImportJob.FileNameMaxLength..];
    }

    public async Task<ImportMapViewModel?> GetMapAsync(int id, ImportMapFormModel? form, CancellationToken ct)
    {
        var job = await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return null;
        }

        var headers = JsonSerializer.Deserialize<string[]>(job.HeadersJson) ?? [];
        form ??= new ImportMapFormModel
        {
            Mapping = [.. JsonSerializer.Deserialize<string[]>(job.MappingJson) ?? []],
            MatchKey = job.MatchKey,
            Mode = job.Mode,
            DateFormat = job.DateFormat,
            DecimalSeparator = job.DecimalSeparator,
            Encoding = job.Encoding,
            Delimiter = ImportMapFormModel.DelimiterName(job.Delimiter[0]),
            EmailConsent = job.EmailConsent,
            SmsConsent = job.SmsConsent,
            ConsentEvidence = job.ConsentEvidence,
            CreateMissingCustomers = job.CreateMissingCustomers,
            CreateMissingProducts = job.CreateMissingProducts,
        };

        string? message = job.Message is null ? null : Localise(job.Message, job.MessageArgsJson);
        var preview = new List<IReadOnlyList<string>>();
        if (files.Exists(job.StoredName))
        {
            try
            {
                await using var stream = files.OpenRead(job.StoredName);
                using var reader = new CsvRecordReader(stream, ImportEncodings.Get(job.Encoding), job.Delimiter[0]);
                reader.Read();
                while (preview.Count < PreviewRows && reader.Read() is { } record)
                {
                    preview.Add(record.Select(v => v.Length > 100 ? v[..100] + "…" : v).ToList());
                }
            }
            catch (ImportFileException ex)
            {
                message ??= l[ex.Message, [.. ex.Args]];
            }
        }

        return new ImportMapViewModel
        {
            JobId = job.Id,
            FileName = job.FileName,
            EntityType = job.EntityType,
            Status = job.Status,
            Headers = headers,
            Preview = preview,
            Fields = ImportFields.For(job.EntityType).Select(f => new ImportFieldOption(f.Name, l[f.Label], f.Required)).ToList(),
            Form = form,
            Message = message,
        };
    }

    /// <summary>Saves the mapping and options (and a template when named), re-reads the header when encoding or
    /// delimiter changed, and queues a dry run. Mapping mistakes come back as field errors.</summary>
    public async Task<ImportResult> SaveMappingAsync(int id, ImportMapFormModel form, Actor actor, IDictionary<string, string> errors, CancellationToken ct)
    {
        var job = await db.ImportJobs.SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return ImportResult.NotFound;
        }

        if (job.Status is not (ImportStatus.Uploaded or ImportStatus.Validated))
        {
            return new ImportResult(ImportOutcome.Invalid, id, l["This import can no longer be changed."]);
        }

        var headers = JsonSerializer.Deserialize<string[]>(job.HeadersJson) ?? [];
        var delimiter = ImportMapFormModel.DelimiterChar(form.Delimiter);
        if (form.Encoding != job.Encoding || delimiter != job.Delimiter[0])
        {
            try
            {
                await using var stream = files.OpenRead(job.StoredName);
                var reread = ReadHeader(stream, form.Encoding, delimiter);
                if (!reread.SequenceEqual(headers, StringComparer.Ordinal))
                {
                    headers = reread;
                    form.Mapping = [.. ImportFields.AutoMap(job.EntityType, headers)];
                }
            }
            catch (ImportFileException ex)
            {
                errors[nameof(form.Encoding)] = l[ex.Message, [.. ex.Args]];
                return new ImportResult(ImportOutcome.Invalid, id);
            }
        }

        var fields = ImportFields.For(job.EntityType);
        var mapping = headers.Select((_, i) => i < form.Mapping.Count ? form.Mapping[i] ?? string.Empty : string.Empty).ToArray();
        foreach (var bad in mapping.Where(m => m.Length > 0 && fields.All(f => f.Name != m)))
        {
            errors[nameof(form.Mapping)] = l["Choose one of the offered values."];
        }

        foreach (var twice in mapping.Where(m => m.Length > 0).GroupBy(m => m).Where(g => g.Count() > 1))
        {
            errors[nameof(form.Mapping)] = l["The field \"{0}\" is chosen for more than one column.", l[fields.First(f => f.Name == twice.Key).Label]];
        }

        foreach (var missing in fields.Where(f => f.Required && !mapping.Contains(f.Name)))
        {
            errors[nameof(form.Mapping)] = l["Choose a column for the required field \"{0}\".", l[missing.Label]];
        }

        var keyField = ImportFields.MatchKeyField(form.MatchKey);
        var needsKey = job.EntityType != ImportEntityType.Customers || form.Mode != ImportMode.CreateOnly;
        if (needsKey && !mapping.Contains(keyField))
        {
            errors[nameof(form.MatchKey)] = l["Choose a column for the match key \"{0}\".", l[fields.First(f => f.Name == keyField).Label]];
        }

        if (job.EntityType == ImportEntityType.Customers && form.Mode != ImportMode.UpdateOnly && !mapping.Contains(ImportFields.Name))
        {
            errors[nameof(form.Mapping)] = l["Choose a column for the customer's name: new customers need one."];
        }

        var templateName = form.TemplateName?.Trim();
        if (!string.IsNullOrEmpty(templateName)
            && await db.ImportMappingTemplates.AnyAsync(t => t.EntityType == job.EntityType && t.Name == templateName, ct))
        {
            errors[nameof(form.TemplateName)] = l["A template with this name exists already."];
        }

        if (errors.Count > 0)
        {
            return new ImportResult(ImportOutcome.Invalid, id);
        }

        job.HeadersJson = JsonSerializer.Serialize(headers);
        job.MappingJson = JsonSerializer.Serialize(mapping);
        job.Encoding = form.Encoding;
        job.Delimiter = delimiter.ToString();
        job.MatchKey = form.MatchKey;
        job.Mode = job.EntityType == ImportEntityType.Customers ? form.Mode : ImportMode.CreateOnly;
        job.DateFormat = string.IsNullOrEmpty(form.DateFormat) ? null : form.DateFormat;
        job.DecimalSeparator = form.DecimalSeparator;
        job.EmailConsent = form.EmailConsent;
        job.SmsConsent = form.SmsConsent;
        job.ConsentEvidence = string.IsNullOrWhiteSpace(form.ConsentEvidence) ? null : form.ConsentEvidence.Trim();
        job.CreateMissingCustomers = form.CreateMissingCustomers;
        job.CreateMissingProducts = form.CreateMissingProducts;
        job.Status = ImportStatus.DryRunQueued;
        job.Message = null;
        job.MessageArgsJson = null;
        if (!string.IsNullOrEmpty(templateName))
        {
            db.ImportMappingTemplates.Add(new ImportMappingTemplate
            {
                Name = templateName,
                EntityType = job.EntityType,
                MappingJson = JsonSerializer.Serialize(headers.Select((h, i) => (Header: ImportFields.NormaliseHeader(h), Field: mapping[i]))
                    .Where(p => p.Field.Length > 0 && p.Header.Length > 0).DistinctBy(p => p.Header).ToDictionary(p => p.Header, p => p.Field)),
                MatchKey = job.MatchKey,
                Mode = job.Mode,
                DateFormat = job.DateFormat,
                DecimalSeparator = job.DecimalSeparator,
                CreatedAt = time.GetUtcNow().UtcDateTime,
                CreatedBy = actor.Name,
            });
        }

        await db.SaveChangesAsync(ct);
        queue.Signal();
        return new ImportResult(ImportOutcome.Ok, id);
    }

    public async Task<bool> DeleteTemplateAsync(int id, CancellationToken ct) =>
        await db.ImportMappingTemplates.Where(t => t.Id == id).ExecuteDeleteAsync(ct) == 1;

    /// <summary>Queues the real run of a dry-run-checked import.</summary>
    public async Task<ImportResult> StartAsync(int id, CancellationToken ct)
    {
        var changed = await db.ImportJobs.Where(j => j.Id == id && j.Status == ImportStatus.Validated)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Queued), ct);
        if (changed == 1)
        {
            queue.Signal();
            return new ImportResult(ImportOutcome.Ok, id);
        }

        return await db.ImportJobs.AnyAsync(j => j.Id == id, ct)
            ? new ImportResult(ImportOutcome.Invalid, id, l["Only an import whose dry run has finished can be started."])
            : ImportResult.NotFound;
    }

    public async Task<ImportProgressJson?> GetProgressAsync(int id, CancellationToken ct)
    {
        var j = await db.ImportJobs.AsNoTracking().Where(j => j.Id == id)
            .Select(j => new { j.Status, j.ProcessedRows, j.TotalRows, j.Created, j.Updated, j.Skipped, j.Failed }).SingleOrDefaultAsync(ct);
        if (j is null)
        {
            return null;
        }

        var working = j.Status is ImportStatus.DryRunQueued or ImportStatus.DryRunning or ImportStatus.Queued or ImportStatus.Running;
        var dry = j.Status is ImportStatus.DryRunQueued or ImportStatus.DryRunning;
        var percent = !working ? 100 : dry || j.TotalRows == 0 ? 0 : Math.Min(100, (int)(100L * j.ProcessedRows / j.TotalRows));
        return new ImportProgressJson(StatusText(j.Status), working, j.ProcessedRows, j.TotalRows, percent, j.Created, j.Updated, j.Skipped, j.Failed);
    }

    public string StatusText(ImportStatus status) => status switch
    {
        ImportStatus.Uploaded => l["Waiting for mapping"],
        ImportStatus.DryRunQueued => l["Dry run queued"],
        ImportStatus.DryRunning => l["Dry run in progress"],
        ImportStatus.Validated => l["Dry run done"],
        ImportStatus.Queued => l["Import queued"],
        ImportStatus.Running => l["Importing"],
        ImportStatus.Completed => l["Done"],
        ImportStatus.Failed => l["Stopped with an error"],
        ImportStatus.Reverted => l["Reverted"],
        _ => status.ToString(),
    };

    public async Task<ImportDetailsViewModel?> GetDetailsAsync(int id, CancellationToken ct)
    {
        var job = await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return null;
        }

        var hasRun = job.Status is ImportStatus.Queued or ImportStatus.Running or ImportStatus.Completed or ImportStatus.Failed or ImportStatus.Reverted;
        var phase = hasRun ? ImportPhase.Run : ImportPhase.DryRun;
        var issues = db.ImportIssues.AsNoTracking().Where(i => i.ImportJobId == id && i.Phase == phase);
        var journal = await db.ImportJournal.AsNoTracking().Where(e => e.ImportJobId == id).GroupBy(e => e.Kind)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new ImportDetailsViewModel
        {
            Id = job.Id,
            EntityType = job.EntityType,
            FileName = job.FileName,
            FileSize = job.FileSize,
            Status = job.Status,
            CreatedBy = job.CreatedBy,
            CreatedAt = job.CreatedAt,
            CompletedAt = job.CompletedAt,
            RevertedAt = job.RevertedAt,
            TotalRows = job.TotalRows,
            ProcessedRows = job.ProcessedRows,
            Created = job.Created,
            Updated = job.Updated,
            Skipped = job.Skipped,
            Failed = job.Failed,
            Warnings = job.Warnings,
            DryRunErrors = job.DryRunErrors,
            DryRunWarnings = job.DryRunWarnings,
            HasDryRun = job.DryRunAt is not null,
            HasRun = hasRun,
            Message = job.Message is null ? null : Localise(job.Message, job.MessageArgsJson),
            SkipReasons = (job.SkipReasonsJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, int>>(job.SkipReasonsJson) ?? [])
                .ToDictionary(kv => l[kv.Key].Value, kv => kv.Value),
            Journal = journal.ToDictionary(g => g.Key, g => g.Count),
            IssuePhase = phase,
            IssueCount = await issues.CountAsync(ct),
            Issues = (await issues.OrderBy(i => i.Id).Take(IssuesShown).ToListAsync(ct))
                .Select(i => new ImportIssueRow(i.Row, i.Level, i.Column, i.Value, l[i.Message])).ToList(),
        };
    }

    private string Localise(string message, string? argsJson)
    {
        var args = argsJson is null ? [] : JsonSerializer.Deserialize<string[]>(argsJson) ?? [];
        return l[message, [.. args]];
    }

    public Task<bool> ExistsAsync(int id, CancellationToken ct) => db.ImportJobs.AnyAsync(j => j.Id == id, ct);

    public string ReportFileName(int id, ImportPhase phase) =>
        string.Create(CultureInfo.InvariantCulture, $"import-{id}-{(phase == ImportPhase.DryRun ? "dry-run" : "errors")}.csv");

    /// <summary>Streams the issues of a dry run or run as CSV (UTF-8 with BOM, spreadsheet formulas neutralised):
    /// row, level, column, value, message. Returns false when the import does not exist.</summary>
    public async Task<bool> WriteReportAsync(int id, ImportPhase phase, Stream body, CancellationToken ct)
    {
        if (!await db.ImportJobs.AnyAsync(j => j.Id == id, ct))
        {
            return false;
        }

        await using var writer = new StreamWriter(body, CsvText.Encoding, 16 * 1024, leaveOpen: true);
        var line = new StringBuilder();
        CsvText.AppendLine(line, [CsvText.Text(l["Row"]), CsvText.Text(l["Level"]), CsvText.Text(l["Column"]), CsvText.Text(l["Value"]), CsvText.Text(l["Message"])]);
        await writer.WriteAsync(line, ct);
        await foreach (var i in db.ImportIssues.AsNoTracking().Where(i => i.ImportJobId == id && i.Phase == phase).OrderBy(i => i.Id)
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            line.Clear();
            CsvText.AppendLine(line,
            [
                CsvText.Number(i.Row),
                CsvText.Text(i.Level == ImportIssueLevel.Error ? l["Error"] : l["Warning"]),
                CsvText.Text(i.Column),
                CsvText.Text(i.Value),
                CsvText.Text(l[i.Message]),
            ]);
            await writer.WriteAsync(line, ct);
        }

        return true;
    }

    /// <summary>Undoes a run in one transaction: created feedback, events, purchases and consent records are deleted,
    /// customers' aggregates recomputed, updated customers get their earlier values back, and created customers and
    /// products are deleted unless something outside the import refers to them by now.</summary>
    public async Task<ImportResult> RevertAsync(int id, Actor actor, CancellationToken ct)
    {
        var job = await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return ImportResult.NotFound;
        }

        if (job.Status is not (ImportStatus.Completed or ImportStatus.Failed))
        {
            return new ImportResult(ImportOutcome.Invalid, id, l["Only a finished import can be reverted."]);
        }

        var journal = db.ImportJournal.Where(e => e.ImportJobId == id);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var feedback = await db.Feedback.Where(f => journal.Any(e => e.Kind == ImportJournalKind.FeedbackCreated && e.EntityId == f.Id)).ExecuteDeleteAsync(ct);
        var events = await db.CustomerEvents.Where(x => journal.Any(e => e.Kind == ImportJournalKind.EventCreated && e.EntityId == x.Id)).ExecuteDeleteAsync(ct);
        var purchaseCustomers = await db.Purchases.Where(p => journal.Any(e => e.Kind == ImportJournalKind.PurchaseCreated && e.EntityId == p.Id))
            .Select(p => p.CustomerId).Distinct().ToListAsync(ct);
        await db.PurchaseLines.Where(x => journal.Any(e => e.Kind == ImportJournalKind.PurchaseCreated && e.EntityId == x.PurchaseId)).ExecuteDeleteAsync(ct);
        var purchases = await db.Purchases.Where(p => journal.Any(e => e.Kind == ImportJournalKind.PurchaseCreated && e.EntityId == p.Id)).ExecuteDeleteAsync(ct);
        if (purchaseCustomers.Count > 0)
        {
            await PurchaseService.RecomputeAggregatesAsync(db, purchaseCustomers, ct);
        }

        await db.ConsentChanges.Where(c => journal.Any(e => e.Kind == ImportJournalKind.ConsentChangeCreated && e.EntityId == c.Id)).ExecuteDeleteAsync(ct);

        // The oldest snapshot of a customer is its state before the import; apply newest first so the oldest wins.
        var updates = await journal.Where(e => e.Kind == ImportJournalKind.CustomerUpdated).OrderByDescending(e => e.Id)
            .Select(e => new { e.EntityId, e.BeforeJson }).ToListAsync(ct);
        var restored = 0;
        foreach (var update in updates)
        {
            var before = CustomerSnapshot.Read(update.BeforeJson)!;
            var customerId = (int)update.EntityId;
            restored += await db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Name, before.Name)
                .SetProperty(c => c.NameKey, Customer.KeyOf(before.Name))
                .SetProperty(c => c.Email, before.Email)
                .SetProperty(c => c.EmailKey, before.EmailKey)
                .SetProperty(c => c.Phone, before.Phone)
                .SetProperty(c => c.Gender, before.Gender)
                .SetProperty(c => c.BirthDate, before.BirthDate)
                .SetProperty(c => c.Address, before.Address)
                .SetProperty(c => c.City, before.City)
                .SetProperty(c => c.Region, before.Region)
                .SetProperty(c => c.Country, before.Country)
                .SetProperty(c => c.PostalCode, before.PostalCode)
                .SetProperty(c => c.Source, before.Source)
                .SetProperty(c => c.ExternalId, before.ExternalId)
                .SetProperty(c => c.EmailConsent, before.EmailConsent)
                .SetProperty(c => c.EmailConsentAt, before.EmailConsentAt)
                .SetProperty(c => c.EmailConsentSource, before.EmailConsentSource)
                .SetProperty(c => c.SmsConsent, before.SmsConsent)
                .SetProperty(c => c.SmsConsentAt, before.SmsConsentAt)
                .SetProperty(c => c.SmsConsentSource, before.SmsConsentSource)
                .SetProperty(c => c.UpdatedAt, before.UpdatedAt)
                .SetProperty(c => c.UpdatedBy, before.UpdatedBy)
                .SetProperty(c => c.Version, c => c.Version + 1), ct);
            var tags = before.Tags.Length == 0 ? [] : before.Tags.Split(',');
            await db.CustomerTags.Where(t => t.CustomerId == customerId && !tags.Contains(t.Tag)).ExecuteDeleteAsync(ct);
        }

        // Created customers go unless staff have since recorded something about them.
        var deletable = db.Customers.Where(c => journal.Any(e => e.Kind == ImportJournalKind.CustomerCreated && e.EntityId == c.Id)
            && !db.Purchases.Any(p => p.CustomerId == c.Id)
            && !db.Feedback.Any(f => f.CustomerId == c.Id)
            && !db.CustomerNotes.Any(n => n.CustomerId == c.Id)
            && !db.CustomerCalls.Any(x => x.CustomerId == c.Id));
        var createdCount = await journal.CountAsync(e => e.Kind == ImportJournalKind.CustomerCreated, ct);
        var removedCustomers = await deletable.ExecuteDeleteAsync(ct);
        var products = await db.Products.Where(p => journal.Any(e => e.Kind == ImportJournalKind.ProductCreated && e.EntityId == p.Id)
            && !db.PurchaseLines.Any(x => x.ProductId == p.Id) && !db.Feedback.Any(f => f.ProductId == p.Id)).ExecuteDeleteAsync(ct);

        await db.ImportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, ImportStatus.Reverted)
            .SetProperty(j => j.RevertedAt, time.GetUtcNow().UtcDateTime), ct);
        await audit.RecordAsync(AuditActions.ImportRevert, AuditEntityTypes.Import, id.ToString(CultureInfo.InvariantCulture),
        [
            new("CustomersRemoved", null, removedCustomers.ToString(CultureInfo.InvariantCulture)),
            new("CustomersKept", null, (createdCount - removedCustomers).ToString(CultureInfo.InvariantCulture)),
            new("CustomersRestored", null, restored.ToString(CultureInfo.InvariantCulture)),
            new("PurchasesRemoved", null, purchases.ToString(CultureInfo.InvariantCulture)),
            new("EventsRemoved", null, events.ToString(CultureInfo.InvariantCulture)),
            new("FeedbackRemoved", null, feedback.ToString(CultureInfo.InvariantCulture)),
            new("ProductsRemoved", null, products.ToString(CultureInfo.InvariantCulture)),
        ], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        LogReverted(logger, id, removedCustomers, restored);
        var kept = createdCount - removedCustomers;
        return new ImportResult(ImportOutcome.Ok, id, kept > 0 ? l["{0} created customers were kept because staff recorded purchases, feedback, notes or calls for them since.", kept].Value : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} uploaded: {EntityType}, {Bytes} bytes")]
    private static partial void LogUploaded(ILogger logger, int jobId, ImportEntityType entityType, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} reverted: {Removed} customers removed, {Restored} restored")]
    private static partial void LogReverted(ILogger logger, int jobId, int removed, int restored);
}
