using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Services.Ingestion;
using CrmMarketing.Web.ViewModels.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CrmMarketing.Web.Controllers.Api;

/// <summary>Purchases with their lines, idempotent by order number; the customers' totals stay exact.</summary>
[ApiController]
[Route("api/v1/purchases")]
[Authorize(Policy = Policies.ApiPurchases)]
[IgnoreAntiforgeryToken]
[EnableRateLimiting(ApiExtensions.RateLimitPolicy)]
public sealed class PurchasesApiController(IngestionService ingestion) : IngestionControllerBase
{
    /// <summary>Adds up to 1,000 purchases; an order number already stored is answered with "exists".</summary>
    [HttpPost]
    [EndpointName("AddPurchases")]
    [ProducesResponseType<BatchResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<BatchProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Add(BatchRequest<PurchaseItem> request, CancellationToken ct) =>
        Batch(await ingestion.AddPurchasesAsync(request, Caller, ct));
}
