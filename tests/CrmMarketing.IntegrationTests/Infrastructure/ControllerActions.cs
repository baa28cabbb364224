using System.Reflection;
using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Routing;

namespace CrmMarketing.IntegrationTests.Infrastructure;

/// <summary>One (verb, action) pair found by reflection over the web assembly's controllers.</summary>
public sealed record ControllerAction(
    Type ControllerType,
    MethodInfo Method,
    string Controller,
    string Action,
    string HttpMethod,
    string UrlTemplate,
    bool AllowAnonymous,
    IReadOnlyList<AuthorizeAttribute> Authorize)
{
    /// <summary>The URL with every route parameter set to 1.</summary>
    public string Url => UrlWith("1");

    /// <summary>The URL with every route parameter set to <paramref name="value"/>.</summary>
    public string UrlWith(string value) => UrlTemplate.Replace(ControllerActions.ParameterSlot, value, StringComparison.Ordinal);

    /// <summary>"Controller/Action", the key of the anonymous allow-list.</summary>
    public string Name => $"{Controller}/{Action}";

    public override string ToString() => $"{HttpMethod} {Url} ({ControllerType.Name}.{Method.Name})";
}

/// <summary>Walks every controller action by reflection: verbs from the HTTP method attributes, URLs from
/// attribute routes or the conventional "{controller}/{action}/{id?}" route; route parameters are left as a slot.</summary>
public static partial class ControllerActions
{
    /// <summary>Stands for a route parameter value in <see cref="ControllerAction.UrlTemplate"/>.</summary>
    public const string ParameterSlot = "{value}";

    public static IReadOnlyList<ControllerAction> Discover(Assembly assembly) =>
        ControllerTypes(assembly).SelectMany(ActionsOf).ToList();

    public static IEnumerable<Type> ControllerTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => typeof(ControllerBase).IsAssignableFrom(t)
            && t is { IsClass: true, IsAbstract: false, IsPublic: true, ContainsGenericParameters: false }
            && !t.IsDefined(typeof(NonControllerAttribute), inherit: true));

    public static IEnumerable<MethodInfo> ActionMethods(Type controller) =>
        controller.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => !m.IsSpecialName
                && !m.IsGenericMethodDefinition
                && !m.IsAbstract
                && m.DeclaringType is { } declaring
                && declaring.Assembly == controller.Assembly
                && !m.IsDefined(typeof(NonActionAttribute), inherit: true)
                && m.GetBaseDefinition().DeclaringType?.Assembly == controller.Assembly);

    private static IEnumerable<ControllerAction> ActionsOf(Type controllerType)
    {
        var controller = controllerType.Name.EndsWith("Controller", StringComparison.Ordinal)
            ? controllerType.Name[..^"Controller".Length]
            : controllerType.Name;
        var classAuthorize = controllerType.GetCustomAttributes<AuthorizeAttribute>(inherit: true);
        var classAnonymous = controllerType.IsDefined(typeof(AllowAnonymousAttribute), inherit: true);
        var classRoutes = controllerType.GetCustomAttributes(inherit: true).OfType<IRouteTemplateProvider>()
            .Where(r => r.Template is not null).Select(r => r.Template!).ToList();

        foreach (var method in ActionMethods(controllerType))
        {
            var action = method.GetCustomAttribute<ActionNameAttribute>()?.Name ?? StripAsync(method.Name);
            var attributes = method.GetCustomAttributes(inherit: true);
            var verbs = attributes.OfType<IActionHttpMethodProvider>().SelectMany(v => v.HttpMethods)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (verbs.Count == 0)
            {
                verbs.Add("GET");
            }

            var methodRoutes = attributes.OfType<IRouteTemplateProvider>()
                .Where(r => r.Template is not null).Select(r => r.Template!).ToList();
            var template = ComposeTemplate(classRoutes.FirstOrDefault(), methodRoutes.FirstOrDefault());
            var hasIdParameter = method.GetParameters().Any(p => string.Equals(p.Name, "id", StringComparison.OrdinalIgnoreCase));
            var url = BuildUrl(template, controller, action, hasIdParameter);
            var authorize = classAuthorize.Concat(method.GetCustomAttributes<AuthorizeAttribute>(inherit: true)).ToList();
            var anonymous = classAnonymous || method.IsDefined(typeof(AllowAnonymousAttribute), inherit: true);

            foreach (var verb in verbs)
            {
                yield return new ControllerAction(controllerType, method, controller, action, verb.ToUpperInvariant(),
                    url, anonymous, authorize);
            }
        }
    }

    /// <summary>Null means conventional routing.</summary>
    private static string? ComposeTemplate(string? classTemplate, string? methodTemplate)
    {
        if (methodTemplate is not null)
        {
            if (methodTemplate.StartsWith('/') || methodTemplate.StartsWith("~/", StringComparison.Ordinal))
            {
                return methodTemplate.TrimStart('~');
            }

            return classTemplate is null ? methodTemplate : classTemplate.TrimEnd('/') + "/" + methodTemplate;
        }

        return classTemplate;
    }

    private static string BuildUrl(string? template, string controller, string action, bool hasIdParameter)
    {
        if (template is null)
        {
            return $"/{controller}/{action}" + (hasIdParameter ? "/" + ParameterSlot : string.Empty);
        }

        var path = template.TrimStart('~', '/')
            .Replace("[controller]", controller, StringComparison.OrdinalIgnoreCase)
            .Replace("[action]", action, StringComparison.OrdinalIgnoreCase);
        path = RouteParameter().Replace(path, ParameterSlot);
        return "/" + path.TrimEnd('/');
    }

    private static string StripAsync(string name) =>
        name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name;

    [GeneratedRegex(@"\{[^{}]+\}")]
    private static partial Regex RouteParameter();
}
