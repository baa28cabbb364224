using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Resources;

namespace CrmMarketing.Web.ViewModels.ApiKeys;

public sealed class ApiKeyFormModel : IValidatableObject
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(ApiKey.NameMaxLength, ErrorMessage = "The {0} field must be at most {1} characters.")]
    [Display(Name = "Name")]
    public string Name { get; set; } = string.Empty;

    [Display(Name = "Customers")]
    public bool Customers { get; set; }

    [Display(Name = "Purchases")]
    public bool Purchases { get; set; }

    [Display(Name = "Events")]
    public bool Events { get; set; }

    public ApiScopes Scopes =>
        (Customers ? ApiScopes.Customers : ApiScopes.None)
        | (Purchases ? ApiScopes.Purchases : ApiScopes.None)
        | (Events ? ApiScopes.Events : ApiScopes.None);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Scopes == ApiScopes.None)
        {
            yield return ValidationText.Error(validationContext, nameof(Customers), "Choose at least one scope.");
        }
    }
}
