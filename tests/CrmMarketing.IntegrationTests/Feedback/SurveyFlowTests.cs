using System.Net;
using AngleSharp.Html.Dom;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Feedback;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Feedback;

public sealed class SurveyFlowTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private const string Hostile = "<script>alert('survey')</script> courier was rude";

    private async Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    private async Task<int> CreateCustomerAsync(string name, string? email = null)
    {
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        var fields = new List<KeyValuePair<string, string>> { new("Form.Name", name) };
        if (email is not null)
        {
            fields.Add(new("Form.Email", email));
        }

        using var response = await admin.SubmitFormAsync("/Customers/Create", "#customer-form", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('?')[0].Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<int> CreateSurveyAsync(HttpClient marketer, string type = "Nps")
    {
        using var response = await marketer.SubmitFormAsync("/Surveys/Create", "#survey-edit-form",
        [
            new("Form.Name", "NPS " + Guid.NewGuid().ToString("N")[..6]),
            new("Form.Type", type),
            new("Form.QuestionEn", "How likely are you to recommend us?"),
            new("Form.QuestionZh", "您有多大可能向朋友推荐我们？"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Invites by link from the survey page and returns the path of the link shown there.</summary>
    private static async Task<string> InviteByLinkAsync(HttpClient marketer, int surveyId, int customerId)
    {
        using var response = await marketer.SubmitFormAsync($"/Surveys/Details/{surveyId}", "#survey-invite-form",
            [new("Invite.CustomerId", customerId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Invite.Channel", "Link"), new("Invite.Culture", "en")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var page = await marketer.GetAsync(response.Headers.Location);
        var document = await HtmlPage.ParseAsync(page);
        var link = (document.QuerySelector("#survey-link-input") as IHtmlInputElement)?.Value;
        Assert.False(string.IsNullOrEmpty(link), "The survey page shows the new link.");
        return new Uri(link!).AbsolutePath;
    }

    [Fact]
    public async Task PublicPage_Anonymous_AnswerBecomesFeedbackAndFollowUp_ShownEncodedEverywhere()
    {
        var customerId = await CreateCustomerAsync("Zhang Min " + Guid.NewGuid().ToString("N")[..6], "zhang.min@example.com");
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var surveyId = await CreateSurveyAsync(marketer);
        var path = await InviteByLinkAsync(marketer, surveyId, customerId);
        using var anonymous = factory.CreateAnonymousClient(allowAutoRedirect: true);

        using var page = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("culture=en", page.RequestMessage!.RequestUri!.Query, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        var document = HtmlPage.Parse(html);
        CspAssert.NoInlineCode(document, path);
        Assert.Equal("How likely are you to recommend us?", document.QuerySelector("#survey-question")?.TextContent.Trim());
        Assert.Contains("Hello Zhang!", html, StringComparison.Ordinal);
        // Nothing else: no navigation, no account menu, no customer details beyond the first name.
        Assert.Null(document.QuerySelector(".navbar"));
        Assert.DoesNotContain("zhang.min@example.com", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Zhang Min", html, StringComparison.Ordinal);
        Assert.Empty(document.QuerySelectorAll("a[href^='/Customers'], a[href^='/Feedback'], a[href^='/Account']"));
        Assert.Equal(11, document.QuerySelectorAll("input[name='Score']").Length);

        using var answer = await anonymous.SubmitFormAsync(page.RequestMessage.RequestUri.PathAndQuery, "#survey-form",
            [new("Score", "3"), new("Comment", Hostile)]);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.NotNull((await HtmlPage.ParseAsync(answer)).QuerySelector("#survey-thanks"));

        using var again = await anonymous.GetAsync(path);
        Assert.NotNull((await HtmlPage.ParseAsync(again)).QuerySelector("#survey-answered"));

        var entry = await WithDbAsync(db => db.Feedback.AsNoTracking().SingleAsync(f => f.SurveyId == surveyId));
        Assert.Equal((3, ScoreScale.Nps, FeedbackChannel.Survey, Hostile), (entry.Score, entry.Scale, entry.Channel, entry.Content));
        Assert.True(await WithDbAsync(db => db.FollowUpTasks.AnyAsync(t => t.FeedbackId == entry.Id)));

        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);
        foreach (var url in new[] { $"/Customers/Details/{customerId}", "/Feedback", "/Feedback/Analytics", "/FollowUps?all=true", $"/Surveys/Details/{surveyId}" })
        {
            using var view = await admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
            var viewHtml = await view.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>alert('survey')", viewHtml, StringComparison.Ordinal);
            CspAssert.NoInlineCode(HtmlPage.Parse(viewHtml), url);
            if (url != $"/Surveys/Details/{surveyId}")
            {
                Assert.Contains("&lt;script&gt;alert", viewHtml, StringComparison.Ordinal);
            }
        }

        using var followUps = await admin.GetAsync("/FollowUps?all=true");
        var followUpPage = await HtmlPage.ParseAsync(followUps);
        Assert.Contains(followUpPage.QuerySelectorAll(".follow-up-comment"), c => c.TextContent.Contains(Hostile, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublicPage_TamperedToken_IsFriendly400()
    {
        var customerId = await CreateCustomerAsync("Tamper " + Guid.NewGuid().ToString("N")[..6]);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var path = await InviteByLinkAsync(marketer, await CreateSurveyAsync(marketer), customerId);
        var tampered = path[..^3] + (path[^3] == 'x' ? "y" : "x") + path[^2..];
        using var anonymous = factory.CreateAnonymousClient(allowAutoRedirect: true);

        using var response = await anonymous.GetAsync(tampered + "?culture=en");
        using var post = await anonymous.PostFormAsync(tampered + "?culture=en", [new("Score", "10")], tokenPageUrl: path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await HtmlPage.ParseAsync(response)).QuerySelector("#survey-invalid"));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(0, await WithDbAsync(db => db.Feedback.CountAsync(f => f.CustomerId == customerId)));
    }

    [Fact]
    public async Task PublicPage_ExpiredToken_IsFriendly400AndTakesNoAnswer()
    {
        var customerId = await CreateCustomerAsync("Expired " + Guid.NewGuid().ToString("N")[..6]);
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        var surveyId = await CreateSurveyAsync(marketer);
        var expiredAt = DateTime.UtcNow.AddMinutes(-1);
        var tokenId = SurveyTokens.NewTokenId();
        await WithDbAsync(async db =>
        {
            db.SurveyInvitations.Add(new SurveyInvitation
            {
                SurveyId = surveyId,
                CustomerId = customerId,
                TokenId = tokenId,
                Culture = "en",
                CreatedAt = expiredAt.AddDays(-30),
                ExpiresAt = expiredAt,
            });
            return await db.SaveChangesAsync();
        });
        var token = factory.Services.GetRequiredService<SurveyTokens>().Protect(tokenId, expiredAt);
        var path = "/s/" + Uri.EscapeDataString(token);
        using var anonymous = factory.CreateAnonymousClient(allowAutoRedirect: true);

        using var response = await anonymous.GetAsync(path + "?culture=en");
        using var post = await anonymous.PostFormAsync(path + "?culture=en", [new("Score", "10")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await HtmlPage.ParseAsync(response)).QuerySelector("#survey-expired"));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(0, await WithDbAsync(db => db.Feedback.CountAsync(f => f.CustomerId == customerId)));
    }

    [Fact]
    public async Task Surveys_Sales_IsDeniedButSeesOwnFollowUps()
    {
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var surveys = await sales.GetAsync("/Surveys");
        using var followUps = await sales.GetAsync("/FollowUps");

        Assert.True(HttpClientExtensions.IsRedirectTo(surveys, HttpClientExtensions.AccessDeniedPath));
        Assert.Equal(HttpStatusCode.OK, followUps.StatusCode);
    }
}
