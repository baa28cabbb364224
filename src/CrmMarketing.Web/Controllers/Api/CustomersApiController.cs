using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Ingestion;
using CrmMarketing.Web.ViewModels.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CrmMarketing.Web.Controllers.Api;

/// <summary>Customers pushed in by other systems: created, or updated when the match key finds one.</summary>
[ApiController]
[Route("api/v1/customers")]
[Authorize(Policy = Policies.ApiCustomers)]
[IgnoreAntiforgeryToken]
[EnableRateLimiting(ApiExtensions.RateLimitPolicy)]
public sealed class CustomersApiController(IngestionService ingestion) : IngestionControllerBase
{
    /// <summary>Creates or updates up to 1,000 customers, matched by email, phone or external id.</summary>
    [HttpPost]
    [EndpointName("UpsertCustomers")]
    [ProducesResponseType<BatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<BatchProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Upsert(CustomerBatchRequest request, CancellationToken ct) =>
        Batch(await ingestion.UpsertCustomersAsync(request, Caller, ct));
}
