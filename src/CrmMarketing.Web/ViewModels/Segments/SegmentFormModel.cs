using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Segments;

/// <summary>The segment form. <see cref="Rule"/> is the rule JSON written by wwwroot/js/segment-builder.js into a
/// hidden field; the service validates it and names the bad condition.</summary>
public sealed class SegmentFormModel : IValidatableObject
{
    [Required]
    [StringLength(Segment.NameMaxLength)]
    [Display(Name = "Name")]
    public string Name { get; set; } = string.Empty;

    [StringLength(Segment.DescriptionMaxLength)]
    [Display(Name = "Description")]
    public string? Description { get; set; }

    [Display(Name = "Kind")]
    public SegmentKind Kind { get; set; }

    [StringLength(Segment.RuleMaxLength)]
    [Display(Name = "Rule")]
    public string? Rule { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Kind))
        {
            yield return ValidationText.Error(validationContext, nameof(Kind), "Unknown segment kind.");
        }
    }
}

/// <summary>The create/edit screen: the form and what the rule builder offers.</summary>
public sealed class SegmentEditViewModel
{
    public int? Id { get; init; }
    public required SegmentFormModel Form { get; init; }
    public required SegmentBuilderData Builder { get; init; }
}

/// <summary>The rule builder's catalogue, embedded as a JSON data block.</summary>
public sealed record SegmentBuilderData(
    IReadOnlyList<SegmentBuilderField> Fields,
    IReadOnlyDictionary<string, string> Operators,
    IReadOnlyDictionary<string, IReadOnlyList<SegmentBuilderChoice>> Suggestions,
    IReadOnlyDictionary<string, string> Texts);

public sealed record SegmentBuilderField(string Name, string Kind, string Label, IReadOnlyList<string> Operators, IReadOnlyList<SegmentBuilderChoice>? Choices);

public sealed record SegmentBuilderChoice(string Value, string Label);
