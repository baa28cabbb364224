using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Templates;

namespace CrmMarketing.Web.ViewModels.Messages;

/// <summary>An email or SMS to one customer, from a template or written here. <see cref="Key"/> is generated when
/// the form is shown and makes the idempotency key, so submitting the same form twice queues one message.</summary>
public sealed class ComposeFormModel : IValidatableObject
{
    [Display(Name = "Channel")]
    public MessageChannel Channel { get; set; }

    [Display(Name = "Template")]
    public int? TemplateId { get; set; }

    [StringLength(MessageTemplate.SubjectMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Subject")]
    public string? Subject { get; set; }

    [StringLength(MessageTemplate.TextBodyMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Message")]
    public string? Body { get; set; }

    [Display(Name = "Marketing message (needs consent, carries an unsubscribe link)")]
    public bool IsMarketing { get; set; }

    [Required]
    [RegularExpression("^[0-9a-f]{32}$")]
    public string Key { get; set; } = Guid.NewGuid().ToString("N");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Channel))
        {
            yield return ValidationText.Error(validationContext, nameof(Channel), "Choose one of the listed values.");
            yield break;
        }

        if (TemplateId is not null)
        {
            yield break;
        }

        if (Channel == MessageChannel.Email && string.IsNullOrWhiteSpace(Subject))
        {
            yield return ValidationText.Error(validationContext, nameof(Subject), "An email needs a subject.");
        }

        if (string.IsNullOrWhiteSpace(Body))
        {
            yield return ValidationText.Error(validationContext, nameof(Body), "Choose a template or write a message.");
        }
        else if (Channel == MessageChannel.Sms && Body.Length > MessageTemplate.SmsBodyMaxLength)
        {
            yield return ValidationText.Error(validationContext, nameof(Body), "An SMS text can be at most {0} characters.", MessageTemplate.SmsBodyMaxLength);
        }

        var unknown = MergeFields.UnknownIn(Subject, Body);
        if (unknown.Count > 0)
        {
            yield return ValidationText.Error(validationContext, nameof(Body), "Unknown merge fields: {0}. Use only the fields listed beside the editor.",
                string.Join(", ", unknown.Select(u => "{{" + u + "}}")));
        }
    }
}
