using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Customers;

namespace CrmMarketing.Web.ViewModels.Settings;

/// <summary>One configuration value as shown: secrets are masked.</summary>
public sealed record SettingRow(string Key, string Value);

public sealed record SettingsViewModel(
    IReadOnlyList<SettingRow> Email,
    IReadOnlyList<SettingRow> Sms,
    IReadOnlyList<SettingRow> Outbox,
    string? CurrentUserEmail,
    TestSmsFormModel TestSms);

public sealed class TestSmsFormModel : IValidatableObject
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(30, ErrorMessage = "The field {0} must be a string with a maximum length of {1}.")]
    [Display(Name = "Phone number")]
    public string? Phone { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Phone) && ContactNormalizer.NormalizePhone(Phone) is null)
        {
            yield return ValidationText.Error(validationContext, nameof(Phone), "Enter a valid phone number.");
        }
    }
}
