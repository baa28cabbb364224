using System.ComponentModel.DataAnnotations;

namespace CrmMarketing.Web.ViewModels.Account;

public sealed class LoginFormModel
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(254, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Email")]
    public string Email { get; set; } = string.Empty;

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(128, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; set; } = string.Empty;

    [Display(Name = "Keep me signed in")]
    public bool RememberMe { get; set; }

    /// <summary>Where to go after signing in; only local addresses are followed.</summary>
    public string? ReturnUrl { get; set; }
}
