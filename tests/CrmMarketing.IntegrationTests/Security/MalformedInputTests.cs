using System.Net;
using System.Text;

using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.IntegrationTests.Security;

/// <summary>Tampered ids, paging and sorting parameters are the client's mistake: 400 or 404, never 500.</summary>
public sealed class MalformedInputTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    public static TheoryData<string> MalformedGets =>
    [
        "/Customers/Details/abc",
        "/Customers/Details/99999999",
        "/Customers/Details/-1",
        "/Customers/Details/99999999999999999999",
        "/Customers/Edit/abc",
        "/Customers/Edit/99999999",
        "/Customers/RecordPurchase/abc",
        "/Customers/RecordPurchase/99999999",
        "/Customers/Details/1?page=-1",
        "/Customers/Details/1?page=abc",
        "/Customers/Timeline/1?before=-5",
        "/Customers/Timeline/1?before=abc",
        "/Customers?page=-1",
        "/Customers?page=0",
        "/Customers?page=abc",
        "/Customers?page=999999999",
        "/Customers?size=7",
        "/Customers?size=abc",
        "/Customers?sort=NoSuchColumn",
        "/Customers?sort=99",
        "/Customers?consent=42",
        "/Customers?after=garbage",
        "/Customers?before=garbage",
        "/Customers?after=%00%FF%FE",
        "/Customers?after=" + ForeignCursor,
        "/Customers?after=" + ForeignCursor + "&before=" + ForeignCursor,
        "/Customers?q=" + LongText,
    ];

    /// <summary>A well-formed cursor of the Created sort order, offered to the default Name order.</summary>
    private static string ForeignCursor => Convert.ToBase64String(Encoding.UTF8.GetBytes("1|5|=638000000000000000"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string LongText => new('x', 500);

    [Theory]
    [MemberData(nameof(MalformedGets))]
    public async Task Get_MalformedInput_Returns400Or404(string url)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
            $"GET {url} returned {(int)response.StatusCode}; expected 400 or 404.");
        await CspAssert.NoInlineCodeAsync(response);
    }

    [Theory]
    [InlineData("/Customers/Edit/abc")]
    [InlineData("/Customers/Edit/99999999")]
    public async Task PostEdit_MalformedOrUnknownId_Returns400Or404(string url)
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.PostFormAsync(url, [new("Form.Name", "Nobody"), new("Form.Version", "1")]);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
            $"POST {url} returned {(int)response.StatusCode}; expected 400 or 404.");
    }

    [Fact]
    public async Task PostCreate_MalformedFields_IsNotSavedAndNeverFails()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await client.PostFormAsync("/Customers/Create",
        [
            new("Form.Name", new string('n', 5000)),
            new("Form.Email", "not-an-email"),
            new("Form.Phone", "<script>alert(1)</script>"),
            new("Form.Gender", "NotAGender"),
            new("Form.BirthDate", "32/13/-5"),
            new("Form.EmailConsent", "99"),
            new("Form.Version", "garbage"),
            new("Form.Tags", string.Join(',', Enumerable.Range(0, 500))),
        ]);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest,
            $"POST /Customers/Create returned {(int)response.StatusCode} {response.Headers.Location}; expected the form again (200) or 400.");
        await CspAssert.NoInlineCodeAsync(response);
    }

    [Fact]
    public async Task CustomerList_ValidQuery_Returns200()
    {
        using var client = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var response = await client.GetAsync("/Customers?size=50&sort=Created&desc=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await CspAssert.NoInlineCodeAsync(response);
    }
}
