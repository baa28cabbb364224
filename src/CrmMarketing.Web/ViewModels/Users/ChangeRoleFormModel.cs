using System.ComponentModel.DataAnnotations;

using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.ViewModels.Users;

public sealed class ChangeRoleFormModel : IValidatableObject
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "Role")]
    public string Role { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Roles.All.Contains(Role))
        {
            yield return new ValidationResult(ValidationText.Localize(validationContext, "Choose one of the listed roles."), [nameof(Role)]);
        }
    }
}