using System.ComponentModel.DataAnnotations;

using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

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
            yield return ValidationText.Error(validationContext, nameof(Role), "Choose one of the listed roles.");
        }
    }
}
