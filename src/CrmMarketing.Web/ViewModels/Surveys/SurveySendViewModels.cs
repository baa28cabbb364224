using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Surveys;

/// <summary>"Send survey to a segment".</summary>
public sealed class SurveySendFormModel : IValidatableObject
{
    [Required(ErrorMessage = "Choose a survey.")]
    [Range(1, int.MaxValue, ErrorMessage = "Choose a survey.")]
    [Display(Name = "Survey")]
    public int? SurveyId { get; set; }

    [Required(ErrorMessage = "Choose a segment.")]
    [Range(1, int.MaxValue, ErrorMessage = "Choose a segment.")]
    [Display(Name = "Segment")]
    public int? SegmentId { get; set; }

    [Display(Name = "Send by")]
    public InvitationChannel Channel { get; set; } = InvitationChannel.Email;

    /// <summary>Empty = the built-in invitation text.</summary>
    [Range(1, int.MaxValue)]
    [Display(Name = "Template")]
    public int? TemplateId { get; set; }

    [Range(1, int.MaxValue)]
    [Display(Name = "Marketing activity")]
    public int? CampaignId { get; set; }

    [Required]
    [RegularExpression("^(en|zh-Hans)$")]
    [Display(Name = "Language")]
    public string Culture { get; set; } = "zh-Hans";

    /// <summary>Generated when the form is opened; the same key sends once however often the form is submitted.</summary>
    [Required]
    [RegularExpression("^[0-9a-f]{32}$")]
    public string Key { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Channel is not (InvitationChannel.Email or InvitationChannel.Sms))
        {
            yield return new ValidationResult("Choose e-mail or SMS.", [nameof(Channel)]);
        }
    }
}

public sealed record SegmentChoice(int Id, string Name, int MemberCount);

/// <summary>A template that can carry a survey link, for the invite and send forms.</summary>
public sealed record SurveyTemplateChoice(int Id, string Name, MessageChannel Channel, bool IsMarketing);

public sealed record ActivityChoice(int Id, string Name);

public sealed class SurveySendViewModel
{
    public IReadOnlyList<SurveyChoice> Surveys { get; init; } = [];
    public IReadOnlyList<SegmentChoice> Segments { get; init; } = [];
    public IReadOnlyList<SurveyTemplateChoice> Templates { get; init; } = [];
    public IReadOnlyList<ActivityChoice> Activities { get; init; } = [];
    public SurveySendFormModel Form { get; init; } = new();
}

/// <summary>One send of a survey to a segment, on the survey page.</summary>
public sealed record SurveySendRowViewModel(int Id, string SegmentName, InvitationChannel Channel, string? TemplateName, int? CampaignId,
    string? CampaignName, int MemberCount, int QueuedCount, int SkippedCount, DateTime CreatedAt, DateTime? CompletedAt, string? CreatedByName);

/// <summary>The template picker of the invite and send forms (Views/Shared/_SurveyTemplateSelect).</summary>
public sealed record SurveyTemplateSelectViewModel(string Name, string Id, int? Selected, IReadOnlyList<SurveyTemplateChoice> Templates, bool Small = true);
