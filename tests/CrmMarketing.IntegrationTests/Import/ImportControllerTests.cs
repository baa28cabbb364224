using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Import;

public sealed class ImportControllerTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName = "customers.csv")
    {
        var token = await client.GetAntiforgeryTokenAsync("/Import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), HtmlPage.AntiforgeryFieldName },
            { new StringContent(nameof(ImportEntityType.Customers)), "EntityType" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "File", fileName);
        return await client.PostAsync("/Import/Upload", form);
    }

    [Theory]
    [InlineData("", "Choose a CSV file.")]
    [InlineData("\uFEFF", "The file is empty.")]
    [InlineData("Name,Email,name\nA,a@example.com,B\n", "appears twice")]
    [InlineData("\u0000\u0001\u0002binary", "The file is not a text (CSV) file.")]
    public async Task Upload_MalformedFile_ShowsTheReasonNot500(string content, string expected)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await UploadAsync(client, Encoding.UTF8.GetBytes(content));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(expected), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ChineseHeaders_RedirectsToAutomaticMappingAndProgressIsJson()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await UploadAsync(client, Encoding.UTF8.GetBytes("姓名,手机,邮箱,城市\n王芳,13812345678,wf@example.com,上海\n"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var mapUrl = response.Headers.Location!.OriginalString;
        Assert.Matches("^/Import/Map/[0-9]+$", mapUrl);
        using var map = await client.GetAsync(mapUrl);
        var page = await HtmlPage.ParseAsync(map);
        Assert.Equal("email", page.QuerySelector("#map-2 option[selected]")?.GetAttribute("value"));
        Assert.Contains("王芳", page.QuerySelector("#import-preview")!.TextContent, StringComparison.Ordinal);

        var id = mapUrl[(mapUrl.LastIndexOf('/') + 1)..];
        using var progress = await client.GetAsync($"/Import/Progress/{id}");
        Assert.Equal("application/json", progress.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"working\":false", await progress.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Details_UnknownOrMalformedId_Is4xx()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);
        using var missing = await client.GetAsync("/Import/Details/999999");
        using var malformed = await client.GetAsync("/Import/Details/abc");
        using var report = await client.GetAsync("/Import/Report/1?phase=Nope");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, report.StatusCode);
    }
}
