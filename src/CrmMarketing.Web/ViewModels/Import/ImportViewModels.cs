using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Import;

namespace CrmMarketing.Web.ViewModels.Import;

public sealed class ImportUploadFormModel
{
    [Display(Name = "What the file contains")]
    public ImportEntityType EntityType { get; set; }

    [Display(Name = "CSV file")]
    public IFormFile? File { get; set; }

    [Display(Name = "Mapping template")]
    public int? TemplateId { get; set; }
}

public sealed record ImportTemplateOption(int Id, string Name, ImportEntityType EntityType);

public sealed record ImportHistoryRow(int Id, ImportEntityType EntityType, string FileName, ImportStatus Status, DateTime CreatedAt,
    string CreatedBy, int TotalRows, int Created, int Updated, int Skipped, int Failed);

public sealed class ImportIndexViewModel
{
    public ImportUploadFormModel Form { get; init; } = new();
    public IReadOnlyList<ImportTemplateOption> Templates { get; init; } = [];
    public IReadOnlyList<ImportHistoryRow> History { get; init; } = [];
    public long MaxFileBytes { get; init; }
}

/// <summary>Column mapping and options. <see cref="Mapping"/> holds, per column, the field it fills or "".</summary>
public sealed class ImportMapFormModel : IValidatableObject
{
    public static IReadOnlyList<string> DelimiterNames { get; } = ["comma", "semicolon", "tab"];

    public List<string?> Mapping { get; set; } = [];

    [Display(Name = "Match existing customers by")]
    public ImportMatchKey MatchKey { get; set; }

    [Display(Name = "Mode")]
    public ImportMode Mode { get; set; }

    [Display(Name = "Date format")]
    [StringLength(ImportJob.DateFormatMaxLength)]
    public string? DateFormat { get; set; }

    [Display(Name = "Decimal separator")]
    [Required, RegularExpression("^[.,]$")]
    public string DecimalSeparator { get; set; } = ".";

    [Display(Name = "Encoding")]
    [Required]
    public string Encoding { get; set; } = ImportEncodings.Utf8;

    [Display(Name = "Delimiter")]
    [Required]
    public string Delimiter { get; set; } = "comma";

    [Display(Name = "Email consent")]
    public ImportConsent EmailConsent { get; set; }

    [Display(Name = "SMS consent")]
    public ImportConsent SmsConsent { get; set; }

    [Display(Name = "Consent evidence")]
    [StringLength(ImportJob.EvidenceMaxLength)]
    public string? ConsentEvidence { get; set; }

    [Display(Name = "Create missing customers")]
    public bool CreateMissingCustomers { get; set; }

    [Display(Name = "Create missing products")]
    public bool CreateMissingProducts { get; set; }

    [Display(Name = "Save as template")]
    [StringLength(ImportMappingTemplate.NameMaxLength)]
    public string? TemplateName { get; set; }

    public static char DelimiterChar(string name) => name switch
    {
        "semicolon" => ';',
        "tab" => '\t',
        _ => ',',
    };

    public static string DelimiterName(char c) => c switch
    {
        ';' => "semicolon",
        '\t' => "tab",
        _ => "comma",
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ImportEncodings.Choices.Contains(Encoding))
        {
            yield return ValidationText.Error(validationContext, nameof(Encoding), "Choose one of the offered values.");
        }

        if (!DelimiterNames.Contains(Delimiter))
        {
            yield return ValidationText.Error(validationContext, nameof(Delimiter), "Choose one of the offered values.");
        }

        if (!ImportValues.DateFormats.Contains(DateFormat ?? string.Empty))
        {
            yield return ValidationText.Error(validationContext, nameof(DateFormat), "Choose one of the offered values.");
        }

        if (!Enum.IsDefined(MatchKey) || !Enum.IsDefined(Mode) || !Enum.IsDefined(EmailConsent) || !Enum.IsDefined(SmsConsent))
        {
            yield return ValidationText.Error(validationContext, nameof(Mode), "Choose one of the offered values.");
        }
    }
}

public sealed record ImportFieldOption(string Name, string Label, bool Required);

public sealed class ImportMapViewModel
{
    public int JobId { get; init; }
    public string FileName { get; init; } = string.Empty;
    public ImportEntityType EntityType { get; init; }
    public ImportStatus Status { get; init; }
    public IReadOnlyList<string> Headers { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<string>> Preview { get; init; } = [];
    public IReadOnlyList<ImportFieldOption> Fields { get; init; } = [];
    public ImportMapFormModel Form { get; init; } = new();

    /// <summary>Why the file could not be read or the last dry run stopped, already localised.</summary>
    public string? Message { get; init; }
}

public sealed record ImportIssueRow(int Row, ImportIssueLevel Level, string? Column, string? Value, string Message);

public sealed class ImportDetailsViewModel
{
    public int Id { get; init; }
    public ImportEntityType EntityType { get; init; }
    public string FileName { get; init; } = string.Empty;
    public long FileSize { get; init; }
    public ImportStatus Status { get; init; }
    public string CreatedBy { get; init; } = string.Empty;
    public DateTime CreatedAt { get; init; }
    public DateTime? CompletedAt { get; init; }
    public DateTime? RevertedAt { get; init; }
    public int TotalRows { get; init; }
    public int ProcessedRows { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Skipped { get; init; }
    public int Failed { get; init; }
    public int Warnings { get; init; }
    public int DryRunErrors { get; init; }
    public int DryRunWarnings { get; init; }
    public bool HasDryRun { get; init; }
    public bool HasRun { get; init; }
    public string? Message { get; init; }
    public IReadOnlyDictionary<string, int> SkipReasons { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<ImportJournalKind, int> Journal { get; init; } = new Dictionary<ImportJournalKind, int>();
    public ImportPhase IssuePhase { get; init; }
    public IReadOnlyList<ImportIssueRow> Issues { get; init; } = [];
    public int IssueCount { get; init; }

    public bool IsWorking => Status is ImportStatus.DryRunQueued or ImportStatus.DryRunning or ImportStatus.Queued or ImportStatus.Running;
    public bool CanStart => Status == ImportStatus.Validated;
    public bool CanEditMapping => Status is ImportStatus.Uploaded or ImportStatus.Validated;
    public bool CanRevert => Status is ImportStatus.Completed or ImportStatus.Failed && Journal.Count > 0;
}

/// <summary>Polled by the progress bar.</summary>
public sealed record ImportProgressJson(string Status, bool Working, int Processed, int Total, int Percent, int Created, int Updated, int Skipped, int Failed);
