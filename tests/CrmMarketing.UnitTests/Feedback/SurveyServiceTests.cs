using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.ViewModels.Surveys;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Feedback;

public sealed class SurveyServiceTests : IDisposable
{
    private static readonly Actor Marketer = new("marketer", "m@test.local");
    private const string BaseUrl = "https://crm.test";
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<int> CreateSurveyAsync(ScoreScale type = ScoreScale.Nps, string? extraEn = null, string? extraZh = null)
    {
        await using var db = _database.CreateContext();
        return await TestServices.Surveys(db).CreateAsync(new SurveyFormModel
        {
            Name = "After purchase",
            Type = type,
            QuestionEn = "How likely are you to recommend us?",
            QuestionZh = "您有多大可能向朋友推荐我们？",
            ExtraQuestionEn = extraEn,
            ExtraQuestionZh = extraZh,
        }, Marketer, default);
    }

    private async Task<string> InviteAsync(int surveyId, int customerId, InvitationChannel channel = InvitationChannel.Link,
        FixedTimeProvider? time = null, int? campaignId = null)
    {
        await using var db = _database.CreateContext();
        var result = await TestServices.Surveys(db, time).InviteAsync(surveyId,
            new SurveyInviteFormModel { CustomerId = customerId, Channel = channel, Culture = "zh-Hans" }, BaseUrl, Marketer, default, campaignId);
        Assert.Equal(SurveyOutcome.Saved, result.Outcome);
        return result.Url!;
    }

    private static string TokenOf(string url) => Uri.UnescapeDataString(url[(BaseUrl + SurveyService.PublicPathPrefix).Length..]);

    private async Task<SurveyAnswerOutcome> AnswerAsync(string token, int score, string? comment = null, FixedTimeProvider? time = null, FeedbackOptions? options = null)
    {
        await using var db = _database.CreateContext();
        return await TestServices.Surveys(db, time, options).AnswerAsync(token, new SurveyAnswerFormModel { Score = score, Comment = comment }, default);
    }

    [Fact]
    public async Task AnswerAsync_ValidToken_CreatesSurveyFeedbackLinkedToSurveyAndCampaign()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang");
        var survey = await CreateSurveyAsync();
        var url = await InviteAsync(survey, customer.Id, campaignId: 42);

        var outcome = await AnswerAsync(TokenOf(url), 9, "  Friendly staff  ");

        Assert.Equal(SurveyAnswerOutcome.Saved, outcome);
        await using var db = _database.CreateContext();
        var entry = await db.Feedback.AsNoTracking().SingleAsync();
        Assert.Equal((customer.Id, 9, ScoreScale.Nps, FeedbackChannel.Survey, survey, 42, "Friendly staff"),
            (entry.CustomerId, entry.Score, entry.Scale, entry.Channel, entry.SurveyId, entry.CampaignId, entry.Content));
        var invitation = await db.SurveyInvitations.AsNoTracking().SingleAsync();
        Assert.Equal(TestServices.Now.UtcDateTime, invitation.AnsweredAt);
        Assert.Equal(entry.Id, invitation.FeedbackId);
        Assert.Equal(0, await db.FollowUpTasks.CountAsync());
    }

    [Fact]
    public async Task AnswerAsync_SecondAnswerWithSameToken_IsAlreadyAnswered()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang");
        var url = await InviteAsync(await CreateSurveyAsync(), customer.Id);

        Assert.Equal(SurveyAnswerOutcome.Saved, await AnswerAsync(TokenOf(url), 10));
        Assert.Equal(SurveyAnswerOutcome.AlreadyAnswered, await AnswerAsync(TokenOf(url), 0));

        await using var db = _database.CreateContext();
        Assert.Equal(10, (await db.Feedback.AsNoTracking().SingleAsync()).Score);
        var page = await TestServices.Surveys(db).GetPageAsync(TokenOf(url), null, chinese: false, default);
        Assert.Equal(SurveyPageState.Answered, page.State);
    }

    [Fact]
    public async Task AnswerAsync_AfterExpiry_IsExpiredAndStoresNothing()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang");
        var url = await InviteAsync(await CreateSurveyAsync(), customer.Id);
        var later = new FixedTimeProvider(TestServices.Now.AddDays(new FeedbackOptions().InvitationValidDays).AddSeconds(1));

        Assert.Equal(SurveyAnswerOutcome.Expired, await AnswerAsync(TokenOf(url), 8, time: later));

        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Feedback.CountAsync());
    }

    [Fact]
    public async Task AnswerAsync_TamperedToken_IsInvalid()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang");
        var token = TokenOf(await InviteAsync(await CreateSurveyAsync(), customer.Id));
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        Assert.Equal(SurveyAnswerOutcome.Invalid, await AnswerAsync(tampered, 8));
        Assert.Equal(SurveyAnswerOutcome.Invalid, await AnswerAsync("not-a-token", 8));
    }

    [Fact]
    public async Task AnswerAsync_ScoreOutsideTheSurveysScale_IsRejected()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang");
        var url = await InviteAsync(await CreateSurveyAsync(ScoreScale.Csat), customer.Id);

        Assert.Equal(SurveyAnswerOutcome.ScoreOutOfRange, await AnswerAsync(TokenOf(url), 9));
        Assert.Equal(SurveyAnswerOutcome.ScoreOutOfRange, await AnswerAsync(TokenOf(url), 0));
        Assert.Equal(SurveyAnswerOutcome.Saved, await AnswerAsync(TokenOf(url), 5));
    }

    [Fact]
    public async Task AnswerAsync_Detractor_OpensFollowUpForCustomersOwner()
    {
        var owner = await AddUserAsync("owner@test.local");
        var customer = await _database.AddCustomerAsync("Wang Fang", c => c.OwnerUserId = owner);
        var url = await InviteAsync(await CreateSurveyAsync(), customer.Id);

        Assert.Equal(SurveyAnswerOutcome.Saved, await AnswerAsync(TokenOf(url), 6, "Too slow"));

        await using var db = _database.CreateContext();
        var task = await db.FollowUpTasks.AsNoTracking().SingleAsync();
        Assert.Equal(owner, task.AssigneeUserId);
        Assert.Equal(FollowUpStatus.Open, task.Status);
        Assert.Equal(TestServices.Now.UtcDateTime.AddDays(new FeedbackOptions().FollowUpDueDays), task.DueAt);
        Assert.Equal("NPS 6/10 (survey)", task.Reason);
        Assert.Equal(owner, (await db.Feedback.AsNoTracking().SingleAsync()).AssigneeUserId);
    }

    [Fact]
    public async Task InviteAsync_Email_QueuesLocalizedMessageWithLinkInOutbox()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang", c => c.Email = "fang@example.com");
        var survey = await CreateSurveyAsync();

        var url = await InviteAsync(survey, customer.Id, InvitationChannel.Email);

        await using var db = _database.CreateContext();
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync();
        Assert.Equal(MessageChannel.Email, message.Channel);
        Assert.Equal("fang@example.com", message.ToAddress);
        Assert.Contains(url, message.TextBody, StringComparison.Ordinal);
        Assert.False(message.IsMarketing);
        Assert.StartsWith(BaseUrl + SurveyService.PublicPathPrefix, url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InviteAsync_SmsWithoutPhone_IsRefused()
    {
        var customer = await _database.AddCustomerAsync("Wang Fang");
        var survey = await CreateSurveyAsync();
        await using var db = _database.CreateContext();

        var result = await TestServices.Surveys(db).InviteAsync(survey,
            new SurveyInviteFormModel { CustomerId = customer.Id, Channel = InvitationChannel.Sms }, BaseUrl, Marketer, default);

        Assert.Equal(SurveyOutcome.NoPhone, result.Outcome);
        Assert.Equal(0, await db.SurveyInvitations.CountAsync());
    }

    [Fact]
    public async Task ListAsync_ResponseRate_IsAnsweredOverInvited()
    {
        var a = await _database.AddCustomerAsync("A");
        var b = await _database.AddCustomerAsync("B");
        var c = await _database.AddCustomerAsync("C");
        var d = await _database.AddCustomerAsync("D");
        var survey = await CreateSurveyAsync();
        var urls = new List<string>();
        foreach (var customer in new[] { a, b, c, d })
        {
            urls.Add(await InviteAsync(survey, customer.Id));
        }

        await AnswerAsync(TokenOf(urls[0]), 10);

        await using var db = _database.CreateContext();
        var row = (await TestServices.Surveys(db).ListAsync(default)).Rows.Single();
        Assert.Equal((4, 1, 25.0), (row.Invited, row.Answered, row.ResponseRate));
    }

    [Fact]
    public async Task GetPageAsync_ShowsQuestionInChosenLanguageAndOnlyTheFirstName()
    {
        var customer = await _database.AddCustomerAsync("张伟", c => c.Email = "zw@example.com");
        var url = await InviteAsync(await CreateSurveyAsync(extraEn: "What should we improve?", extraZh: "我们应该改进什么？"), customer.Id);
        await using var db = _database.CreateContext();

        var zh = await TestServices.Surveys(db).GetPageAsync(TokenOf(url), null, chinese: true, default);
        var en = await TestServices.Surveys(db).GetPageAsync(TokenOf(url), null, chinese: false, default);

        Assert.Equal(SurveyPageState.Open, zh.State);
        Assert.Equal("您有多大可能向朋友推荐我们？", zh.Question);
        Assert.Equal("我们应该改进什么？", zh.ExtraQuestion);
        Assert.Equal("How likely are you to recommend us?", en.Question);
        Assert.Equal("伟", zh.FirstName);
        Assert.Equal((0, 10), (zh.MinScore, zh.MaxScore));
    }

    [Theory]
    [InlineData("Wang Fang", "Wang")]
    [InlineData("张伟", "伟")]
    [InlineData("Madonna", "Madonna")]
    [InlineData(" ", null)]
    public void FirstName_ShowsOnlyTheGivenPart(string name, string? expected)
    {
        Assert.Equal(expected, SurveyService.FirstName(name));
    }

    private async Task<string> AddUserAsync(string email)
    {
        await using var db = _database.CreateContext();
        var user = new ApplicationUser { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), DisplayName = "Owner", CreatedAt = DateTime.UtcNow };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }
}
