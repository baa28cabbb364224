using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Ingestion;
using CrmMarketing.Web.ViewModels.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CrmMarketing.Web.Controllers.Api;

/// <summary>Behaviour events (page views, store visits, …) shown on the customer timeline.</summary>
[ApiController]
[Route("api/v1/events")]
[Authorize(Policy = Policies.ApiEvents)]
[IgnoreAntiforgeryToken]
[EnableRateLimiting(ApiExtensions.RateLimitPolicy)]
public sealed class EventsApiController(IngestionService ingestion) : IngestionControllerBase
{
    /// <summary>Adds up to 1,000 behaviour events.</summary>
    [HttpPost]
    [EndpointName("AddEvents")]
    [ProducesResponseType<BatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<BatchProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Add(BatchRequest<EventItem> request, CancellationToken ct) =>
        Batch(await ingestion.AddEventsAsync(request, Caller, ct));
}
