using System.Globalization;
using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.ViewModels.Duplicates;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Privacy;

public enum MergeOutcome
{
    Merged,
    NotFound,
    Conflict,
    Erased,
    SameCustomer,
}

public sealed record MergeResult(MergeOutcome Outcome, int JournalId = 0);

public enum UndoOutcome
{
    Undone,
    NotFound,
    AlreadyUndone,
    Expired,
    SurvivorChanged,
}

/// <summary>Merges two customers into one, journaled so that the merge can be undone for
/// <see cref="MergeJournal.UndoDays"/> days, restoring both records exactly. See docs/privacy.md.</summary>
public sealed partial class MergeService(CrmDbContext db, TimeProvider time, AuditService audit, CustomerService customers, ILogger<MergeService> logger)
{
    private const string CreatedPrefix = "created:";
    private const string CreatedConsent = CreatedPrefix + "consent-history";

    /// <summary>The profile fields whose surviving value the user picks, in screen order.</summary>
    public static readonly IReadOnlyList<string> PickableFields =
    [
        nameof(Customer.Name), nameof(Customer.Email), nameof(Customer.Phone), nameof(Customer.Gender), nameof(Customer.BirthDate),
        nameof(Customer.Address), nameof(Customer.City), nameof(Customer.Region), nameof(Customer.Country), nameof(Customer.PostalCode),
        nameof(Customer.Source), nameof(Customer.ExternalId), nameof(Customer.EmailConsent), nameof(Customer.SmsConsent),
    ];

    private static readonly JsonSerializerOptions Json = new();

    /// <summary>The "merge with…" chooser: search results (without the customer itself) and records sharing its email or phone.</summary>
    public async Task<MergeChooseViewModel?> ChooseAsync(int id, string? q, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == id && c.ErasedAt == null)
            .Select(c => new { c.Name, c.Email, c.Phone }).SingleOrDefaultAsync(ct);
        if (customer is null)
        {
            return null;
        }

        var results = string.IsNullOrWhiteSpace(q) ? [] : (await customers.LookupAsync(q, ct)).Where(r => r.Id != id).ToList();
        return new MergeChooseViewModel
        {
            Id = id,
            Name = customer.Name,
            Q = q,
            Results = results,
            Suggestions = await customers.FindDuplicatesAsync(customer.Email, customer.Phone, id, ct),
        };
    }

    public async Task<MergeViewModel?> GetAsync(int survivorId, int otherId, MergeFormModel? form, CancellationToken ct)
    {
        if (survivorId == otherId)
        {
            return null;
        }

        var both = await db.Customers.AsNoTracking().Include(c => c.Tags)
            .Where(c => (c.Id == survivorId || c.Id == otherId) && c.ErasedAt == null).ToListAsync(ct);
        var survivor = both.SingleOrDefault(c => c.Id == survivorId);
        var other = both.SingleOrDefault(c => c.Id == otherId);
        if (survivor is null || other is null)
        {
            return null;
        }

        return new MergeViewModel
        {
            Survivor = await SummaryAsync(survivor, ct),
            Other = await SummaryAsync(other, ct),
            Fields = PickableFields.Select(f => new MergeFieldRow(f, Display(survivor, f), Display(other, f), LabelPrefix(f),
                form?.Picks.GetValueOrDefault(f) ?? DefaultPick(survivor, other, f))).ToList(),
            Conflict = form is not null,
        };
    }

    /// <summary>The survivor's value unless it is empty and the other record has one.</summary>
    private static MergeSide DefaultPick(Customer survivor, Customer other, string field) =>
        Display(survivor, field) is null && Display(other, field) is not null ? MergeSide.Other : MergeSide.Survivor;

    private async Task<MergeRecordSummary> SummaryAsync(Customer c, CancellationToken ct)
    {
        var counts = new List<MergeCount>();
        foreach (var table in CustomerOwnedData.Moved)
        {
            counts.Add(new MergeCount(table.Name, await table.CountAsync(db, c.Id, ct)));
        }

        return new MergeRecordSummary(c.Id, c.Name, c.Version, c.IsArchived, c.CreatedAt, c.OrderCount, c.TotalSpent,
            c.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList(), counts);
    }

    public async Task<MergeResult> MergeAsync(int survivorId, MergeFormModel form, Actor actor, CancellationToken ct)
    {
        if (survivorId == form.OtherId)
        {
            return new MergeResult(MergeOutcome.SameCustomer);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var both = await db.Customers.Include(c => c.Tags).Where(c => c.Id == survivorId || c.Id == form.OtherId).ToListAsync(ct);
        var survivor = both.SingleOrDefault(c => c.Id == survivorId);
        var loser = both.SingleOrDefault(c => c.Id == form.OtherId);
        if (survivor is null || loser is null)
        {
            return new MergeResult(MergeOutcome.NotFound);
        }

        if (survivor.ErasedAt is not null || loser.ErasedAt is not null)
        {
            return new MergeResult(MergeOutcome.Erased);
        }

        if (survivor.Version != form.SurvivorVersion || loser.Version != form.OtherVersion)
        {
            return new MergeResult(MergeOutcome.Conflict);
        }

        var survivorBefore = CustomerImage.Of(db, survivor);
        var loserBefore = CustomerImage.Of(db, loser);
        var fieldsBefore = PickableFields.Select(f => new KeyValuePair<string, string?>(f, Display(survivor, f))).ToList();

        foreach (var field in PickableFields.Where(f => form.Picks.GetValueOrDefault(f) == MergeSide.Other))
        {
            Copy(loser, survivor, field);
        }

        foreach (var tag in loser.Tags.Where(t => survivor.Tags.All(s => s.Tag != t.Tag)).Select(t => t.Tag).ToList())
        {
            survivor.Tags.Add(new CustomerTag { CustomerId = survivor.Id, Tag = tag });
        }

        var now = time.GetUtcNow().UtcDateTime;
        var moved = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var table in CustomerOwnedData.Moved)
        {
            moved[table.Name] = await table.MoveAllAsync(db, loser.Id, survivor.Id, ct);
        }

        // The ledger's newest row per channel must state the survivor's consent, whichever record it came from.
        var consent = new[]
        {
            new ConsentChange { CustomerId = survivor.Id, Channel = ConsentChannel.Email, State = survivor.EmailConsent, ChangedAt = now, Source = ConsentSources.Merge, ChangedBy = actor.Name },
            new ConsentChange { CustomerId = survivor.Id, Channel = ConsentChannel.Sms, State = survivor.SmsConsent, ChangedAt = now, Source = ConsentSources.Merge, ChangedBy = actor.Name },
        };
        db.ConsentChanges.AddRange(consent);
        db.Customers.Remove(loser);
        survivor.UpdatedAt = now;
        survivor.UpdatedBy = actor.Name;
        survivor.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new MergeResult(MergeOutcome.Conflict);
        }

        moved[CreatedConsent] = consent.Select(c => c.Id).ToList();
        await PurchaseService.RecomputeAggregatesAsync(db, survivor.Id, ct);

        var journal = new MergeJournal
        {
            SurvivorId = survivor.Id,
            LoserId = loser.Id,
            MergedAt = now,
            MergedByUserId = actor.UserId,
            MergedBy = actor.Name,
            SurvivorBefore = survivorBefore.ToJson(),
            LoserBefore = loserBefore.ToJson(),
            MovedRows = JsonSerializer.Serialize(moved, Json),
            SurvivorVersionAfter = survivor.Version,
        };
        db.MergeJournals.Add(journal);
        await db.SaveChangesAsync(ct);

        var changes = AuditService.Diff(fieldsBefore, PickableFields.Select(f => new KeyValuePair<string, string?>(f, Display(survivor, f))).ToList()).ToList();
        changes.Insert(0, new AuditChange("MergedFrom", null, Key(loser.Id)));
        changes.Add(new AuditChange("MergeJournal", null, Key(journal.Id)));
        changes.AddRange(moved.Where(m => !m.Key.StartsWith(CreatedPrefix, StringComparison.Ordinal) && m.Value.Count > 0)
            .Select(m => new AuditChange("Moved " + m.Key, null, Key(m.Value.Count))));
        await audit.RecordAsync(AuditActions.Merge, AuditEntityTypes.Customer, Key(survivor.Id), changes, ct, actor.ForAudit());
        await audit.RecordAsync(AuditActions.MergedInto, AuditEntityTypes.Customer, Key(loser.Id),
            [new AuditChange("MergedInto", null, Key(survivor.Id)), new AuditChange("MergeJournal", null, Key(journal.Id))], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        LogMerged(logger, loser.Id, survivor.Id, journal.Id);
        return new MergeResult(MergeOutcome.Merged, journal.Id);
    }

    public async Task<UndoOutcome> UndoAsync(int journalId, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var journal = await db.MergeJournals.SingleOrDefaultAsync(j => j.Id == journalId, ct);
        if (journal is null)
        {
            return UndoOutcome.NotFound;
        }

        if (journal.UndoneAt is not null)
        {
            return UndoOutcome.AlreadyUndone;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (journal.PurgedAt is not null || now > journal.MergedAt.AddDays(MergeJournal.UndoDays))
        {
            return UndoOutcome.Expired;
        }

        var survivor = await db.Customers.Include(c => c.Tags).SingleOrDefaultAsync(c => c.Id == journal.SurvivorId, ct);
        if (survivor is null || survivor.Version != journal.SurvivorVersionAfter || survivor.ErasedAt is not null
            || await db.Customers.AnyAsync(c => c.Id == journal.LoserId, ct))
        {
            return UndoOutcome.SurvivorChanged;
        }

        var fieldsBefore = PickableFields.Select(f => new KeyValuePair<string, string?>(f, Display(survivor, f))).ToList();
        var loser = new Customer();
        db.Customers.Add(loser);
        CustomerImage.FromJson(journal.LoserBefore).ApplyTo(db, loser);
        await db.SaveChangesAsync(ct);

        var moved = JsonSerializer.Deserialize<Dictionary<string, List<long>>>(journal.MovedRows, Json) ?? [];
        foreach (var table in CustomerOwnedData.Moved)
        {
            if (moved.TryGetValue(table.Name, out var ids) && ids.Count > 0)
            {
                await table.MoveBackAsync(db, ids, survivor.Id, loser.Id, ct);
            }
        }

        if (moved.TryGetValue(CreatedConsent, out var created) && created.Count > 0)
        {
            await db.ConsentChanges.Where(c => created.Contains(c.Id) && c.CustomerId == survivor.Id).ExecuteDeleteAsync(ct);
        }

        CustomerImage.FromJson(journal.SurvivorBefore).ApplyTo(db, survivor);
        journal.UndoneAt = now;
        journal.UndoneBy = actor.Name;
        ClearImages(journal, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return UndoOutcome.SurvivorChanged;
        }

        // Purchases added to the survivor after the merge stay with it, so both caches are recomputed.
        await PurchaseService.RecomputeAggregatesAsync(db, survivor.Id, ct);
        await PurchaseService.RecomputeAggregatesAsync(db, loser.Id, ct);

        var changes = AuditService.Diff(fieldsBefore, PickableFields.Select(f => new KeyValuePair<string, string?>(f, Display(survivor, f))).ToList()).ToList();
        changes.Insert(0, new AuditChange("RestoredCustomer", null, Key(loser.Id)));
        changes.Add(new AuditChange("MergeJournal", null, Key(journal.Id)));
        await audit.RecordAsync(AuditActions.MergeUndo, AuditEntityTypes.Customer, Key(survivor.Id), changes, ct, actor.ForAudit());
        await audit.RecordAsync(AuditActions.MergeUndo, AuditEntityTypes.Customer, Key(loser.Id),
            [new AuditChange("SplitFrom", null, Key(survivor.Id)), new AuditChange("MergeJournal", null, Key(journal.Id))], ct, actor.ForAudit());
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        LogUndone(logger, journal.Id, loser.Id, survivor.Id);
        return UndoOutcome.Undone;
    }

    /// <summary>Recent merges, newest first, with whether each can still be undone.</summary>
    public async Task<MergeHistoryViewModel> HistoryAsync(int? customerId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-MergeJournal.UndoDays * 3);
        var journals = db.MergeJournals.AsNoTracking().Where(j => j.MergedAt >= since);
        if (customerId is { } id)
        {
            journals = journals.Where(j => j.SurvivorId == id || j.LoserId == id);
        }

        var rows = await journals.OrderByDescending(j => j.MergedAt).ThenByDescending(j => j.Id).Take(100)
            .Select(j => new
            {
                j.Id,
                j.SurvivorId,
                j.LoserId,
                j.MergedAt,
                j.MergedBy,
                j.UndoneAt,
                j.UndoneBy,
                j.PurgedAt,
                j.SurvivorVersionAfter,
                j.LoserBefore,
                Survivor = db.Customers.Where(c => c.Id == j.SurvivorId).Select(c => new { c.Name, c.Version }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return new MergeHistoryViewModel
        {
            Rows = rows.Select(r => new MergeHistoryRow(r.Id, r.SurvivorId, r.Survivor?.Name, r.LoserId, NameOf(r.LoserBefore),
                r.MergedAt, r.MergedBy, r.UndoneAt, r.UndoneBy,
                CanUndo: r.UndoneAt is null && r.PurgedAt is null && now <= r.MergedAt.AddDays(MergeJournal.UndoDays)
                    && r.Survivor is not null && r.Survivor.Version == r.SurvivorVersionAfter)).ToList(),
        };
    }

    /// <summary>Clears the before-images of journals past the undo window; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-MergeJournal.UndoDays);
        return await db.MergeJournals.Where(j => j.PurgedAt == null && j.MergedAt < cutoff)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.SurvivorBefore, string.Empty)
                .SetProperty(j => j.LoserBefore, string.Empty)
                .SetProperty(j => j.MovedRows, string.Empty)
                .SetProperty(j => j.PurgedAt, now), ct);
    }

    private static void ClearImages(MergeJournal journal, DateTime now)
    {
        journal.SurvivorBefore = string.Empty;
        journal.LoserBefore = string.Empty;
        journal.MovedRows = string.Empty;
        journal.PurgedAt = now;
    }

    private static string? NameOf(string image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return null;
        }

        return CustomerImage.FromJson(image).Columns.TryGetValue(nameof(Customer.Name), out var name) ? name.GetString() : null;
    }

    private static void Copy(Customer from, Customer to, string field)
    {
        switch (field)
        {
            case nameof(Customer.Name): to.Name = from.Name; to.NameKey = from.NameKey; break;
            case nameof(Customer.Email): to.Email = from.Email; to.EmailKey = from.EmailKey; break;
            case nameof(Customer.Phone): to.Phone = from.Phone; break;
            case nameof(Customer.Gender): to.Gender = from.Gender; break;
            case nameof(Customer.BirthDate): to.BirthDate = from.BirthDate; break;
            case nameof(Customer.Address): to.Address = from.Address; break;
            case nameof(Customer.City): to.City = from.City; break;
            case nameof(Customer.Region): to.Region = from.Region; break;
            case nameof(Customer.Country): to.Country = from.Country; break;
            case nameof(Customer.PostalCode): to.PostalCode = from.PostalCode; break;
            case nameof(Customer.Source): to.Source = from.Source; break;
            case nameof(Customer.ExternalId): to.ExternalId = from.ExternalId; break;
            case nameof(Customer.EmailConsent):
                to.EmailConsent = from.EmailConsent; to.EmailConsentAt = from.EmailConsentAt; to.EmailConsentSource = from.EmailConsentSource;
                break;
            case nameof(Customer.SmsConsent):
                to.SmsConsent = from.SmsConsent; to.SmsConsentAt = from.SmsConsentAt; to.SmsConsentSource = from.SmsConsentSource;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, "Not a pickable field.");
        }
    }

    /// <summary>A pickable field's value as text (the audit log's and the merge screen's form).</summary>
    public static string? Display(Customer c, string field) => field switch
    {
        nameof(Customer.Name) => c.Name,
        nameof(Customer.Email) => c.Email,
        nameof(Customer.Phone) => c.Phone,
        nameof(Customer.Gender) => c.Gender.ToString(),
        nameof(Customer.BirthDate) => c.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        nameof(Customer.Address) => c.Address,
        nameof(Customer.City) => c.City,
        nameof(Customer.Region) => c.Region,
        nameof(Customer.Country) => c.Country,
        nameof(Customer.PostalCode) => c.PostalCode,
        nameof(Customer.Source) => c.Source,
        nameof(Customer.ExternalId) => c.ExternalId,
        nameof(Customer.EmailConsent) => c.EmailConsent.ToString(),
        nameof(Customer.SmsConsent) => c.SmsConsent.ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a pickable field."),
    };

    private static string LabelPrefix(string field) => field switch
    {
        nameof(Customer.Gender) => "gender:",
        nameof(Customer.EmailConsent) or nameof(Customer.SmsConsent) => "consent:",
        _ => string.Empty,
    };

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {LoserId} merged into {SurvivorId} (journal {JournalId})")]
    private static partial void LogMerged(ILogger logger, int loserId, int survivorId, int journalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Merge {JournalId} undone: customer {LoserId} split from {SurvivorId}")]
    private static partial void LogUndone(ILogger logger, int journalId, int loserId, int survivorId);
}
