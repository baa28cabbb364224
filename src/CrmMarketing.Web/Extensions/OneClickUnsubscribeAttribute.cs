using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ActionConstraints;

namespace CrmMarketing.Web.Extensions;

/// <summary>Selects the action for an RFC 8058 one-click unsubscribe: a form POST whose body is
/// <c>List-Unsubscribe=One-Click</c>. Mail providers send it without cookies or antiforgery tokens, so only the
/// action carrying this constraint is exempt from antiforgery.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneClickUnsubscribeAttribute : ActionMethodSelectorAttribute
{
    public const string FieldName = "List-Unsubscribe";
    public const string FieldValue = "One-Click";

    public override bool IsValidForRequest(RouteContext routeContext, ActionDescriptor action)
    {
        var request = routeContext.HttpContext.Request;
        // The form was buffered by FormFeature; reading it here is what model binding would do next anyway.
        return HttpMethods.IsPost(request.Method) && request.HasFormContentType
            && string.Equals(request.Form[FieldName], FieldValue, StringComparison.Ordinal);
    }
}
