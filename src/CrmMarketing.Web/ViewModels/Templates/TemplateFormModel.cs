using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Templates;

namespace CrmMarketing.Web.ViewModels.Templates;

/// <summary>The template editor. Email templates need a subject and an HTML body; SMS templates a text.
/// Merge fields outside the allow-list are rejected by name.</summary>
public sealed class TemplateFormModel : IValidatableObject
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(MessageTemplate.NameMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = string.Empty;

    [Display(Name = "Channel")]
    public MessageChannel Channel { get; set; }

    [Display(Name = "Marketing message (needs consent, carries an unsubscribe link)")]
    public bool IsMarketing { get; set; } = true;

    [Display(Name = "Track opens and clicks")]
    public bool TrackingEnabled { get; set; } = true;

    [StringLength(MessageTemplate.SubjectMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Subject")]
    public string? Subject { get; set; }

    [StringLength(MessageTemplate.HtmlBodyMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "HTML body")]
    public string? HtmlBody { get; set; }

    [StringLength(MessageTemplate.TextBodyMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Text")]
    public string? TextBody { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Channel))
        {
            yield return ValidationText.Error(validationContext, nameof(Channel), "Choose one of the listed values.");
            yield break;
        }

        if (Channel == MessageChannel.Email)
        {
            if (string.IsNullOrWhiteSpace(Subject))
            {
                yield return ValidationText.Error(validationContext, nameof(Subject), "An email needs a subject.");
            }

            if (string.IsNullOrWhiteSpace(HtmlBody))
            {
                yield return ValidationText.Error(validationContext, nameof(HtmlBody), "An email needs a body.");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(TextBody))
            {
                yield return ValidationText.Error(validationContext, nameof(TextBody), "An SMS needs a text.");
            }
            else if (TextBody.Length > MessageTemplate.SmsBodyMaxLength)
            {
                yield return ValidationText.Error(validationContext, nameof(TextBody), "An SMS text can be at most {0} characters.", MessageTemplate.SmsBodyMaxLength);
            }
        }

        foreach (var (field, text) in Texts())
        {
            var unknown = MergeFields.UnknownIn(text);
            if (unknown.Count > 0)
            {
                yield return ValidationText.Error(validationContext, field, "Unknown merge fields: {0}. Use only the fields listed beside the editor.",
                    string.Join(", ", unknown.Select(u => "{{" + u + "}}")));
            }
        }
    }

    private IEnumerable<(string Field, string? Text)> Texts() => Channel == MessageChannel.Email
        ? [(nameof(Subject), Subject), (nameof(HtmlBody), HtmlBody), (nameof(TextBody), TextBody)]
        : [(nameof(TextBody), TextBody)];
}
