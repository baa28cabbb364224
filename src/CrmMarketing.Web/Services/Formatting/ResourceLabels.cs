using CrmMarketing.Web.Resources;
using Microsoft.Extensions.Localization;

namespace CrmMarketing.Web.Services.Formatting;

/// <summary>Labels of enum values read from prefixed resource keys ("feedback-channel:Phone"); until a key is
/// translated the English fallback is shown rather than the key itself.</summary>
public static class ResourceLabels
{
    public static string Get(IStringLocalizer<SharedResource> l, string prefix, string name, string? english = null)
    {
        var text = l[prefix + name];
        return text.ResourceNotFound ? english ?? name : text.Value;
    }
}
