namespace CrmMarketing.Web.Domain;

public enum ImportEntityType
{
    Customers = 0,
    Purchases = 1,
    Events = 2,
    Feedback = 3,
}

public enum ImportMode
{
    Upsert = 0,
    CreateOnly = 1,
    UpdateOnly = 2,
}

public enum ImportMatchKey
{
    Email = 0,
    Phone = 1,
    ExternalId = 2,
}

/// <summary>What an import does to a channel's consent: nothing, or set it for every imported customer.</summary>
public enum ImportConsent
{
    Keep = 0,
    OptedIn = 1,
    OptedOut = 2,
}

public enum ImportStatus
{
    /// <summary>Uploaded and mapped, not yet checked.</summary>
    Uploaded = 0,
    DryRunQueued = 1,
    DryRunning = 2,

    /// <summary>Dry run done; may be started.</summary>
    Validated = 3,
    Queued = 4,
    Running = 5,
    Completed = 6,
    Failed = 7,
    Reverted = 8,
}

public enum ImportPhase
{
    DryRun = 0,
    Run = 1,
}

public enum ImportIssueLevel
{
    Error = 0,
    Warning = 1,
}

/// <summary>One uploaded file and everything done with it: mapping, options, dry run, run and revert.</summary>
public class ImportJob
{
    public const int FileNameMaxLength = 260;
    public const int StoredNameMaxLength = 64;
    public const int MessageMaxLength = 1000;
    public const int DateFormatMaxLength = 40;
    public const int EvidenceMaxLength = ConsentChange.EvidenceMaxLength;

    public int Id { get; set; }
    public ImportEntityType EntityType { get; set; }
    public string FileName { get; set; } = string.Empty;

    /// <summary>Name of the stored copy under the import directory.</summary>
    public string StoredName { get; set; } = string.Empty;

    public long FileSize { get; set; }

    /// <summary>Web name of the text encoding: utf-8, gb18030, windows-1252, utf-16.</summary>
    public string Encoding { get; set; } = "utf-8";

    public string Delimiter { get; set; } = ",";

    /// <summary>JSON array of the header cells.</summary>
    public string HeadersJson { get; set; } = "[]";

    /// <summary>JSON array: for every column, the field it fills or an empty string.</summary>
    public string MappingJson { get; set; } = "[]";

    public ImportMatchKey MatchKey { get; set; }
    public ImportMode Mode { get; set; }

    /// <summary>Null: ISO dates (yyyy-MM-dd, optionally with a time). Otherwise a .NET date format.</summary>
    public string? DateFormat { get; set; }

    public string DecimalSeparator { get; set; } = ".";
    public ImportConsent EmailConsent { get; set; }
    public ImportConsent SmsConsent { get; set; }
    public string? ConsentEvidence { get; set; }
    public bool CreateMissingCustomers { get; set; }
    public bool CreateMissingProducts { get; set; }

    public ImportStatus Status { get; set; }
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Skipped { get; set; }
    public int Failed { get; set; }
    public int Warnings { get; set; }

    /// <summary>JSON object: reason → number of skipped rows.</summary>
    public string? SkipReasonsJson { get; set; }

    public int DryRunErrors { get; set; }
    public int DryRunWarnings { get; set; }
    /// <summary>Why a dry run or run stopped: an English text that is also the localisation key, with
    /// <see cref="MessageArgsJson"/> as its format arguments.</summary>
    public string? Message { get; set; }

    public string? MessageArgsJson { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedByUserId { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public DateTime? DryRunAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime? RevertedAt { get; set; }
}

/// <summary>One row-level finding of a dry run or a run: row number (1 = first data row), column, value, message.</summary>
public class ImportIssue
{
    public const int ColumnMaxLength = 200;
    public const int ValueMaxLength = 200;
    public const int MessageMaxLength = 500;

    public long Id { get; set; }
    public int ImportJobId { get; set; }
    public ImportPhase Phase { get; set; }
    public ImportIssueLevel Level { get; set; }
    public int Row { get; set; }
    public string? Column { get; set; }
    public string? Value { get; set; }
    public string Message { get; set; } = string.Empty;
}

public enum ImportJournalKind
{
    CustomerCreated = 0,
    CustomerUpdated = 1,
    ProductCreated = 2,
    PurchaseCreated = 3,
    EventCreated = 4,
    FeedbackCreated = 5,
    ConsentChangeCreated = 6,
}

/// <summary>What a run changed, so that it can be reverted: created rows by id, updated customers with their
/// values before the import.</summary>
public class ImportJournalEntry
{
    public long Id { get; set; }
    public int ImportJobId { get; set; }
    public ImportJournalKind Kind { get; set; }
    public long EntityId { get; set; }

    /// <summary>For updates: the customer's values before the import, as JSON.</summary>
    public string? BeforeJson { get; set; }
}

/// <summary>A saved column mapping (header → field) and options, offered again for later files.</summary>
public class ImportMappingTemplate
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public ImportEntityType EntityType { get; set; }

    /// <summary>JSON object: normalised header → field.</summary>
    public string MappingJson { get; set; } = "{}";

    public ImportMatchKey MatchKey { get; set; }
    public ImportMode Mode { get; set; }
    public string? DateFormat { get; set; }
    public string DecimalSeparator { get; set; } = ".";
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
}
