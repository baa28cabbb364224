using System.Diagnostics;
using CrmMarketing.Web.ViewModels.Home;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CrmMarketing.Web.Controllers;

/// <summary>Error and status pages. They never show exception text.</summary>
[AllowAnonymous]
public class HomeController : Controller
{
    [Route("Home/Error")]
    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    [IgnoreAntiforgeryToken]
    public IActionResult Error() =>
        View(new ErrorViewModel(Activity.Current?.Id ?? HttpContext.TraceIdentifier, StatusCodes.Status500InternalServerError));

    [Route("Home/Status/{code:int}")]
    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    [IgnoreAntiforgeryToken]
    public IActionResult Status(int code) =>
        View("Error", new ErrorViewModel(Activity.Current?.Id ?? HttpContext.TraceIdentifier, code));
}
