using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.ViewModels.Shared;

namespace CrmMarketing.Web.ViewModels.Customers;

/// <summary>The editable fields of a customer, and nothing else (no aggregates, no audit fields).</summary>
public sealed class CustomerFormModel : IValidatableObject
{
    public const int MaxTags = 20;

    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(Customer.NameMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = string.Empty;

    [StringLength(Customer.EmailMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [ValidEmail]
    [Display(Name = "Email")]
    public string? Email { get; set; }

    [StringLength(32, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [ValidPhone]
    [Display(Name = "Phone")]
    public string? Phone { get; set; }

    [Display(Name = "Gender")]
    public Gender Gender { get; set; }

    [DataType(DataType.Date)]
    [Display(Name = "Birth date")]
    public DateOnly? BirthDate { get; set; }

    [StringLength(Customer.AddressMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Address")]
    public string? Address { get; set; }

    [StringLength(Customer.CityMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "City")]
    public string? City { get; set; }

    [StringLength(Customer.RegionMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Region")]
    public string? Region { get; set; }

    [StringLength(Customer.CountryMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Country")]
    public string? Country { get; set; }

    [StringLength(Customer.PostalCodeMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Postal code")]
    public string? PostalCode { get; set; }

    [StringLength(Customer.SourceMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Source")]
    public string? Source { get; set; }

    [StringLength(Customer.ExternalIdMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "External id")]
    public string? ExternalId { get; set; }

    /// <summary>Comma-separated tags.</summary>
    [StringLength(1000, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Tags")]
    public string? Tags { get; set; }

    [Display(Name = "Email consent")]
    public ConsentState EmailConsent { get; set; }

    [Display(Name = "SMS consent")]
    public ConsentState SmsConsent { get; set; }

    /// <summary>Optional proof for a consent change made in this save (form reference, wording, ticket);
    /// kept on the consent ledger, not on the customer, and never pre-filled.</summary>
    [StringLength(ConsentChange.EvidenceMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Consent evidence")]
    public string? ConsentEvidence { get; set; }

    /// <summary>The version the editor started from; a mismatch means someone else saved first.</summary>
    public int Version { get; set; }

    /// <summary>Set when the user saw the duplicate warning and chose to save anyway.</summary>
    public bool IgnoreDuplicates { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BirthDate is { } birth && (birth > DateOnly.FromDateTime(DateTime.UtcNow) || birth.Year < 1900))
        {
            yield return ValidationText.Error(validationContext, nameof(BirthDate), "The birth date must be between 1900 and today.");
        }

        if (!Enum.IsDefined(Gender) || !Enum.IsDefined(EmailConsent) || !Enum.IsDefined(SmsConsent))
        {
            yield return ValidationText.Error(validationContext, nameof(Gender), "Choose one of the listed values.");
        }

        var tags = ParseTags(Tags);
        if (tags.Count > MaxTags)
        {
            yield return ValidationText.Error(validationContext, nameof(Tags), "At most {0} tags.", MaxTags);
        }

        if (tags.Any(t => t.Length > CustomerTag.TagMaxLength))
        {
            yield return ValidationText.Error(validationContext, nameof(Tags), "Each tag must be at most {0} characters.", CustomerTag.TagMaxLength);
        }
    }

    public static IReadOnlyList<string> ParseTags(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split([',', '，', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => t.ToLowerInvariant())
                .Distinct(StringComparer.Ordinal)
                .ToList();
}
