using CrmMarketing.Web.Services.Api;
using CrmMarketing.Web.Services.Ingestion;
using CrmMarketing.Web.ViewModels.Api;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers.Api;

/// <summary>Turns a batch outcome into the API's answers: 200 with per-item results when every item was
/// accepted, 422 problem details listing the rejected items (the accepted ones are stored all the same),
/// 400 problem details when the request as a whole is invalid.</summary>
public abstract class IngestionControllerBase : ControllerBase
{
    /// <summary>The key the request authenticated with (set by the ApiKey handler; the policy guarantees one).</summary>
    protected ApiCaller Caller => HttpContext.Features.Get<ApiCaller>()
        ?? throw new InvalidOperationException("The API policy let a request through without an API key.");

    protected IActionResult Batch(BatchOutcome outcome)
    {
        if (outcome.RequestError is { } refused)
        {
            ModelState.AddModelError(refused.Field, refused.Message);
            return ValidationProblem(ModelState);
        }

        var accepted = outcome.Results.Count;
        var rejected = outcome.Errors.Select(e => e.Index).Distinct().Count();
        if (outcome.Errors.Count == 0)
        {
            return Ok(new BatchResponse { Received = outcome.Received, Accepted = accepted, Rejected = 0, Results = outcome.Results });
        }

        var problem = new BatchProblemDetails
        {
            Type = ApiProblems.TypeOf(StatusCodes.Status422UnprocessableEntity),
            Title = "Some items were rejected.",
            Status = StatusCodes.Status422UnprocessableEntity,
            Detail = $"{accepted} of {outcome.Received} items were accepted and stored; {rejected} were rejected (see errors).",
            Instance = Request.Path,
            Received = outcome.Received,
            Accepted = accepted,
            Rejected = rejected,
            Results = outcome.Results,
            Errors = outcome.Errors,
        };
        problem.Extensions["traceId"] = HttpContext.TraceIdentifier;
        return new ObjectResult(problem)
        {
            StatusCode = StatusCodes.Status422UnprocessableEntity,
            ContentTypes = { "application/problem+json" },
        };
    }
}
