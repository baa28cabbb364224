using System.ComponentModel.DataAnnotations;

using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.Users;

public sealed class UserCreateFormModel : IValidatableObject
{
    public const int EmailMaxLength = 254;
    public const int PasswordMaxLength = 128;

    [Required(ErrorMessage = "The {0} field is required.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(EmailMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Email")]
    public string Email { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(ApplicationUser.DisplayNameMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Display name")]
    public string DisplayName { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "Role")]
    public string Role { get; set; } = Roles.Sales;

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(PasswordMaxLength, MinimumLength = IdentityExtensions.PasswordMinLength,
        ErrorMessage = "The {0} must be between {2} and {1} characters long.")]
    [DataType(DataType.Password)]
    [Display(Name = "Initial password")]
    public string Password { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    [DataType(DataType.Password)]
    [Display(Name = "Confirm password")]
    public string ConfirmPassword { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Roles.All.Contains(Role))
        {
            yield return ValidationText.Error(validationContext, nameof(Role), "Choose one of the listed roles.");
        }
    }
}
