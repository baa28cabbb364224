using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CrmMarketing.Web.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Api;

/// <summary>Authenticates ingestion API requests by key, from <c>Authorization: Bearer …</c> or <c>X-Api-Key</c>.
/// Cookies play no part, so a browser can never be made to call the API on a signed-in user's behalf.</summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ScopeClaim = "scope";
    public const string KeyIdClaim = "api_key_id";

    public static string ScopeValue(ApiScopes scope) => scope.ToString().ToLowerInvariant();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var caller = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (caller is null)
        {
            LogRejected(Logger);
            return AuthenticateResult.Fail("Invalid or revoked API key.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.ActorName),
            new(ClaimTypes.Name, caller.ActorName),
            new(KeyIdClaim, caller.Id.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var scope in Enum.GetValues<ApiScopes>().Where(s => s != ApiScopes.None && caller.Scopes.HasFlag(s)))
        {
            claims.Add(new Claim(ScopeClaim, ScopeValue(scope)));
        }

        Context.Features.Set(caller);
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The key from the Authorization header (Bearer) or else X-Api-Key; null when neither is present.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var header = request.Headers[ApiKeyHeader].ToString();
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"crm-api\"";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            "A valid API key is required: send it as 'Authorization: Bearer <key>' or in the X-Api-Key header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden",
            "This API key does not have the scope this endpoint requires.");

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "An API request presented an invalid or revoked key.")]
    private static partial void LogRejected(ILogger logger);
}

/// <summary>Writes RFC 9457 problem details for the API outside MVC (authentication, rate limits, body size).</summary>
public static class ApiProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        var problem = new ProblemDetails
        {
            Type = TypeOf(status),
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }

    public static string TypeOf(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => "about:blank",
    };
}
