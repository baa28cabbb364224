using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CrmMarketing.Web.Extensions;

/// <summary>A download whose content is written straight to the response body as it is produced,
/// so a large file is never held in memory.</summary>
public sealed class StreamedFileResult(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.ContentType = contentType;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName, FileName = fileName }.ToString();
        response.Headers.CacheControl = "no-store";
        await write(response.Body, context.HttpContext.RequestAborted);
    }
}
