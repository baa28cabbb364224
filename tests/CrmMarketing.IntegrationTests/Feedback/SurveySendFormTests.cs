using System.Globalization;
using System.Net;
using CrmMarketing.IntegrationTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmMarketing.IntegrationTests.Feedback;

/// <summary>"Send survey to a segment" and templates for survey invitations, through the real forms.</summary>
public sealed class SurveySendFormTests(CrmWebApplicationFactory factory) : IClassFixture<CrmWebApplicationFactory>
{
    private const string SendPage = "/Surveys/SendToSegment";

    private async Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A survey, a static segment with two opted-in members (one archived) and an email template.</summary>
    private Task<(int Survey, int Segment, int Template, int Other, int Member, int Archived)> ArrangeAsync(string templateHtml) => WithDbAsync(async db =>
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var survey = new Survey { Name = "Segment NPS " + tag, Type = ScoreScale.Nps, QuestionEn = "Recommend us?", QuestionZh = "推荐我们吗？", CreatedAt = now, UpdatedAt = now };
        Customer Member(string name, bool archived) => new()
        {
            Name = name + " " + tag,
            NameKey = Customer.KeyOf(name + " " + tag),
            Email = $"{name.ToLowerInvariant()}.{tag}@example.com",
            EmailKey = Customer.KeyOf($"{name.ToLowerInvariant()}.{tag}@example.com"),
            EmailConsent = ConsentState.OptedIn,
            IsArchived = archived,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        var member = Member("Member", archived: false);
        var archived = Member("Archived", archived: true);
        var segment = new Segment { Name = "Segment " + tag, Kind = SegmentKind.Static, CreatedAt = now, UpdatedAt = now, MemberCount = 2 };
        var template = new MessageTemplate { Name = "Survey mail " + tag, Channel = MessageChannel.Email, Subject = "Tell us", HtmlBody = templateHtml, CreatedAt = now, UpdatedAt = now };
        var other = new MessageTemplate { Name = "Survey SMS " + tag, Channel = MessageChannel.Sms, TextBody = "Rate us {{survey_url}}", CreatedAt = now, UpdatedAt = now };
        db.AddRange(survey, member, archived, segment, template, other);
        await db.SaveChangesAsync();
        db.SegmentMembers.AddRange(new SegmentMember { SegmentId = segment.Id, CustomerId = member.Id, AddedAt = now },
            new SegmentMember { SegmentId = segment.Id, CustomerId = archived.Id, AddedAt = now });
        await db.SaveChangesAsync();
        return (survey.Id, segment.Id, template.Id, other.Id, member.Id, archived.Id);
    });

    [Fact]
    public async Task SendToSegment_Marketer_QueuesInvitationsOnceAndListsTheSend()
    {
        var a = await ArrangeAsync("<p>Hello {{name}}, <a href=\"{{survey_url}}\">two minutes</a>?</p>");
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);
        using var page = await marketer.GetAsync($"{SendPage}?surveyId={Id(a.Survey)}");
        var document = await HtmlPage.ParseAsync(page);
        CspAssert.NoInlineCode(document, SendPage);
        Assert.NotNull(document.QuerySelector($"#send-template option[value='{Id(a.Template)}']"));
        var form = (AngleSharp.Html.Dom.IHtmlFormElement)document.QuerySelector("#survey-send-form")!;
        var fields = HtmlPage.GetFormValues(form);
        fields["Form.SegmentId"] = Id(a.Segment);
        fields["Form.TemplateId"] = Id(a.Template);
        fields["Form.Channel"] = "Email";

        using var sent = await marketer.PostAsync(HtmlPage.GetFormAction(form, SendPage), new FormUrlEncodedContent(fields));
        using var again = await marketer.PostAsync(HtmlPage.GetFormAction(form, SendPage), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"/Surveys/Details/{Id(a.Survey)}", sent.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var messages = await WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.CustomerId == a.Member || m.CustomerId == a.Archived).ToListAsync());
        var message = Assert.Single(messages);
        Assert.Equal(a.Member, message.CustomerId);
        Assert.Contains("/s/", message.HtmlBody, StringComparison.Ordinal);
        Assert.True(message.IsMarketing);

        using var details = await marketer.GetAsync(sent.Headers.Location);
        var detailsPage = await HtmlPage.ParseAsync(details);
        Assert.Contains("This survey was already sent", detailsPage.QuerySelector("#status-message")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", detailsPage.QuerySelector("#send-table .send-queued")?.TextContent.Trim());
        Assert.Equal("1", detailsPage.QuerySelector("#send-table .send-skipped")?.TextContent.Trim());
        Assert.Equal("1", detailsPage.QuerySelector("#survey-invited")?.TextContent.Trim());
    }

    [Fact]
    public async Task SendToSegment_TemplateWithoutSurveyUrl_ReRendersWithMessageAndSendsNothing()
    {
        var a = await ArrangeAsync("<p>Hello {{name}}, no link here.</p>");
        using var admin = await factory.CreateClientForRoleAsync(Roles.Admin);

        using var response = await admin.SubmitFormAsync(SendPage, "#survey-send-form",
            [new("Form.SurveyId", Id(a.Survey)), new("Form.SegmentId", Id(a.Segment)), new("Form.Channel", "Email"), new("Form.TemplateId", Id(a.Template))]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The template must contain {{survey_url}}.", html, StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.SurveyInvitations.CountAsync(i => i.SurveyId == a.Survey)));
    }

    [Fact]
    public async Task SendToSegment_MissingSegmentAndWrongChannelTemplate_ShowFieldMessages()
    {
        var a = await ArrangeAsync("<p>{{survey_url}}</p>");
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var missing = await marketer.SubmitFormAsync(SendPage, "#survey-send-form",
            [new("Form.SurveyId", Id(a.Survey)), new("Form.SegmentId", ""), new("Form.Channel", "Email")]);
        using var wrongChannel = await marketer.SubmitFormAsync(SendPage, "#survey-send-form",
            [new("Form.SurveyId", Id(a.Survey)), new("Form.SegmentId", Id(a.Segment)), new("Form.Channel", "Email"), new("Form.TemplateId", Id(a.Other))]);
        using var linkChannel = await marketer.SubmitFormAsync(SendPage, "#survey-send-form",
            [new("Form.SurveyId", Id(a.Survey)), new("Form.SegmentId", Id(a.Segment)), new("Form.Channel", "Link")]);

        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("Choose a segment.", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, wrongChannel.StatusCode);
        Assert.Contains("The template is for the other channel.", await wrongChannel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, linkChannel.StatusCode);
        Assert.Contains("Choose e-mail or SMS.", await linkChannel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.SurveyInvitations.CountAsync(i => i.SurveyId == a.Survey)));
    }

    [Fact]
    public async Task SendToSegment_Sales_IsDenied()
    {
        var a = await ArrangeAsync("<p>{{survey_url}}</p>");
        using var sales = await factory.CreateClientForRoleAsync(Roles.Sales);

        using var page = await sales.GetAsync(SendPage);
        using var post = await sales.PostFormAsync(SendPage,
            [new("Form.SurveyId", Id(a.Survey)), new("Form.SegmentId", Id(a.Segment)), new("Form.Channel", "Email"), new("Form.Key", Guid.NewGuid().ToString("N"))]);

        Assert.True(HttpClientExtensions.IsRedirectTo(page, HttpClientExtensions.AccessDeniedPath));
        Assert.True(HttpClientExtensions.IsRedirectTo(post, HttpClientExtensions.AccessDeniedPath));
        Assert.Equal(0, await WithDbAsync(db => db.SurveyInvitations.CountAsync(i => i.SurveyId == a.Survey)));
    }

    [Fact]
    public async Task Invite_OneCustomerWithTemplateLackingSurveyUrl_ShowsMessage()
    {
        var a = await ArrangeAsync("<p>No link.</p>");
        using var marketer = await factory.CreateClientForRoleAsync(Roles.Marketer);

        using var response = await marketer.SubmitFormAsync($"/Surveys/Details/{Id(a.Survey)}", "#survey-invite-form",
            [new("Invite.CustomerId", Id(a.Member)), new("Invite.Channel", "Email"), new("Invite.TemplateId", Id(a.Template))]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The template must contain {{survey_url}}.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await WithDbAsync(db => db.SurveyInvitations.CountAsync(i => i.SurveyId == a.Survey)));
    }
}
