using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Resources;

/// <summary>Localizes messages of IValidatableObject rules, which DataAnnotations localization does not reach.
/// Outside MVC (no service provider) the English text is used.</summary>
public static class ValidationText
{
    public static ValidationResult Error(ValidationContext context, string memberName, string text, params object[] args)
    {
        var localizer = context.GetService(typeof(IStringLocalizer<SharedResource>)) as IStringLocalizer;
        var message = localizer is null ? string.Format(System.Globalization.CultureInfo.CurrentCulture, text, args) : localizer[text, args].Value;
        return new ValidationResult(message, [memberName]);
    }
}
