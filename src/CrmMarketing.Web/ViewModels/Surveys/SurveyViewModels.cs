using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Surveys;

public sealed record SurveyRowViewModel(int Id, string Name, ScoreScale Type, bool IsActive, int Invited, int Answered, DateTime CreatedAt)
{
    /// <summary>Answered ÷ invited in percent; null before the first invitation.</summary>
    public double? ResponseRate => Invited == 0 ? null : 100.0 * Answered / Invited;
}

public sealed class SurveyListViewModel
{
    public IReadOnlyList<SurveyRowViewModel> Rows { get; init; } = [];
}

public sealed class SurveyFormModel : IValidatableObject
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(Survey.NameMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = string.Empty;

    [Display(Name = "Type")]
    public ScoreScale Type { get; set; } = ScoreScale.Nps;

    [Display(Name = "Category")]
    public FeedbackCategory Category { get; set; } = FeedbackCategory.Service;

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(Survey.TextMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Question (English)")]
    public string QuestionEn { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(Survey.TextMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Question (Chinese)")]
    public string QuestionZh { get; set; } = string.Empty;

    [Display(Name = "Ask for a comment")]
    public bool AskComment { get; set; } = true;

    [StringLength(Survey.TextMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Extra question (English)")]
    public string? ExtraQuestionEn { get; set; }

    [StringLength(Survey.TextMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Extra question (Chinese)")]
    public string? ExtraQuestionZh { get; set; }

    [Display(Name = "Active")]
    public bool IsActive { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ExtraQuestionEn) != string.IsNullOrWhiteSpace(ExtraQuestionZh))
        {
            yield return new ValidationResult("Write the extra question in both languages, or leave both empty.",
                [string.IsNullOrWhiteSpace(ExtraQuestionEn) ? nameof(ExtraQuestionEn) : nameof(ExtraQuestionZh)]);
        }
    }
}

public sealed class SurveyEditViewModel
{
    public int? Id { get; init; }
    public SurveyFormModel Form { get; init; } = new();
}

public sealed class SurveyInviteFormModel
{
    [Required(ErrorMessage = "Choose a customer.")]
    [Range(1, int.MaxValue, ErrorMessage = "Choose a customer.")]
    [Display(Name = "Customer")]
    public int? CustomerId { get; set; }

    [StringLength(Customer.NameMaxLength)]
    public string? CustomerName { get; set; }

    [Display(Name = "Send by")]
    public InvitationChannel Channel { get; set; } = InvitationChannel.Email;

    /// <summary>A message template of the channel with <c>{{survey_url}}</c>; empty = the built-in invitation text.</summary>
    [Range(1, int.MaxValue)]
    [Display(Name = "Template")]
    public int? TemplateId { get; set; }

    [Required]
    [RegularExpression("^(en|zh-Hans)$")]
    [Display(Name = "Language")]
    public string Culture { get; set; } = "zh-Hans";

    /// <summary>Set by the card on the customer page: go back there afterwards.</summary>
    public bool ReturnToCustomer { get; set; }
}

public sealed record SurveyInvitationRowViewModel(int Id, int CustomerId, string CustomerName, InvitationChannel Channel, string Culture,
    DateTime CreatedAt, DateTime ExpiresAt, DateTime? AnsweredAt, int? Score, bool IsExpired);

public sealed class SurveyDetailsViewModel
{
    public int Id { get; init; }
    public string Name { get; init; } = string.Empty;
    public ScoreScale Type { get; init; }
    public FeedbackCategory Category { get; init; }
    public bool IsActive { get; init; }
    public string QuestionEn { get; init; } = string.Empty;
    public string QuestionZh { get; init; } = string.Empty;
    public bool AskComment { get; init; }
    public string? ExtraQuestionEn { get; init; }
    public string? ExtraQuestionZh { get; init; }
    public int Invited { get; init; }
    public int Answered { get; init; }
    public double? ResponseRate => Invited == 0 ? null : 100.0 * Answered / Invited;

    /// <summary>Average score of the answers (on the survey's own scale).</summary>
    public double? AverageScore { get; init; }

    /// <summary>NPS of the answers for NPS surveys, % satisfied (4–5) for CSAT surveys.</summary>
    public double? Headline { get; init; }

    public IReadOnlyList<SurveyInvitationRowViewModel> Invitations { get; init; } = [];
    public SurveyInviteFormModel Invite { get; init; } = new();
    public IReadOnlyList<SurveyTemplateChoice> Templates { get; init; } = [];

    /// <summary>The latest sends of this survey to segments.</summary>
    public IReadOnlyList<SurveySendRowViewModel> Sends { get; init; } = [];
}

/// <summary>The survey choices of the invite card on a customer's page.</summary>
public sealed record SurveyChoice(int Id, string Name);

public sealed record SurveyInviteCardViewModel(int CustomerId, IReadOnlyList<SurveyChoice> Surveys, bool HasEmail, bool HasPhone)
{
    public IReadOnlyList<SurveyTemplateChoice> Templates { get; init; } = [];
}

public sealed class SurveyCustomerInviteFormModel
{
    [Required(ErrorMessage = "Choose a survey.")]
    [Range(1, int.MaxValue, ErrorMessage = "Choose a survey.")]
    public int? SurveyId { get; set; }

    public SurveyInviteFormModel Invite { get; set; } = new();
}

public enum SurveyPageState
{
    Open,
    Answered,
    Thanks,
    Expired,
    Invalid,
    Closed,
}

/// <summary>The public response page. Holds nothing about the customer beyond the first name.</summary>
public sealed class SurveyPageViewModel
{
    public SurveyPageState State { get; init; }
    public string Token { get; init; } = string.Empty;
    public string? FirstName { get; init; }
    public ScoreScale Type { get; init; }
    public string Question { get; init; } = string.Empty;
    public bool AskComment { get; init; }
    public string? ExtraQuestion { get; init; }
    public SurveyAnswerFormModel Form { get; init; } = new();
    public int MinScore => Type == ScoreScale.Nps ? 0 : Domain.Feedback.MinScore;
    public int MaxScore => Type == ScoreScale.Nps ? 10 : Domain.Feedback.MaxScore;
}

public sealed class SurveyAnswerFormModel
{
    [Required(ErrorMessage = "Choose a score.")]
    [Range(0, 10, ErrorMessage = "Choose a score.")]
    [Display(Name = "Score")]
    public int? Score { get; set; }

    [StringLength(Domain.Feedback.ContentMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Comment")]
    public string? Comment { get; set; }

    [StringLength(Domain.Feedback.ExtraAnswerMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Answer")]
    public string? ExtraAnswer { get; set; }
}
