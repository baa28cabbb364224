using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Import;

/// <summary>Runs a queued dry run or import: streams the stored file, checks every row and, for a real run, writes
/// batch by batch, each batch with its journal, issues and progress in one transaction.</summary>
/// <remarks>A dry run processes every batch exactly like a run and rolls it back, so its counts are what the run
/// will do (except that a key repeated in a later batch is counted as a second creation). Writes use prepared
/// SQLite statements inside EF Core's transaction; reads use EF Core.</remarks>
public sealed partial class ImportRunner(
    CrmDbContext db,
    TimeProvider time,
    DisplayFormatter formatter,
    AuditService audit,
    ImportFileStore files,
    IOptions<ImportOptions> options,
    ILogger<ImportRunner> logger)
{
    /// <summary>Where the time of the last <see cref="ProcessAsync"/> went.</summary>
    public ImportTimings Timings { get; private set; } = new();

    /// <summary>Processes the job if it is waiting (or was interrupted) in a dry run or run. Returns whether it did.</summary>
    public async Task<bool> ProcessAsync(int jobId, CancellationToken ct)
    {
        var job = await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null)
        {
            return false;
        }

        var dryRun = job.Status is ImportStatus.DryRunQueued or ImportStatus.DryRunning;
        if (!dryRun && job.Status is not (ImportStatus.Queued or ImportStatus.Running))
        {
            return false;
        }

        var phase = dryRun ? ImportPhase.DryRun : ImportPhase.Run;
        var resume = job.Status is ImportStatus.Running && job.ProcessedRows > 0;
        if (!resume)
        {
            await db.ImportIssues.Where(i => i.ImportJobId == jobId && i.Phase == phase).ExecuteDeleteAsync(ct);
            job.ProcessedRows = job.Created = job.Updated = job.Skipped = job.Failed = job.Warnings = 0;
            job.SkipReasonsJson = null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db.ImportJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, dryRun ? ImportStatus.DryRunning : ImportStatus.Running)
            .SetProperty(j => j.StartedAt, j => dryRun ? j.StartedAt : resume ? j.StartedAt : now)
            .SetProperty(j => j.Message, (string?)null)
            .SetProperty(j => j.MessageArgsJson, (string?)null)
            .SetProperty(j => j.ProcessedRows, job.ProcessedRows)
            .SetProperty(j => j.Created, job.Created)
            .SetProperty(j => j.Updated, job.Updated)
            .SetProperty(j => j.Skipped, job.Skipped)
            .SetProperty(j => j.Failed, job.Failed)
            .SetProperty(j => j.Warnings, job.Warnings)
            .SetProperty(j => j.SkipReasonsJson, job.SkipReasonsJson), ct);
        LogStarted(logger, jobId, phase, job.ProcessedRows);

        Timings = new ImportTimings();
        var state = new RunState(job, phase, options.Value.MaxStoredIssues, now, Timings);
        if (resume)
        {
            state.StoredIssues = await db.ImportIssues.CountAsync(i => i.ImportJobId == jobId && i.Phase == phase, ct);
            state.SkipReasons = job.SkipReasonsJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, int>>(job.SkipReasonsJson) ?? [];
            var journal = db.ImportJournal.Where(e => e.ImportJobId == jobId);
            foreach (var order in await db.Purchases.AsNoTracking()
                .Where(p => journal.Any(e => e.Kind == ImportJournalKind.PurchaseCreated && e.EntityId == p.Id))
                .Select(p => new { p.OrderNumber, p.Id, p.CustomerId }).ToListAsync(ct))
            {
                state.Orders[order.OrderNumber] = (order.Id, order.CustomerId);
            }

            state.CreatedCustomers.UnionWith(await journal.Where(e => e.Kind == ImportJournalKind.CustomerCreated).Select(e => (int)e.EntityId).ToListAsync(ct));
        }

        try
        {
            await RunAsync(state, ct);
        }
        catch (ImportFileException ex)
        {
            await FinishWithMessageAsync(state, ex.Message, ex.Args, ct);
            return true;
        }
        catch (BatchFailedException ex)
        {
            LogBatchFailed(logger, ex.InnerException!, jobId, ex.FirstRow, ex.LastRow);
            await FinishWithMessageAsync(state, state.Phase == ImportPhase.DryRun
                ? "Rows {0}–{1} could not be saved: the database refused them. Nothing was written."
                : "Rows {0}–{1} could not be saved; that batch was rolled back and the import stopped. Earlier batches were saved and can be reverted.",
                [ex.FirstRow, ex.LastRow], ct);
            return true;
        }

        await FinishAsync(state, ct);
        return true;
    }

    private async Task RunAsync(RunState state, CancellationToken ct)
    {
        var job = state.Job;
        var headers = JsonSerializer.Deserialize<string[]>(job.HeadersJson) ?? [];
        var mapping = JsonSerializer.Deserialize<string[]>(job.MappingJson) ?? [];
        var layout = new RowLayout(job.EntityType, headers, mapping);
        var values = new ImportValues(job.DateFormat, job.DecimalSeparator);
        var batchSize = options.Value.BatchSize;

        await using var stream = files.OpenRead(job.StoredName);
        using var reader = new CsvRecordReader(stream, ImportEncodings.Get(job.Encoding), job.Delimiter[0]);
        _ = reader.Read() ?? throw new ImportFileException("The file is empty.");

        var skip = job.ProcessedRows;
        var batch = new List<Row>(batchSize);
        var parsing = ImportTimings.Start();
        while (reader.Read() is { } record)
        {
            if (skip > 0)
            {
                skip--;
                continue;
            }

            batch.Add(layout.Take(record, reader.RecordLine));
            if (batch.Count == batchSize)
            {
                state.Timings.Stop(ImportTimings.Parse, parsing);
                await ProcessBatchAsync(state, layout, values, batch, ct);
                batch.Clear();
                parsing = ImportTimings.Start();
            }
        }

        state.Timings.Stop(ImportTimings.Parse, parsing);
        if (batch.Count > 0)
        {
            await ProcessBatchAsync(state, layout, values, batch, ct);
        }
    }

    private async Task ProcessBatchAsync(RunState state, RowLayout layout, ImportValues values, List<Row> rows, CancellationToken ct)
    {
        var snapshot = state.Counters();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = new Batch(state, layout, values, (SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)tx.GetDbTransaction());
        try
        {
            switch (state.Job.EntityType)
            {
                case ImportEntityType.Customers:
                    await ProcessCustomersAsync(batch, rows, ct);
                    break;
                case ImportEntityType.Purchases:
                    await ProcessPurchasesAsync(batch, rows, ct);
                    break;
                case ImportEntityType.Events:
                    await ProcessEventsAsync(batch, rows, ct);
                    break;
                case ImportEntityType.Feedback:
                    await ProcessFeedbackAsync(batch, rows, ct);
                    break;
            }

            batch.FlushJournal();
            state.Processed += rows.Count;
            var saving = ImportTimings.Start();
            if (state.Phase == ImportPhase.DryRun)
            {
                await tx.RollbackAsync(ct);
                batch.Dispose();
                // Nothing of the batch exists any more; the next batch must not build on it.
                state.Orders.Clear();
                state.CreatedCustomers.Clear();
                await using var progress = await db.Database.BeginTransactionAsync(ct);
                await SaveProgressAsync(state, (SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)progress.GetDbTransaction(), ct);
                await progress.CommitAsync(ct);
            }
            else
            {
                await SaveProgressAsync(state, batch.Connection, batch.Transaction, ct);
                await tx.CommitAsync(ct);
            }

            state.Timings.Stop(ImportTimings.Progress, saving);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            state.Restore(snapshot);
            throw new BatchFailedException(rows[0].Line, rows[^1].Line, ex);
        }
        finally
        {
            batch.Dispose();
            state.PendingIssues.Clear();
        }
    }

    private static async Task SaveProgressAsync(RunState state, SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        using (var issues = SqliteRowWriter.Insert(connection, transaction, "ImportIssues", false,
            "ImportJobId", "Phase", "Level", "Row", "Column", "Value", "Message"))
        {
            foreach (var i in state.PendingIssues)
            {
                issues.Execute(i.ImportJobId, i.Phase, i.Level, i.Row, i.Column, i.Value, i.Message);
            }
        }

        using var progress = SqliteRowWriter.Sql(connection, transaction, """
            UPDATE "ImportJobs" SET "ProcessedRows" = $p0, "Created" = $p1, "Updated" = $p2, "Skipped" = $p3, "Failed" = $p4,
                "Warnings" = $p5, "SkipReasonsJson" = $p6 WHERE "Id" = $p7;
            """, 8);
        progress.Execute(state.Processed, state.Created, state.Updated, state.Skipped, state.Failed, state.Warnings,
            state.SkipReasons.Count == 0 ? null : JsonSerializer.Serialize(state.SkipReasons), state.Job.Id);
        await Task.CompletedTask.WaitAsync(ct);
    }

    private async Task FinishAsync(RunState state, CancellationToken ct)
    {
        var job = state.Job;
        var now = time.GetUtcNow().UtcDateTime;
        if (state.Phase == ImportPhase.DryRun)
        {
            await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ImportStatus.Validated)
                .SetProperty(j => j.TotalRows, state.Processed)
                .SetProperty(j => j.DryRunAt, now)
                .SetProperty(j => j.DryRunErrors, state.Errors)
                .SetProperty(j => j.DryRunWarnings, state.Warnings), ct);
            LogDryRunDone(logger, job.Id, state.Processed, state.Errors);
            return;
        }

        var auditing = ImportTimings.Start();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, ImportStatus.Completed)
            .SetProperty(j => j.CompletedAt, now), ct);
        await audit.RecordAsync(AuditActions.Import, AuditEntityTypes.Import, job.Id.ToString(CultureInfo.InvariantCulture),
            Summary(job, state), ct, new AuditActor(job.CreatedByUserId, job.CreatedBy));
        await tx.CommitAsync(ct);
        state.Timings.Stop(ImportTimings.Audit, auditing);
        LogRunDone(logger, job.Id, state.Created, state.Updated, state.Skipped, state.Failed);
        LogTimings(logger, job.Id, state.Timings.ToString());
    }

    private async Task FinishWithMessageAsync(RunState state, string message, IReadOnlyList<object> args, CancellationToken ct)
    {
        var job = state.Job;
        var argsJson = JsonSerializer.Serialize(args.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)));
        var now = time.GetUtcNow().UtcDateTime;
        if (state.Phase == ImportPhase.DryRun)
        {
            // Back to mapping: the file (or the chosen encoding) must be fixed before anything can run.
            await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ImportStatus.Uploaded)
                .SetProperty(j => j.DryRunAt, now)
                .SetProperty(j => j.Message, message)
                .SetProperty(j => j.MessageArgsJson, argsJson), ct);
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, ImportStatus.Failed)
            .SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.Message, message)
            .SetProperty(j => j.MessageArgsJson, argsJson), ct);
        var changes = Summary(job, state).Append(new AuditChange("Failed", null, "true")).ToList();
        await audit.RecordAsync(AuditActions.Import, AuditEntityTypes.Import, job.Id.ToString(CultureInfo.InvariantCulture),
            changes, ct, new AuditActor(job.CreatedByUserId, job.CreatedBy));
        await tx.CommitAsync(ct);
    }

    private static List<AuditChange> Summary(ImportJob job, RunState state) =>
    [
        new("EntityType", null, job.EntityType.ToString()),
        new("FileName", null, job.FileName),
        new("Created", null, state.Created.ToString(CultureInfo.InvariantCulture)),
        new("Updated", null, state.Updated.ToString(CultureInfo.InvariantCulture)),
        new("Skipped", null, state.Skipped.ToString(CultureInfo.InvariantCulture)),
        new("FailedRows", null, state.Failed.ToString(CultureInfo.InvariantCulture)),
    ];

    // ---------------------------------------------------------------- customers

    private sealed record CustomerInput(Row Row, string? Key, string? Name, string? Email, string? EmailKey, string? Phone,
        Gender? Gender, DateOnly? BirthDate, string? Address, string? City, string? Region, string? Country, string? PostalCode,
        string? Source, string? ExternalId, IReadOnlyList<string> Tags);

    private static CustomerInput? ParseCustomer(Batch b, Row row)
    {
        var ok = true;
        var name = b.Text(row, ImportFields.Name, Customer.NameMaxLength, ref ok);
        var emailText = b.Text(row, ImportFields.Email, Customer.EmailMaxLength, ref ok);
        string? emailKey = null;
        if (emailText is not null && (emailKey = ContactNormalizer.NormalizeEmail(emailText)) is null)
        {
            ok = b.Error(row, ImportFields.Email, emailText, "Not a valid email address");
        }

        var phoneText = b.Text(row, ImportFields.Phone, 40, ref ok);
        string? phone = null;
        if (phoneText is not null && (phone = ContactNormalizer.NormalizePhone(phoneText)) is null)
        {
            ok = b.Error(row, ImportFields.Phone, phoneText, "Not a valid phone number");
        }

        var externalText = b.Text(row, ImportFields.ExternalId, Customer.ExternalIdMaxLength, ref ok);
        var externalId = externalText is null ? null : ImportValues.NormaliseExternalId(externalText);

        Gender? gender = null;
        if (row.Get(b.Layout, ImportFields.Gender) is { } genderText)
        {
            if (ImportValues.TryGender(genderText, out var g))
            {
                gender = g;
            }
            else
            {
                ok = b.Error(row, ImportFields.Gender, genderText, "Not a recognised gender");
            }
        }

        DateOnly? birthDate = null;
        if (row.Get(b.Layout, ImportFields.BirthDate) is { } birthText)
        {
            if (b.Values.TryDate(birthText, out var d) && d.Year >= 1900 && d <= DateOnly.FromDateTime(b.State.Now))
            {
                birthDate = d;
            }
            else
            {
                ok = b.Error(row, ImportFields.BirthDate, birthText, "Not a date in the chosen date format");
            }
        }

        var tags = new List<string>();
        if (row.Get(b.Layout, ImportFields.Tags) is { } tagText)
        {
            tags = tagText.Split([',', ';', '|', '，', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            if (tags.Any(t => t.Length > CustomerTag.TagMaxLength))
            {
                ok = b.Error(row, ImportFields.Tags, tagText, "A tag is too long");
            }
        }

        var address = b.Text(row, ImportFields.Address, Customer.AddressMaxLength, ref ok);
        var city = b.Text(row, ImportFields.City, Customer.CityMaxLength, ref ok);
        var region = b.Text(row, ImportFields.Region, Customer.RegionMaxLength, ref ok);
        var country = b.Text(row, ImportFields.Country, Customer.CountryMaxLength, ref ok);
        var postal = b.Text(row, ImportFields.PostalCode, Customer.PostalCodeMaxLength, ref ok);
        var source = b.Text(row, ImportFields.Source, Customer.SourceMaxLength, ref ok);
        if (!ok)
        {
            return null;
        }

        var key = b.State.Job.MatchKey switch
        {
            ImportMatchKey.Phone => phone,
            ImportMatchKey.ExternalId => externalId,
            _ => emailKey,
        };
        return new CustomerInput(row, key, name, emailText, emailKey, phone, gender, birthDate, address, city, region, country, postal,
            source, externalId, tags);
    }

    private async Task ProcessCustomersAsync(Batch b, List<Row> rows, CancellationToken ct)
    {
        var timings = b.State.Timings;
        var started = ImportTimings.Start();
        var inputs = new List<CustomerInput>(rows.Count);
        foreach (var row in rows)
        {
            if (ParseCustomer(b, row) is { } input)
            {
                inputs.Add(input);
            }
            else
            {
                b.State.Failed++;
            }
        }

        timings.Stop(ImportTimings.Validate, started);
        started = ImportTimings.Start();
        await LoadSuppressionsAsync(b, inputs.Select(i => i.EmailKey).OfType<string>(), inputs.Select(i => i.Phone).OfType<string>(), ct);
        var emailKeys = inputs.Select(i => i.EmailKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var phones = inputs.Select(i => i.Phone).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var externalIds = b.State.Job.MatchKey == ImportMatchKey.ExternalId
            ? inputs.Select(i => i.Key).OfType<string>().Distinct(StringComparer.Ordinal).ToList()
            : [];
        // One query finds every existing customer the batch refers to, by match key or by a shared email or phone.
        var candidates = FindCustomers(b, emailKeys, phones, externalIds);
        var byKey = await LoadMatchesAsync(b.State.Job.MatchKey, candidates, ct);
        timings.Stop(ImportTimings.Lookup, started);
        started = ImportTimings.Start();
        var contacts = new ContactOwners();
        var emailSet = emailKeys.ToHashSet(StringComparer.Ordinal);
        var phoneSet = phones.ToHashSet(StringComparer.Ordinal);
        foreach (var c in candidates)
        {
            contacts.Add(c.Id, c.EmailKey is not null && emailSet.Contains(c.EmailKey) ? c.EmailKey : null,
                c.Phone is not null && phoneSet.Contains(c.Phone) ? c.Phone : null);
        }

        timings.Stop(ImportTimings.Duplicates, started);

        var now = b.State.Now;
        var actor = b.State.Job.CreatedBy;
        foreach (var input in inputs)
        {
            var row = input.Row;
            var target = input.Key is null ? null : byKey.GetValueOrDefault(input.Key);
            if (target is not null && b.State.Job.Mode == ImportMode.CreateOnly)
            {
                b.Skip(row, "A customer with this key already exists");
                continue;
            }

            if (target is null && b.State.Job.Mode == ImportMode.UpdateOnly)
            {
                b.Skip(row, input.Key is null ? "The match key is empty" : "No customer with this key");
                continue;
            }

            if (target is null && input.Name is null)
            {
                b.Fail(row, ImportFields.Name, null, "A name is required for a new customer");
                continue;
            }

            WarnAboutDuplicates(b, contacts, input, target?.Id);
            if (target is null)
            {
                var customer = new Customer
                {
                    Name = input.Name!,
                    NameKey = Customer.KeyOf(input.Name!),
                    CreatedAt = now,
                    CreatedBy = actor,
                    Version = 1,
                };
                Assign(customer, input);
                var consent = ApplyConsent(b, customer, input.Row);
                customer.UpdatedAt = now;
                customer.UpdatedBy = actor;
                customer.Id = (int)b.InsertCustomer(customer);
                b.Journal(ImportJournalKind.CustomerCreated, customer.Id, null);
                b.InsertTags(customer.Id, input.Tags);
                b.InsertConsent(customer.Id, consent);
                customer.Tags.AddRange(input.Tags.Select(t => new CustomerTag { CustomerId = customer.Id, Tag = t }));
                b.State.CreatedCustomers.Add(customer.Id);
                if (input.Key is not null)
                {
                    byKey[input.Key] = customer;
                }

                contacts.Add(customer.Id, customer.EmailKey, customer.Phone);
                b.State.Created++;
                continue;
            }

            var before = CustomerSnapshot.Of(target);
            Assign(target, input);
            var newTags = input.Tags.Where(t => target.Tags.All(x => x.Tag != t)).ToList();
            var consentChanges = ApplyConsent(b, target, input.Row);
            if (CustomerSnapshot.Of(target) == before && newTags.Count == 0)
            {
                b.Skip(row, "No changes");
                continue;
            }

            target.UpdatedAt = now;
            target.UpdatedBy = actor;
            target.Version++;
            b.UpdateCustomer(target);
            if (!b.State.CreatedCustomers.Contains(target.Id))
            {
                b.Journal(ImportJournalKind.CustomerUpdated, target.Id, JsonSerializer.Serialize(before with { Tags = before.Tags }));
            }

            b.InsertTags(target.Id, newTags);
            target.Tags.AddRange(newTags.Select(t => new CustomerTag { CustomerId = target.Id, Tag = t }));
            b.InsertConsent(target.Id, consentChanges);
            contacts.Add(target.Id, target.EmailKey, target.Phone);
            b.State.Updated++;
        }
    }

    private static void Assign(Customer c, CustomerInput input)
    {
        if (input.Name is not null)
        {
            c.Name = input.Name;
            c.NameKey = Customer.KeyOf(input.Name);
        }

        if (input.EmailKey is not null)
        {
            c.Email = input.Email;
            c.EmailKey = input.EmailKey;
        }

        c.Phone = input.Phone ?? c.Phone;
        c.Gender = input.Gender ?? c.Gender;
        c.BirthDate = input.BirthDate ?? c.BirthDate;
        c.Address = input.Address ?? c.Address;
        c.City = input.City ?? c.City;
        c.Region = input.Region ?? c.Region;
        c.Country = input.Country ?? c.Country;
        c.PostalCode = input.PostalCode ?? c.PostalCode;
        c.Source = input.Source ?? c.Source;
        c.ExternalId = input.ExternalId ?? c.ExternalId;
    }

    /// <summary>Sets the consent the job asks for. An import never turns an opt-out back into an opt-in: that needs
    /// the customer's own new consent, recorded by staff.</summary>
    private static List<ConsentChange> ApplyConsent(Batch b, Customer c, Row row)
    {
        var job = b.State.Job;
        var changes = new List<ConsentChange>(0);
        if (job.EmailConsent != ImportConsent.Keep && c.EmailKey is not null)
        {
            var state = job.EmailConsent == ImportConsent.OptedIn ? ConsentState.OptedIn : ConsentState.OptedOut;
            if (state == ConsentState.OptedIn && c.EmailConsent == ConsentState.OptedOut)
            {
                b.Warn(row, ImportFields.Email, null, "The customer opted out of email earlier; the import does not opt them back in");
            }
            else if (state == ConsentState.OptedIn && b.Suppressed.Contains("email:" + SuppressionService.Hash(MessageChannel.Email, c.EmailKey)))
            {
                b.Warn(row, ImportFields.Email, null, "The address is on the suppression list; the import does not opt it in");
            }
            else if (c.EmailConsent != state || c.EmailConsentAt is null)
            {
                c.EmailConsent = state;
                c.EmailConsentAt = b.State.Now;
                c.EmailConsentSource = ConsentSources.Import;
                changes.Add(Consent(job, ConsentChannel.Email, state, b.State.Now));
            }
        }

        if (job.SmsConsent != ImportConsent.Keep && c.Phone is not null)
        {
            var state = job.SmsConsent == ImportConsent.OptedIn ? ConsentState.OptedIn : ConsentState.OptedOut;
            if (state == ConsentState.OptedIn && c.SmsConsent == ConsentState.OptedOut)
            {
                b.Warn(row, ImportFields.Phone, null, "The customer opted out of SMS earlier; the import does not opt them back in");
            }
            else if (state == ConsentState.OptedIn && b.Suppressed.Contains("sms:" + SuppressionService.Hash(MessageChannel.Sms, c.Phone)))
            {
                b.Warn(row, ImportFields.Phone, null, "The address is on the suppression list; the import does not opt it in");
            }
            else if (c.SmsConsent != state || c.SmsConsentAt is null)
            {
                c.SmsConsent = state;
                c.SmsConsentAt = b.State.Now;
                c.SmsConsentSource = ConsentSources.Import;
                changes.Add(Consent(job, ConsentChannel.Sms, state, b.State.Now));
            }
        }

        return changes;
    }

    private static ConsentChange Consent(ImportJob job, ConsentChannel channel, ConsentState state, DateTime now) => new()
    {
        Channel = channel,
        State = state,
        ChangedAt = now,
        Source = ConsentSources.Import,
        ChangedBy = job.CreatedBy,
        Evidence = job.ConsentEvidence ?? $"import #{job.Id.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>Which of the batch's addresses are suppressed (bounced, unsubscribed, erased): consent given by an
    /// import never resubscribes them. Only looked up when the job opts customers in.</summary>
    private async Task LoadSuppressionsAsync(Batch b, IEnumerable<string> emails, IEnumerable<string> phones, CancellationToken ct)
    {
        var hashes = new List<string>();
        if (b.State.Job.EmailConsent == ImportConsent.OptedIn)
        {
            hashes.AddRange(emails.Select(e => SuppressionService.Hash(MessageChannel.Email, e)));
        }

        var smsHashes = b.State.Job.SmsConsent == ImportConsent.OptedIn
            ? phones.Select(p => SuppressionService.Hash(MessageChannel.Sms, p)).ToList()
            : [];
        if (hashes.Count == 0 && smsHashes.Count == 0)
        {
            return;
        }

        hashes.AddRange(smsHashes);
        var distinct = hashes.Distinct(StringComparer.Ordinal).ToList();
        foreach (var s in await db.Suppressions.AsNoTracking().Where(s => distinct.Contains(s.AddressHash))
            .Select(s => new { s.Channel, s.AddressHash }).ToListAsync(ct))
        {
            b.Suppressed.Add((s.Channel == MessageChannel.Email ? "email:" : "sms:") + s.AddressHash);
        }
    }

    private static void WarnAboutDuplicates(Batch b, ContactOwners contacts, CustomerInput input, int? targetId)
    {
        if (input.EmailKey is not null && contacts.Emails.TryGetValue(input.EmailKey, out var emailOwner) && emailOwner != targetId)
        {
            b.Warn(input.Row, ImportFields.Email, input.Email, "Another customer has the same email address");
        }

        if (input.Phone is not null && contacts.Phones.TryGetValue(input.Phone, out var phoneOwner) && phoneOwner != targetId)
        {
            b.Warn(input.Row, ImportFields.Phone, input.Phone, "Another customer has the same phone number");
        }
    }

    private sealed class ContactOwners
    {
        public Dictionary<string, int> Emails { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> Phones { get; } = new(StringComparer.Ordinal);

        public void Add(int id, string? emailKey, string? phone)
        {
            if (emailKey is not null)
            {
                Emails.TryAdd(emailKey, id);
            }

            if (phone is not null)
            {
                Phones.TryAdd(phone, id);
            }
        }
    }

    /// <summary>An existing customer's keys, as <see cref="FindCustomers"/> returns them.</summary>
    private sealed record CustomerKeys(int Id, string? EmailKey, string? Phone, string? ExternalId)
    {
        public string? Of(ImportMatchKey matchKey) => matchKey switch
        {
            ImportMatchKey.Phone => Phone,
            ImportMatchKey.ExternalId => ExternalId,
            _ => EmailKey,
        };
    }

    /// <summary>Every customer whose normalised email, phone or external id is one of the given values, oldest first,
    /// in one statement. The values travel as JSON arrays, so the statement is the same for every batch and each value
    /// is one probe of the column's index.</summary>
    private static List<CustomerKeys> FindCustomers(Batch b, IReadOnlyCollection<string> emailKeys, IReadOnlyCollection<string> phones,
        IReadOnlyCollection<string> externalIds)
    {
        var result = new List<CustomerKeys>();
        if (emailKeys.Count == 0 && phones.Count == 0 && externalIds.Count == 0)
        {
            return result;
        }

        using var command = b.Connection.CreateCommand();
        command.Transaction = b.Transaction;
        command.CommandText = """
            SELECT "Id", "EmailKey", "Phone", "ExternalId" FROM "Customers" WHERE "EmailKey" IN (SELECT "value" FROM json_each($emails))
            UNION
            SELECT "Id", "EmailKey", "Phone", "ExternalId" FROM "Customers" WHERE "Phone" IN (SELECT "value" FROM json_each($phones))
            UNION
            SELECT "Id", "EmailKey", "Phone", "ExternalId" FROM "Customers" WHERE "ExternalId" IN (SELECT "value" FROM json_each($externalIds))
            ORDER BY "Id";
            """;
        command.Parameters.AddWithValue("$emails", JsonSerializer.Serialize(emailKeys));
        command.Parameters.AddWithValue("$phones", JsonSerializer.Serialize(phones));
        command.Parameters.AddWithValue("$externalIds", JsonSerializer.Serialize(externalIds));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new CustomerKeys(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return result;
    }

    /// <summary>The id of the existing customer for each match key; with several per key the oldest wins.</summary>
    private static Dictionary<string, int> ByMatchKey(ImportMatchKey matchKey, List<CustomerKeys> candidates)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in candidates)
        {
            if (c.Of(matchKey) is { } key)
            {
                result.TryAdd(key, c.Id);
            }
        }

        return result;
    }

    /// <summary>The customers (with tags) that rows will update, by match key. Only matched customers are loaded,
    /// so a batch of new customers costs no entity query at all.</summary>
    private async Task<Dictionary<string, Customer>> LoadMatchesAsync(ImportMatchKey matchKey, List<CustomerKeys> candidates, CancellationToken ct)
    {
        var ids = ByMatchKey(matchKey, candidates);
        var result = new Dictionary<string, Customer>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        var wanted = ids.Values.Distinct().ToList();
        var loaded = new Dictionary<int, Customer>();
        foreach (var chunk in wanted.Chunk(500))
        {
            foreach (var c in await db.Customers.AsNoTracking().Include(c => c.Tags).Where(c => chunk.Contains(c.Id)).ToListAsync(ct))
            {
                loaded[c.Id] = c;
            }
        }

        foreach (var (key, id) in ids)
        {
            result[key] = loaded[id];
        }

        return result;
    }

    /// <summary>The customer a purchase, event or feedback row belongs to, by the job's match key; created from the
    /// row when the job allows it. Null when the row is skipped.</summary>
    private async Task<Dictionary<string, int>> ResolveCustomersAsync(Batch b, List<(Row Row, string? Key)> refs, CancellationToken ct)
    {
        var keys = refs.Select(r => r.Key).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var matchKey = b.State.Job.MatchKey;
        var known = ByMatchKey(matchKey, FindCustomers(b, matchKey == ImportMatchKey.Email ? keys : [], matchKey == ImportMatchKey.Phone ? keys : [],
            matchKey == ImportMatchKey.ExternalId ? keys : []));
        if (!b.State.Job.CreateMissingCustomers)
        {
            return known;
        }

        var missing = keys.Where(k => !known.ContainsKey(k)).ToList();
        await LoadSuppressionsAsync(b, b.State.Job.MatchKey == ImportMatchKey.Email ? missing : [],
            b.State.Job.MatchKey == ImportMatchKey.Phone ? missing : [], ct);

        foreach (var (row, key) in refs)
        {
            if (key is null || known.ContainsKey(key))
            {
                continue;
            }

            var name = row.Get(b.Layout, ImportFields.Name) ?? key;
            name = name.Length > Customer.NameMaxLength ? name[..Customer.NameMaxLength] : name;
            var customer = new Customer
            {
                Name = name,
                NameKey = Customer.KeyOf(name),
                Country = Limit(row.Get(b.Layout, ImportFields.Country), Customer.CountryMaxLength),
                CreatedAt = b.State.Now,
                CreatedBy = b.State.Job.CreatedBy,
                UpdatedAt = b.State.Now,
                UpdatedBy = b.State.Job.CreatedBy,
                Version = 1,
                Source = "import",
            };
            switch (b.State.Job.MatchKey)
            {
                case ImportMatchKey.Email:
                    customer.Email = key;
                    customer.EmailKey = key;
                    break;
                case ImportMatchKey.Phone:
                    customer.Phone = key;
                    break;
                default:
                    customer.ExternalId = key;
                    break;
            }

            var consent = ApplyConsent(b, customer, row);
            customer.Id = (int)b.InsertCustomer(customer);
            b.Journal(ImportJournalKind.CustomerCreated, customer.Id, null);
            b.InsertConsent(customer.Id, consent);
            b.State.CreatedCustomers.Add(customer.Id);
            known[key] = customer.Id;
        }

        return known;
    }

    private static string? CustomerKey(Batch b, Row row)
    {
        switch (b.State.Job.MatchKey)
        {
            case ImportMatchKey.Email:
                return row.Get(b.Layout, ImportFields.Email) is { } email ? ContactNormalizer.NormalizeEmail(email) : null;
            case ImportMatchKey.Phone:
                return row.Get(b.Layout, ImportFields.Phone) is { } phone ? ContactNormalizer.NormalizePhone(phone) : null;
            default:
                return row.Get(b.Layout, ImportFields.ExternalId) is { } id ? Limit(ImportValues.NormaliseExternalId(id), Customer.ExternalIdMaxLength) : null;
        }
    }

    private static string? Limit(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    // ---------------------------------------------------------------- purchases

    private sealed record LineInput(Row Row, string? CustomerKey, string OrderNumber, string Sku, string? ProductName, int Quantity,
        decimal UnitPrice, DateTime PurchasedAtUtc, PurchaseChannel Channel);

    private async Task ProcessPurchasesAsync(Batch b, List<Row> rows, CancellationToken ct)
    {
        var lines = new List<LineInput>(rows.Count);
        foreach (var row in rows)
        {
            var ok = true;
            var key = CustomerKey(b, row);
            if (key is null)
            {
                b.Skip(row, "No customer on the row");
                continue;
            }

            var sku = b.Required(row, ImportFields.Sku, Product.SkuMaxLength, ref ok);
            var name = b.Text(row, ImportFields.ProductName, Product.NameMaxLength, ref ok);
            var order = b.Text(row, ImportFields.OrderNumber, Purchase.OrderNumberMaxLength, ref ok)
                ?? $"IMP-{b.State.Job.Id.ToString(CultureInfo.InvariantCulture)}-{row.Line.ToString(CultureInfo.InvariantCulture)}";
            var quantity = 0;
            if (row.Get(b.Layout, ImportFields.Quantity) is not { } qtyText)
            {
                ok = b.Error(row, ImportFields.Quantity, null, "Required");
            }
            else if (!b.Values.TryInt(qtyText, out quantity) || quantity == 0)
            {
                ok = b.Error(row, ImportFields.Quantity, qtyText, "Not a whole number other than zero");
            }

            var price = 0m;
            if (row.Get(b.Layout, ImportFields.UnitPrice) is not { } priceText)
            {
                ok = b.Error(row, ImportFields.UnitPrice, null, "Required");
            }
            else if (!b.Values.TryDecimal(priceText, out price) || price < 0 || price > 1_000_000_000m)
            {
                ok = b.Error(row, ImportFields.UnitPrice, priceText, "Not a valid price");
            }

            var at = DateTime.MinValue;
            if (row.Get(b.Layout, ImportFields.PurchasedAt) is not { } dateText)
            {
                ok = b.Error(row, ImportFields.PurchasedAt, null, "Required");
            }
            else if (!b.Values.TryDateTime(dateText, out at))
            {
                ok = b.Error(row, ImportFields.PurchasedAt, dateText, "Not a date in the chosen date format");
            }

            var channel = PurchaseChannel.Online;
            if (row.Get(b.Layout, ImportFields.Channel) is { } channelText && !ImportValues.TryPurchaseChannel(channelText, out channel))
            {
                ok = b.Error(row, ImportFields.Channel, channelText, "Not a known channel");
            }

            if (!ok)
            {
                b.State.Failed++;
                continue;
            }

            var utc = at.Kind == DateTimeKind.Utc ? at : formatter.ToUtc(at);
            lines.Add(new LineInput(row, key, order, sku!, name, quantity, price, utc, channel));
        }

        var customers = await ResolveCustomersAsync(b, lines.Select(l => (l.Row, l.CustomerKey)).ToList(), ct);
        var skus = lines.Select(l => l.Sku).Distinct(StringComparer.Ordinal).ToList();
        var products = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => p.Id, StringComparer.Ordinal, ct);
        var orderNumbers = lines.Select(l => l.OrderNumber).Where(o => !b.State.Orders.ContainsKey(o)).Distinct(StringComparer.Ordinal).ToList();
        var existingOrders = orderNumbers.Count == 0 ? [] : (await db.Purchases.AsNoTracking().Where(p => orderNumbers.Contains(p.OrderNumber))
            .Select(p => p.OrderNumber).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        var touchedPurchases = new HashSet<long>();
        var touchedCustomers = new HashSet<int>();
        foreach (var line in lines)
        {
            if (!customers.TryGetValue(line.CustomerKey!, out var customerId))
            {
                b.Skip(line.Row, "No customer with this key");
                continue;
            }

            if (existingOrders.Contains(line.OrderNumber))
            {
                b.Skip(line.Row, "The order already exists");
                continue;
            }

            if (!products.TryGetValue(line.Sku, out var productId))
            {
                if (!b.State.Job.CreateMissingProducts)
                {
                    b.Skip(line.Row, "Unknown product code");
                    continue;
                }

                productId = (int)b.InsertProduct(line.Sku, line.ProductName ?? line.Sku, line.UnitPrice);
                b.Journal(ImportJournalKind.ProductCreated, productId, null);
                products[line.Sku] = productId;
            }

            if (!b.State.Orders.TryGetValue(line.OrderNumber, out var purchase))
            {
                var id = b.InsertPurchase(line.OrderNumber, customerId, line.PurchasedAtUtc, line.Channel);
                b.Journal(ImportJournalKind.PurchaseCreated, id, null);
                purchase = (id, customerId);
                b.State.Orders[line.OrderNumber] = purchase;
            }

            b.InsertLine(purchase.Id, productId, line.Quantity, line.UnitPrice, decimal.Round(line.UnitPrice * line.Quantity, 4));
            touchedPurchases.Add(purchase.Id);
            touchedCustomers.Add(purchase.CustomerId);
            b.State.Created++;
        }

        if (touchedPurchases.Count > 0)
        {
            var ids = touchedPurchases.ToList();
            await db.Purchases.Where(p => ids.Contains(p.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Total, p => db.PurchaseLines.Where(l => l.PurchaseId == p.Id).Sum(l => l.Amount)), ct);
            await PurchaseService.RecomputeAggregatesAsync(db, touchedCustomers, ct);
        }
    }

    // ---------------------------------------------------------------- events and feedback

    private async Task ProcessEventsAsync(Batch b, List<Row> rows, CancellationToken ct)
    {
        var inputs = new List<(Row Row, string Key, string Type, DateTime At, string? Source, string? Json)>();
        foreach (var row in rows)
        {
            var ok = true;
            var key = CustomerKey(b, row);
            if (key is null)
            {
                b.Skip(row, "No customer on the row");
                continue;
            }

            var type = b.Required(row, ImportFields.EventType, CustomerEvent.TypeMaxLength, ref ok);
            var source = b.Text(row, ImportFields.Source, CustomerEvent.SourceMaxLength, ref ok);
            var json = b.Text(row, ImportFields.Properties, CustomerEvent.PropertiesMaxLength, ref ok);
            if (json is not null && !IsJsonObject(json))
            {
                ok = b.Error(row, ImportFields.Properties, json, "Not a JSON object");
            }

            var at = DateTime.MinValue;
            if (row.Get(b.Layout, ImportFields.OccurredAt) is not { } dateText)
            {
                ok = b.Error(row, ImportFields.OccurredAt, null, "Required");
            }
            else if (!b.Values.TryDateTime(dateText, out at))
            {
                ok = b.Error(row, ImportFields.OccurredAt, dateText, "Not a date in the chosen date format");
            }

            if (!ok)
            {
                b.State.Failed++;
                continue;
            }

            inputs.Add((row, key, type!.ToLowerInvariant(), at.Kind == DateTimeKind.Utc ? at : formatter.ToUtc(at), source, json));
        }

        var customers = await ResolveCustomersAsync(b, inputs.Select(i => (i.Row, (string?)i.Key)).ToList(), ct);
        foreach (var input in inputs)
        {
            if (!customers.TryGetValue(input.Key, out var customerId))
            {
                b.Skip(input.Row, "No customer with this key");
                continue;
            }

            var id = b.InsertEvent(customerId, input.Type, input.At, input.Source, input.Json);
            b.Journal(ImportJournalKind.EventCreated, id, null);
            b.State.Created++;
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task ProcessFeedbackAsync(Batch b, List<Row> rows, CancellationToken ct)
    {
        var inputs = new List<(Row Row, string Key, int Score, string Content, FeedbackChannel Channel, FeedbackCategory Category, DateTime At, string? Tags)>();
        foreach (var row in rows)
        {
            var ok = true;
            var key = CustomerKey(b, row);
            if (key is null)
            {
                b.Skip(row, "No customer on the row");
                continue;
            }

            var content = b.Required(row, ImportFields.Content, Domain.Feedback.ContentMaxLength, ref ok);
            var score = 0;
            if (row.Get(b.Layout, ImportFields.Score) is not { } scoreText)
            {
                ok = b.Error(row, ImportFields.Score, null, "Required");
            }
            else if (!b.Values.TryInt(scoreText, out score) || score is < Domain.Feedback.MinScore or > Domain.Feedback.MaxScore)
            {
                ok = b.Error(row, ImportFields.Score, scoreText, "Not a score from 1 to 5");
            }

            var channel = FeedbackChannel.Phone;
            if (row.Get(b.Layout, ImportFields.Channel) is { } channelText && !ImportValues.TryFeedbackChannel(channelText, out channel))
            {
                ok = b.Error(row, ImportFields.Channel, channelText, "Not a known channel");
            }

            var category = FeedbackCategory.Other;
            if (row.Get(b.Layout, ImportFields.Category) is { } categoryText && !ImportValues.TryFeedbackCategory(categoryText, out category))
            {
                ok = b.Error(row, ImportFields.Category, categoryText, "Not a known category");
            }

            var at = b.State.Now;
            if (row.Get(b.Layout, ImportFields.CreatedAt) is { } dateText)
            {
                if (b.Values.TryDateTime(dateText, out var local))
                {
                    at = local.Kind == DateTimeKind.Utc ? local : formatter.ToUtc(local);
                }
                else
                {
                    ok = b.Error(row, ImportFields.CreatedAt, dateText, "Not a date in the chosen date format");
                }
            }

            string? tags = null;
            if (row.Get(b.Layout, ImportFields.Tags) is { } tagText)
            {
                tags = string.Join(',', tagText.Split([',', ';', '|', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal));
                if (tags.Length > Domain.Feedback.TagsMaxLength)
                {
                    ok = b.Error(row, ImportFields.Tags, tagText, "Too long");
                }
            }

            if (!ok)
            {
                b.State.Failed++;
                continue;
            }

            inputs.Add((row, key, score, content!, channel, category, at, string.IsNullOrEmpty(tags) ? null : tags));
        }

        var customers = await ResolveCustomersAsync(b, inputs.Select(i => (i.Row, (string?)i.Key)).ToList(), ct);
        foreach (var input in inputs)
        {
            if (!customers.TryGetValue(input.Key, out var customerId))
            {
                b.Skip(input.Row, "No customer with this key");
                continue;
            }

            var id = b.InsertFeedback(customerId, input.Score, input.Content, input.Channel, input.Category, input.At, input.Tags);
            b.Journal(ImportJournalKind.FeedbackCreated, id, null);
            b.State.Created++;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId}: {Phase} started at row {ProcessedRows}")]
    private static partial void LogStarted(ILogger logger, int jobId, ImportPhase phase, int processedRows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId}: dry run checked {Rows} rows, {Errors} errors")]
    private static partial void LogDryRunDone(ILogger logger, int jobId, int rows, int errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId}: {Created} created, {Updated} updated, {Skipped} skipped, {Failed} failed")]
    private static partial void LogRunDone(ILogger logger, int jobId, int created, int updated, int skipped, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId} timings: {Timings}")]
    private static partial void LogTimings(ILogger logger, int jobId, string timings);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId}: the batch of rows {FirstRow}-{LastRow} failed and was rolled back")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int jobId, int firstRow, int lastRow);

    private sealed class BatchFailedException(int firstRow, int lastRow, Exception inner) : Exception("Batch failed", inner)
    {
        public int FirstRow { get; } = firstRow;
        public int LastRow { get; } = lastRow;
    }
}
