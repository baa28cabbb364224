using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Audit;

/// <summary>The audit screen's filters. Paging is by keyset: <see cref="Before"/> is the id of the last row shown.</summary>
public sealed class AuditListQuery : IValidatableObject
{
    public const int PageSize = 50;

    /// <summary>A prefix of the user name (the email address).</summary>
    [StringLength(AuditEntry.UserNameMaxLength)]
    public string? User { get; set; }

    [StringLength(AuditEntry.ActionMaxLength)]
    public string? Action { get; set; }

    [StringLength(AuditEntry.EntityTypeMaxLength)]
    public string? EntityType { get; set; }

    [StringLength(AuditEntry.EntityIdMaxLength)]
    public string? EntityId { get; set; }

    /// <summary>First day shown, in the display time zone.</summary>
    public DateOnly? From { get; set; }

    /// <summary>Last day shown (inclusive), in the display time zone.</summary>
    public DateOnly? To { get; set; }

    [Range(1, long.MaxValue)]
    public long? Before { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (From is not null && To is not null && From > To)
        {
            yield return ValidationText.Error(validationContext, nameof(To), "The end date must not be before the start date.");
        }
    }

    public Dictionary<string, string?> ToRouteValues(long? before) => new Dictionary<string, string?>
    {
        ["user"] = User,
        ["action"] = Action,
        ["entityType"] = EntityType,
        ["entityId"] = EntityId,
        ["from"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["before"] = before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
}

public sealed record AuditChangeViewModel(string Field, string? Before, string? After);

public sealed record AuditRowViewModel(
    long Id,
    DateTime At,
    string UserName,
    string Action,
    string? EntityType,
    string? EntityId,
    IReadOnlyList<AuditChangeViewModel> Changes,
    string? IpAddress);

public sealed class AuditListViewModel
{
    public required AuditListQuery Query { get; init; }
    public required IReadOnlyList<AuditRowViewModel> Rows { get; init; }

    /// <summary>The id to pass as <see cref="AuditListQuery.Before"/> for the next (older) page, if any.</summary>
    public long? OlderBefore { get; init; }
}

/// <summary>The outcome of walking the chain: <see cref="BrokenEntryId"/> is the first row whose hash or link
/// does not match, null when every row checks out.</summary>
public sealed record AuditVerification(long Checked, long? BrokenEntryId)
{
    public bool Ok => BrokenEntryId is null;
}
