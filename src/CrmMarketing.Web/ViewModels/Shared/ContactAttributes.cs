using System.ComponentModel.DataAnnotations;
using CrmMarketing.Web.Services.Customers;

namespace CrmMarketing.Web.ViewModels.Shared;

/// <summary>An email address the app can send to (stricter than [EmailAddress], which only wants an @).
/// A property-level rule, so its message shows together with the other field errors.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ValidEmailAttribute : ValidationAttribute
{
    public ValidEmailAttribute() => ErrorMessage = "Enter a valid email address.";

    public override bool IsValid(object? value) =>
        value is not string text || string.IsNullOrWhiteSpace(text) || ContactNormalizer.NormalizeEmail(text) is not null;
}

/// <summary>A phone number that normalises to E.164; 11-digit Chinese mobiles need no country code.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ValidPhoneAttribute : ValidationAttribute
{
    public ValidPhoneAttribute() => ErrorMessage = "Enter a valid phone number, e.g. 13812345678 or +44 20 7946 0958.";

    public override bool IsValid(object? value) =>
        value is not string text || string.IsNullOrWhiteSpace(text) || ContactNormalizer.NormalizePhone(text) is not null;
}
