using System.Globalization;
using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Import;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.ViewModels.Privacy;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Privacy;

public enum EraseOutcome
{
    Erased,
    NotFound,
    AlreadyErased,
    ConfirmationMismatch,
}

/// <summary>The right to erasure: a customer's personal data is pseudonymised irreversibly while the anonymous
/// facts (purchase amounts and dates, scores) stay, so statistics remain true. See docs/privacy.md.</summary>
public sealed partial class ErasureService(
    CrmDbContext db,
    TimeProvider time,
    AuditService audit,
    SuppressionService suppressions,
    ImportFileStore importFiles,
    ILogger<ErasureService> logger)
{
    public async Task<EraseViewModel?> GetAsync(int id, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == id && c.ErasedAt == null)
            .Select(c => new { c.Id, c.Name }).SingleOrDefaultAsync(ct);
        if (customer is null)
        {
            return null;
        }

        var counts = new List<EraseCount>();
        foreach (var table in CustomerOwnedData.Moved)
        {
            counts.Add(new EraseCount(table.Name, await table.CountAsync(db, id, ct)));
        }

        return new EraseViewModel { Id = customer.Id, Name = customer.Name, Counts = counts };
    }

    /// <summary>The name as shown, or the id, typed by the user to confirm.</summary>
    public static bool Confirms(string? typed, int id, string name)
    {
        var value = typed?.Trim();
        return !string.IsNullOrEmpty(value)
            && (string.Equals(value, name.Trim(), StringComparison.Ordinal) || value == id.ToString(CultureInfo.InvariantCulture));
    }

    public async Task<EraseOutcome> EraseAsync(int id, string? confirmation, Actor actor, CancellationToken ct)
    {
        var name = await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Name, c.ErasedAt }).SingleOrDefaultAsync(ct);
        if (name is null)
        {
            return EraseOutcome.NotFound;
        }

        if (name.ErasedAt is not null)
        {
            return EraseOutcome.AlreadyErased;
        }

        if (!Confirms(confirmation, id, name.Name))
        {
            return EraseOutcome.ConfirmationMismatch;
        }

        return await EraseConfirmedAsync(id, actor, ct) ? EraseOutcome.Erased : EraseOutcome.NotFound;
    }

    /// <summary>Erases without a typed confirmation: the retention rule, and callers that confirmed otherwise.</summary>
    public async Task<bool> EraseConfirmedAsync(int id, Actor actor, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            // Overwrite freed pages too, so the old values do not linger in the file (per connection).
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON", ct);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var customer = await db.Customers.Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == id && c.ErasedAt == null, ct);
        if (customer is null)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;

        // Journals of merges into or out of this customer hold its old values; they go, and with them the undo.
        var journals = await db.MergeJournals.Where(j => (j.SurvivorId == id || j.LoserId == id)).ToListAsync(ct);
        var personalValues = PersonalValues(customer, journals);
        var addresses = new List<(MessageChannel Channel, string Address)>();
        AddAddresses(addresses, customer.Email, customer.Phone);
        foreach (var journal in journals.Where(j => j.SurvivorId == id && j.UndoneAt is null && !string.IsNullOrEmpty(j.LoserBefore)))
        {
            var loser = CustomerImage.FromJson(journal.LoserBefore).Columns;
            AddAddresses(addresses, Text(loser, nameof(Customer.Email)), Text(loser, nameof(Customer.Phone)));
        }

        // The merged-away records were the same person: their history in the audit log is shredded with this one's.
        var shredded = journals.Where(j => j.SurvivorId == id && j.UndoneAt is null).Select(j => j.LoserId).Append(id).Distinct().ToList();
        foreach (var journal in journals)
        {
            journal.SurvivorBefore = string.Empty;
            journal.LoserBefore = string.Empty;
            journal.MovedRows = string.Empty;
            journal.PurgedAt ??= now;
        }

        foreach (var (channel, address) in addresses.Distinct())
        {
            await suppressions.AddAsync(channel, address, SuppressionReason.Erased, ct);
        }

        var rows = 0;
        foreach (var columns in CustomerOwnedData.ErasedText)
        {
            rows += await columns.EraseAsync(db, id, ct);
        }

        await db.OutboxMessages.Where(m => m.CustomerId == id && m.State == OutboxState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Cancelled), ct);
        rows += await EraseMessageTrackingAsync(id, ct);
        var importFiles = await ImportFilesOfAsync(id, shredded, ct);
        rows += await EraseImportTracesAsync(shredded, personalValues, ct);

        customer.Name = PseudonymFor(id);
        customer.NameKey = Customer.KeyOf(customer.Name);
        customer.Email = null;
        customer.EmailKey = null;
        customer.Phone = null;
        customer.Address = null;
        customer.PostalCode = null;
        customer.BirthDate = null;
        customer.ExternalId = null;
        customer.Tags.Clear();
        customer.EmailConsent = ConsentState.OptedOut;
        customer.EmailConsentAt = now;
        customer.EmailConsentSource = ConsentSources.Erasure;
        customer.SmsConsent = ConsentState.OptedOut;
        customer.SmsConsentAt = now;
        customer.SmsConsentSource = ConsentSources.Erasure;
        db.ConsentChanges.AddRange(
            new ConsentChange { CustomerId = id, Channel = ConsentChannel.Email, State = ConsentState.OptedOut, ChangedAt = now, Source = ConsentSources.Erasure, ChangedBy = actor.Name },
            new ConsentChange { CustomerId = id, Channel = ConsentChannel.Sms, State = ConsentState.OptedOut, ChangedAt = now, Source = ConsentSources.Erasure, ChangedBy = actor.Name });
        customer.ErasedAt = now;
        if (!customer.IsArchived)
        {
            customer.IsArchived = true;
            customer.ArchivedAt = now;
        }

        customer.UpdatedAt = now;
        customer.UpdatedBy = actor.Name;
        customer.Version++;
        await db.SaveChangesAsync(ct);

        await audit.ShredPersonalDataAsync(shredded, ct);
        await audit.RecordAsync(AuditActions.Erase, AuditEntityTypes.Customer, id.ToString(CultureInfo.InvariantCulture),
        [
            new AuditChange("Erased", null, "true"),
            new AuditChange("TextRows", null, rows.ToString(CultureInfo.InvariantCulture)),
            new AuditChange("SuppressedAddresses", null, addresses.Distinct().Count().ToString(CultureInfo.InvariantCulture)),
        ], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        var deletedFiles = DeleteImportFiles(importFiles);
        LogErased(logger, id, rows, deletedFiles);
        return true;
    }

    /// <summary>Opens and clicks of the customer's messages stay as counts, without the followed URL (links can carry
    /// personal values) or the user agent; the message's tracked links go, so its click links lead nowhere now.</summary>
    private async Task<int> EraseMessageTrackingAsync(int id, CancellationToken ct)
    {
        var messages = db.OutboxMessages.Where(m => m.CustomerId == id).Select(m => m.Id);
        var rows = await db.MessageEvents.Where(e => messages.Contains(e.OutboxMessageId) && (e.Url != null || e.UserAgent != null))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Url, (string?)null).SetProperty(e => e.UserAgent, (string?)null), ct);
        return rows + await db.MessageLinks.Where(l => messages.Contains(l.OutboxMessageId)).ExecuteDeleteAsync(ct);
    }

    /// <summary>The import journal keeps a customer's values before an import updated them, so that a revert can restore
    /// them; those entries go (a later revert leaves the erased customer as it is). Row findings of dry runs and runs
    /// quote cell values; any that holds one of the customer's values loses it.</summary>
    private async Task<int> EraseImportTracesAsync(IReadOnlyList<int> customerIds, IReadOnlyList<string> values, CancellationToken ct)
    {
        var ids = customerIds.Select(i => (long)i).ToList();
        var rows = await db.ImportJournal.Where(e => e.Kind == ImportJournalKind.CustomerUpdated && ids.Contains(e.EntityId)).ExecuteDeleteAsync(ct);
        foreach (var value in values)
        {
            var lower = value.ToLowerInvariant();
            rows += await db.ImportIssues.Where(i => i.Value != null && i.Value.ToLower().Contains(lower))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Value, (string?)null), ct);
        }

        return rows;
    }

    /// <summary>Stored upload files of finished imports that wrote this customer (or the records merged into it),
    /// or its purchases, events or feedback: the files hold the person's rows as they were uploaded. A finished
    /// import never reads its file again.</summary>
    private async Task<List<string>> ImportFilesOfAsync(int id, IReadOnlyList<int> customerIds, CancellationToken ct)
    {
        var ids = customerIds.Select(i => (long)i).ToList();
        var jobs = db.ImportJournal.Where(e =>
                ((e.Kind == ImportJournalKind.CustomerCreated || e.Kind == ImportJournalKind.CustomerUpdated) && ids.Contains(e.EntityId))
                || (e.Kind == ImportJournalKind.PurchaseCreated && db.Purchases.Any(p => p.Id == e.EntityId && p.CustomerId == id))
                || (e.Kind == ImportJournalKind.EventCreated && db.CustomerEvents.Any(x => x.Id == e.EntityId && x.CustomerId == id))
                || (e.Kind == ImportJournalKind.FeedbackCreated && db.Feedback.Any(f => f.Id == e.EntityId && f.CustomerId == id)))
            .Select(e => e.ImportJobId);
        return await db.ImportJobs
            .Where(j => jobs.Contains(j.Id) && (j.Status == ImportStatus.Completed || j.Status == ImportStatus.Failed || j.Status == ImportStatus.Reverted))
            .Select(j => j.StoredName).ToListAsync(ct);
    }

    /// <summary>Deletes the files once the erasure is committed; returns how many were there.</summary>
    private int DeleteImportFiles(List<string> storedNames)
    {
        var deleted = 0;
        foreach (var name in storedNames.Where(importFiles.Exists))
        {
            try
            {
                importFiles.Delete(name);
                deleted++;
            }
            catch (IOException ex)
            {
                LogFileNotDeleted(logger, ex, name);
            }
        }

        return deleted;
    }

    /// <summary>The identifying values of the customer and of the records merged into it, as staff and files write them.</summary>
    private static List<string> PersonalValues(Customer customer, IEnumerable<MergeJournal> journals)
    {
        var values = new List<string?> { customer.Name, customer.Email, customer.EmailKey, customer.Phone, customer.Address, customer.ExternalId };
        if (customer.Phone is { Length: > 3 } phone && phone.StartsWith('+'))
        {
            // Files usually carry the national number (13612345678), not E.164.
            values.Add(ContactNormalizer.NationalNumber(phone));
        }

        foreach (var journal in journals.Where(j => j.SurvivorId == customer.Id && j.UndoneAt is null && !string.IsNullOrEmpty(j.LoserBefore)))
        {
            var loser = CustomerImage.FromJson(journal.LoserBefore).Columns;
            values.AddRange([Text(loser, nameof(Customer.Name)), Text(loser, nameof(Customer.Email)), Text(loser, nameof(Customer.Phone)),
                Text(loser, nameof(Customer.Address)), Text(loser, nameof(Customer.ExternalId))]);
        }

        // Very short values (a two-letter name) would match unrelated text.
        return values.Where(v => !string.IsNullOrWhiteSpace(v) && v.Trim().Length >= 4).Select(v => v!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Customers with no purchase, event, call, feedback, note or profile change since the cutoff;
    /// erased ones excluded. Oldest activity first.</summary>
    public async Task<IReadOnlyList<int>> InactiveSinceAsync(DateTime cutoff, int limit, CancellationToken ct) =>
        await db.Customers.AsNoTracking()
            .Where(c => c.ErasedAt == null && c.UpdatedAt < cutoff && c.CreatedAt < cutoff
                && (c.LastPurchaseAt == null || c.LastPurchaseAt < cutoff)
                && !db.Purchases.Any(p => p.CustomerId == c.Id && p.PurchasedAt >= cutoff)
                && !db.CustomerEvents.Any(e => e.CustomerId == c.Id && e.OccurredAt >= cutoff)
                && !db.CustomerCalls.Any(k => k.CustomerId == c.Id && k.CalledAt >= cutoff)
                && !db.Feedback.Any(f => f.CustomerId == c.Id && f.CreatedAt >= cutoff)
                && !db.CustomerNotes.Any(n => n.CustomerId == c.Id && n.CreatedAt >= cutoff))
            .OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id)
            .Select(c => c.Id).Take(limit).ToListAsync(ct);

    /// <summary>Applies the retention rule once: erases up to <paramref name="limit"/> customers inactive for more
    /// than <paramref name="years"/> years. Returns how many were erased.</summary>
    public async Task<int> ApplyRetentionAsync(int years, int limit, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddYears(-years);
        var ids = await InactiveSinceAsync(cutoff, limit, ct);
        var actor = new Actor(null, "retention");
        var erased = 0;
        foreach (var id in ids)
        {
            if (await EraseConfirmedAsync(id, actor, ct))
            {
                erased++;
            }
        }

        LogRetention(logger, erased, years);
        return erased;
    }

    /// <summary>Stable and meaningless: the id is not personal data, and nothing of the person is in it.</summary>
    public static string PseudonymFor(int id) => "Erased customer " + id.ToString(CultureInfo.InvariantCulture);

    private static void AddAddresses(List<(MessageChannel, string)> addresses, string? email, string? phone)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            addresses.Add((MessageChannel.Email, SuppressionService.Normalize(MessageChannel.Email, email)));
        }

        if (!string.IsNullOrWhiteSpace(phone))
        {
            addresses.Add((MessageChannel.Sms, SuppressionService.Normalize(MessageChannel.Sms, phone)));
        }
    }

    private static string? Text(Dictionary<string, JsonElement> columns, string name) =>
        columns.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} erased ({Rows} rows of free text overwritten, {Files} import files deleted)")]
    private static partial void LogErased(ILogger logger, int customerId, int rows, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import file {StoredName} of an erased customer could not be deleted")]
    private static partial void LogFileNotDeleted(ILogger logger, Exception exception, string storedName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention rule erased {Count} customers inactive for more than {Years} years")]
    private static partial void LogRetention(ILogger logger, int count, int years);
}
