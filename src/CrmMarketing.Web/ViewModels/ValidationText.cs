using System.ComponentModel.DataAnnotations;

using CrmMarketing.Web.Resources;

using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.ViewModels;

/// <summary>IValidatableObject messages bypass data-annotation localization; this routes them through the shared localizer.</summary>
public static class ValidationText
{
    public static string Localize(ValidationContext context, string text) =>
        context.GetService(typeof(IStringLocalizer<SharedResource>)) is IStringLocalizer<SharedResource> localizer
            ? localizer[text]
            : text;
}