using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CrmMarketing.Web.Extensions;

public static class ModelStateExtensions
{
    /// <summary>True when a route or query value did not bind (e.g. /Customers/Edit/abc): the request is malformed,
    /// whatever the rest of the form says, and deserves a 400 rather than a re-rendered form.</summary>
    public static bool IsUnbound(this ModelStateDictionary modelState, string key) =>
        modelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0;
}
