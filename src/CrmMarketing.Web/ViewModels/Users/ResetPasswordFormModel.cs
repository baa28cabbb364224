using System.ComponentModel.DataAnnotations;

using CrmMarketing.Web.Extensions;

namespace CrmMarketing.Web.ViewModels.Users;

/// <summary>A new password an administrator sets for another user.</summary>
public sealed class ResetPasswordFormModel
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(UserCreateFormModel.PasswordMaxLength, MinimumLength = IdentityExtensions.PasswordMinLength,
        ErrorMessage = "The {0} must be between {2} and {1} characters long.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The passwords do not match.")]
    [DataType(DataType.Password)]
    [Display(Name = "Confirm password")]
    public string ConfirmPassword { get; set; } = string.Empty;
}

public sealed class ResetPasswordViewModel
{
    public required UserSummaryViewModel User { get; init; }
    public ResetPasswordFormModel Form { get; init; } = new();
}
