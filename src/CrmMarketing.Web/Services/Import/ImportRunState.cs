using System.Text.Json;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.Data.Sqlite;

namespace CrmMarketing.Web.Services.Import;

/// <summary>Which column feeds which field, for one job.</summary>
internal sealed class RowLayout
{
    private readonly Dictionary<string, int> _fieldSlot = new(StringComparer.Ordinal);
    private readonly int[] _columnOfSlot;

    public RowLayout(ImportEntityType type, IReadOnlyList<string> headers, IReadOnlyList<string> mapping)
    {
        var fields = ImportFields.For(type);
        _columnOfSlot = new int[fields.Count];
        Headers = new string[fields.Count];
        for (var slot = 0; slot < fields.Count; slot++)
        {
            _fieldSlot[fields[slot].Name] = slot;
            _columnOfSlot[slot] = -1;
            for (var column = 0; column < mapping.Count && column < headers.Count; column++)
            {
                if (mapping[column] == fields[slot].Name)
                {
                    _columnOfSlot[slot] = column;
                    Headers[slot] = headers[column];
                    break;
                }
            }
        }
    }

    /// <summary>Header of the column mapped to each slot.</summary>
    public string?[] Headers { get; }

    public int SlotOf(string field) => _fieldSlot.TryGetValue(field, out var slot) ? slot : -1;

    public string? HeaderOf(string field) => SlotOf(field) is var slot and >= 0 ? Headers[slot] : null;

    /// <summary>Copies the mapped, trimmed, non-empty cells of a record (missing trailing cells are empty).</summary>
    public Row Take(IReadOnlyList<string> record, int line)
    {
        var values = new string?[_columnOfSlot.Length];
        for (var slot = 0; slot < values.Length; slot++)
        {
            var column = _columnOfSlot[slot];
            if (column >= 0 && column < record.Count)
            {
                var value = record[column].Trim();
                values[slot] = value.Length == 0 ? null : value;
            }
        }

        return new Row(line, values);
    }
}

/// <summary>One data row: its line in the file and its mapped values by slot.</summary>
internal sealed record Row(int Line, string?[] Values)
{
    public string? Get(RowLayout layout, string field) => layout.SlotOf(field) is var slot and >= 0 ? Values[slot] : null;
}

/// <summary>Counters and caches of one dry run or run, across batches.</summary>
internal sealed class RunState(ImportJob job, ImportPhase phase, int maxStoredIssues, DateTime now, ImportTimings timings)
{
    public ImportTimings Timings { get; } = timings;
    public ImportJob Job { get; } = job;
    public ImportPhase Phase { get; } = phase;
    public DateTime Now { get; } = now;
    public int MaxStoredIssues { get; } = maxStoredIssues;
    public int Processed { get; set; } = job.ProcessedRows;
    public int Created { get; set; } = job.Created;
    public int Updated { get; set; } = job.Updated;
    public int Skipped { get; set; } = job.Skipped;
    public int Failed { get; set; } = job.Failed;
    public int Warnings { get; set; } = job.Warnings;
    public int Errors { get; set; }
    public int StoredIssues { get; set; }
    public Dictionary<string, int> SkipReasons { get; set; } = [];
    public List<ImportIssue> PendingIssues { get; } = [];

    /// <summary>Customers this run created (later rows with the same key update them without a journal entry).</summary>
    public HashSet<int> CreatedCustomers { get; } = [];

    /// <summary>Orders this run created, by order number: later lines of the same order are added to them.</summary>
    public Dictionary<string, (long Id, int CustomerId)> Orders { get; } = new(StringComparer.Ordinal);

    public int[] Counters() => [Processed, Created, Updated, Skipped, Failed, Warnings, Errors, StoredIssues];

    /// <summary>Undoes the counting of a batch that was rolled back.</summary>
    public void Restore(int[] c)
    {
        (Processed, Created, Updated, Skipped, Failed, Warnings, Errors, StoredIssues) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
    }
}

/// <summary>A customer's importable values before an import changed them, kept in the journal for revert.</summary>
internal sealed record CustomerSnapshot(
    string Name, string? Email, string? EmailKey, string? Phone, Gender Gender, DateOnly? BirthDate, string? Address, string? City,
    string? Region, string? Country, string? PostalCode, string? Source, string? ExternalId,
    ConsentState EmailConsent, DateTime? EmailConsentAt, string? EmailConsentSource,
    ConsentState SmsConsent, DateTime? SmsConsentAt, string? SmsConsentSource, DateTime UpdatedAt, string? UpdatedBy, string Tags)
{
    public static CustomerSnapshot Of(Customer c) => new(c.Name, c.Email, c.EmailKey, c.Phone, c.Gender, c.BirthDate, c.Address, c.City,
        c.Region, c.Country, c.PostalCode, c.Source, c.ExternalId, c.EmailConsent, c.EmailConsentAt, c.EmailConsentSource,
        c.SmsConsent, c.SmsConsentAt, c.SmsConsentSource, c.UpdatedAt, c.UpdatedBy,
        string.Join(',', c.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal)));

    public static CustomerSnapshot? Read(string? json) => json is null ? null : JsonSerializer.Deserialize<CustomerSnapshot>(json);
}

/// <summary>One batch's transaction, its prepared statements (created on first use) and the row-level bookkeeping.</summary>
internal sealed class Batch(RunState state, RowLayout layout, ImportValues values, SqliteConnection connection, SqliteTransaction transaction) : IDisposable
{
    private static readonly string[] CustomerColumns =
    [
        "Name", "NameKey", "Email", "EmailKey", "Phone", "Gender", "BirthDate", "Address", "City", "Region", "Country", "PostalCode",
        "Source", "ExternalId", "EmailConsent", "EmailConsentAt", "EmailConsentSource", "SmsConsent", "SmsConsentAt", "SmsConsentSource",
        "UpdatedAt", "UpdatedBy", "Version",
    ];

    private readonly Dictionary<string, SqliteRowWriter> _writers = new(StringComparer.Ordinal);
    private readonly Dictionary<ImportJournalKind, List<long>> _created = [];
    private readonly List<(long Id, string BeforeJson)> _updated = [];

    public RunState State { get; } = state;
    public RowLayout Layout { get; } = layout;
    public ImportValues Values { get; } = values;
    public SqliteConnection Connection { get; } = connection;
    public SqliteTransaction Transaction { get; } = transaction;

    /// <summary>Addresses of this batch on the suppression list, as "channel:hash".</summary>
    public HashSet<string> Suppressed { get; } = new(StringComparer.Ordinal);

    // -------- row bookkeeping

    public string? Text(Row row, string field, int maxLength, ref bool ok)
    {
        var value = row.Get(Layout, field);
        if (value is not null && value.Length > maxLength)
        {
            ok = Error(row, field, value, "Too long");
            return null;
        }

        return value;
    }

    public string? Required(Row row, string field, int maxLength, ref bool ok)
    {
        var value = Text(row, field, maxLength, ref ok);
        if (value is null && row.Get(Layout, field) is null)
        {
            ok = Error(row, field, null, "Required");
        }

        return value;
    }

    /// <summary>Records an error on the row; returns false so callers can write <c>ok = Error(…)</c>.</summary>
    public bool Error(Row row, string? field, string? value, string message)
    {
        State.Errors++;
        AddIssue(ImportIssueLevel.Error, row, field, value, message);
        return false;
    }

    public void Warn(Row row, string? field, string? value, string message)
    {
        State.Warnings++;
        AddIssue(ImportIssueLevel.Warning, row, field, value, message);
    }

    public void Fail(Row row, string? field, string? value, string message)
    {
        Error(row, field, value, message);
        State.Failed++;
    }

    public void Skip(Row row, string reason)
    {
        State.Skipped++;
        State.SkipReasons[reason] = State.SkipReasons.GetValueOrDefault(reason) + 1;
        if (State.SkipReasons[reason] <= 100)
        {
            // The first hundred skips of each kind are listed; the counts say the rest.
            AddIssue(ImportIssueLevel.Warning, row, null, null, reason);
        }
    }

    private void AddIssue(ImportIssueLevel level, Row row, string? field, string? value, string message)
    {
        if (State.StoredIssues >= State.MaxStoredIssues)
        {
            return;
        }

        State.StoredIssues++;
        State.PendingIssues.Add(new ImportIssue
        {
            ImportJobId = State.Job.Id,
            Phase = State.Phase,
            Level = level,
            Row = row.Line,
            Column = Cut(field is null ? null : Layout.HeaderOf(field) ?? field, ImportIssue.ColumnMaxLength),
            Value = Cut(value, ImportIssue.ValueMaxLength),
            Message = message,
        });
    }

    private static string? Cut(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    // -------- writes

    /// <summary>Notes a change for the journal; <see cref="FlushJournal"/> writes the batch's entries before it commits.</summary>
    public void Journal(ImportJournalKind kind, long entityId, string? beforeJson)
    {
        if (beforeJson is null)
        {
            if (!_created.TryGetValue(kind, out var ids))
            {
                _created[kind] = ids = [];
            }

            ids.Add(entityId);
        }
        else
        {
            _updated.Add((entityId, beforeJson));
        }
    }

    /// <summary>Writes the journal of the batch: created rows set-based, one statement per kind with the ids as a
    /// JSON array; before-images of updated customers one by one, oldest first (a revert relies on that order).</summary>
    public void FlushJournal()
    {
        var started = ImportTimings.Start();
        if (_created.Count > 0)
        {
            var created = Writer("journal-created", () => SqliteRowWriter.Sql(Connection, Transaction, """
                INSERT INTO "ImportJournal" ("ImportJobId", "Kind", "EntityId", "BeforeJson")
                SELECT $p0, $p1, "value", NULL FROM json_each($p2) ORDER BY "key";
                """, 3));
            foreach (var (kind, ids) in _created)
            {
                created.Execute(State.Job.Id, kind, JsonSerializer.Serialize(ids));
            }
        }

        if (_updated.Count > 0)
        {
            var updated = Writer("journal-updated", () => SqliteRowWriter.Insert(Connection, Transaction, "ImportJournal", false,
                "ImportJobId", "Kind", "EntityId", "BeforeJson"));
            foreach (var (id, json) in _updated)
            {
                updated.Execute(State.Job.Id, ImportJournalKind.CustomerUpdated, id, json);
            }
        }

        _created.Clear();
        _updated.Clear();
        State.Timings.Stop(ImportTimings.Journal, started);
    }

    public long InsertCustomer(Customer c)
    {
        var started = ImportTimings.Start();
        var id = Writer("customer", () => SqliteRowWriter.Insert(Connection, Transaction, "Customers", true,
            [.. CustomerColumns, "CreatedAt", "CreatedBy", "IsArchived", "OrderCount", "TotalSpent"]))
            .ExecuteReturningId([.. CustomerValues(c), c.CreatedAt, c.CreatedBy, false, 0, 0L]);
        State.Timings.Stop(ImportTimings.Inserts, started);
        return id;
    }

    public void UpdateCustomer(Customer c) =>
        Writer("customer-update", () => SqliteRowWriter.Update(Connection, Transaction, "Customers", CustomerColumns))
            .Execute([.. CustomerValues(c), c.Id]);

    private static object?[] CustomerValues(Customer c) =>
    [
        c.Name, c.NameKey, c.Email, c.EmailKey, c.Phone, c.Gender, c.BirthDate, c.Address, c.City, c.Region, c.Country, c.PostalCode,
        c.Source, c.ExternalId, c.EmailConsent, c.EmailConsentAt, c.EmailConsentSource, c.SmsConsent, c.SmsConsentAt, c.SmsConsentSource,
        c.UpdatedAt, c.UpdatedBy, c.Version,
    ];

    public void InsertTags(int customerId, IReadOnlyList<string> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }

        var started = ImportTimings.Start();
        var writer = Writer("tag", () => SqliteRowWriter.Sql(Connection, Transaction,
            "INSERT OR IGNORE INTO \"CustomerTags\" (\"CustomerId\", \"Tag\") VALUES ($p0, $p1);", 2));
        foreach (var tag in tags)
        {
            writer.Execute(customerId, tag);
        }

        State.Timings.Stop(ImportTimings.Inserts, started);
    }

    public void InsertConsent(int customerId, IReadOnlyList<ConsentChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var writer = Writer("consent", () => SqliteRowWriter.Insert(Connection, Transaction, "ConsentChanges", true,
            "CustomerId", "Channel", "State", "ChangedAt", "Source", "ChangedBy", "Evidence"));
        foreach (var c in changes)
        {
            var id = writer.ExecuteReturningId(customerId, c.Channel, c.State, c.ChangedAt, c.Source, c.ChangedBy, c.Evidence);
            Journal(ImportJournalKind.ConsentChangeCreated, id, null);
        }
    }

    public long InsertProduct(string sku, string name, decimal price) =>
        Writer("product", () => SqliteRowWriter.Insert(Connection, Transaction, "Products", true, "Sku", "Name", "ListPrice", "IsActive", "CreatedAt"))
            .ExecuteReturningId(sku, name, Money.ToStored(price), true, State.Now);

    public long InsertPurchase(string orderNumber, int customerId, DateTime purchasedAt, PurchaseChannel channel) =>
        Writer("purchase", () => SqliteRowWriter.Insert(Connection, Transaction, "Purchases", true,
            "OrderNumber", "CustomerId", "PurchasedAt", "Channel", "Total", "CreatedAt", "CreatedBy"))
            .ExecuteReturningId(orderNumber, customerId, purchasedAt, channel, 0L, State.Now, State.Job.CreatedBy);

    public void InsertLine(long purchaseId, int productId, int quantity, decimal unitPrice, decimal amount) =>
        Writer("line", () => SqliteRowWriter.Insert(Connection, Transaction, "PurchaseLines", false, "PurchaseId", "ProductId", "Quantity", "UnitPrice", "Amount"))
            .Execute(purchaseId, productId, quantity, Money.ToStored(unitPrice), Money.ToStored(amount));

    public long InsertEvent(int customerId, string type, DateTime at, string? source, string? json) =>
        Writer("event", () => SqliteRowWriter.Insert(Connection, Transaction, "CustomerEvents", true, "CustomerId", "Type", "OccurredAt", "Source", "PropertiesJson"))
            .ExecuteReturningId(customerId, type, at, source, json);

    public long InsertFeedback(int customerId, int score, string content, FeedbackChannel channel, FeedbackCategory category, DateTime at, string? tags) =>
        Writer("feedback", () => SqliteRowWriter.Insert(Connection, Transaction, "Feedback", true,
            "CustomerId", "Content", "Score", "Scale", "Channel", "Category", "Status", "Tags", "CreatedAt", "UpdatedAt", "CreatedByUserId", "CreatedByName"))
            .ExecuteReturningId(customerId, content, score, ScoreScale.Csat, channel, category, FeedbackStatus.New, tags, at, at, State.Job.CreatedByUserId, State.Job.CreatedBy);

    private SqliteRowWriter Writer(string name, Func<SqliteRowWriter> create)
    {
        if (!_writers.TryGetValue(name, out var writer))
        {
            writer = create();
            _writers[name] = writer;
        }

        return writer;
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }

        _writers.Clear();
    }
}
