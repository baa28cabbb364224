using System.ComponentModel.DataAnnotations;

using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.ViewModels.Users;

namespace CrmMarketing.Web.ViewModels.Account;

public sealed class ChangePasswordFormModel : IValidatableObject
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(UserCreateFormModel.PasswordMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [DataType(DataType.Password)]
    [Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(UserCreateFormModel.PasswordMaxLength, MinimumLength = IdentityExtensions.PasswordMinLength,
        ErrorMessage = "The {0} must be between {2} and {1} characters long.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The passwords do not match.")]
    [DataType(DataType.Password)]
    [Display(Name = "Confirm new password")]
    public string ConfirmPassword { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(NewPassword) && string.Equals(NewPassword, CurrentPassword, StringComparison.Ordinal))
        {
            yield return ValidationText.Error(validationContext, nameof(NewPassword), "The new password must differ from the current one.");
        }
    }
}
