using System.Globalization;
using System.Text.RegularExpressions;
using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Feedback;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.ViewModels.Surveys;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Feedback;

/// <summary>Survey invitations through message templates, for one customer and for a segment.</summary>
public sealed partial class SurveySendServiceTests : IDisposable
{
    private static readonly Actor Marketer = new("marketer", "m@test.local");
    private const string BaseUrl = "https://crm.test";
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<int> CreateSurveyAsync()
    {
        await using var db = _database.CreateContext();
        return await TestServices.Surveys(db).CreateAsync(new SurveyFormModel
        {
            Name = "After purchase",
            Type = ScoreScale.Nps,
            QuestionEn = "How likely are you to recommend us?",
            QuestionZh = "您有多大可能向朋友推荐我们？",
        }, Marketer, default);
    }

    private async Task<int> AddTemplateAsync(MessageChannel channel, string? html, string? text, string subject = "Your opinion, {{name}}")
    {
        await using var db = _database.CreateContext();
        var template = new MessageTemplate
        {
            Name = "T " + Guid.NewGuid().ToString("N")[..6],
            Channel = channel,
            Subject = channel == MessageChannel.Email ? subject : null,
            HtmlBody = html,
            TextBody = text,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync();
        return template.Id;
    }

    private async Task<int> AddSegmentAsync(params int[] customerIds)
    {
        await using var db = _database.CreateContext();
        var segment = new Segment { Name = "S " + Guid.NewGuid().ToString("N")[..6], Kind = SegmentKind.Static, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, MemberCount = customerIds.Length };
        db.Segments.Add(segment);
        await db.SaveChangesAsync();
        db.SegmentMembers.AddRange(customerIds.Select(id => new SegmentMember { SegmentId = segment.Id, CustomerId = id, AddedAt = DateTime.UtcNow }));
        await db.SaveChangesAsync();
        return segment.Id;
    }

    private async Task<int> AddActivityAsync()
    {
        await using var db = _database.CreateContext();
        var activity = new MarketingActivity
        {
            Name = "Spring survey",
            Type = ActivityType.Email,
            Status = ActivityStatus.Running,
            StartDate = new DateOnly(2026, 6, 1),
            EndDate = new DateOnly(2026, 6, 30),
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        db.MarketingActivities.Add(activity);
        await db.SaveChangesAsync();
        return activity.Id;
    }

    private Task<Customer> AddOptedInAsync(string name, string? email = null, string? phone = null, Action<Customer>? more = null) =>
        _database.AddCustomerAsync(name, c =>
        {
            c.Email = email ?? name.ToLowerInvariant().Replace(' ', '.') + "@example.com";
            c.EmailKey = Customer.KeyOf(c.Email);
            c.EmailConsent = ConsentState.OptedIn;
            c.Phone = phone;
            c.SmsConsent = phone is null ? ConsentState.Unknown : ConsentState.OptedIn;
            more?.Invoke(c);
        });

    private async Task<SurveySendResult> SendAsync(SurveySendFormModel form)
    {
        await using var db = _database.CreateContext();
        return await TestServices.SurveySends(db).SendAsync(form, BaseUrl, Marketer, default);
    }

    /// <summary>The survey link in a rendered message, as the token the public page reads.</summary>
    private static string TokenIn(string body)
    {
        var match = SurveyLink().Match(body);
        Assert.True(match.Success, "The message carries a survey link: " + body);
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    [GeneratedRegex(@"https://crm\.test/s/([A-Za-z0-9%_\-]+)")]
    private static partial Regex SurveyLink();

    private async Task<SurveyPageState> PageStateAsync(string token)
    {
        await using var db = _database.CreateContext();
        return (await TestServices.Surveys(db).GetPageAsync(token, null, chinese: false, default)).State;
    }

    [Fact]
    public async Task InviteAsync_EmailTemplate_FillsSurveyUrlWithTheRecipientsSignedLink()
    {
        var customer = await AddOptedInAsync("Wang Fang");
        var survey = await CreateSurveyAsync();
        var template = await AddTemplateAsync(MessageChannel.Email, "<p>Dear {{name}}, <a href=\"{{survey_url}}\">tell us</a></p>", null);

        await using (var db = _database.CreateContext())
        {
            var result = await TestServices.Surveys(db).InviteAsync(survey,
                new SurveyInviteFormModel { CustomerId = customer.Id, Channel = InvitationChannel.Email, TemplateId = template, Culture = "en" }, BaseUrl, Marketer, default);
            Assert.Equal(SurveyOutcome.Saved, result.Outcome);
        }

        await using var read = _database.CreateContext();
        var message = await read.OutboxMessages.AsNoTracking().SingleAsync();
        Assert.Equal((template, "Your opinion, Wang Fang", "wang.fang@example.com"), ((int?)message.TemplateId, message.Subject, message.ToAddress));
        Assert.DoesNotContain("{{", message.HtmlBody, StringComparison.Ordinal);
        var token = TokenIn(message.HtmlBody!);
        Assert.Equal(token, TokenIn(message.TextBody!));
        Assert.Equal(SurveyPageState.Open, await PageStateAsync(token));
        var invitation = await read.SurveyInvitations.AsNoTracking().SingleAsync();
        Assert.Equal(customer.Id, invitation.CustomerId);
        // A transactional template to one customer: no unsubscribe footer, no consent needed.
        Assert.False(message.IsMarketing);
    }

    [Fact]
    public async Task InviteAsync_SmsTemplate_PutsTheLinkInTheText()
    {
        var customer = await AddOptedInAsync("Li Lei", phone: "+8613812345678");
        var survey = await CreateSurveyAsync();
        var template = await AddTemplateAsync(MessageChannel.Sms, null, "{{name}}, rate us: {{survey_url}}");

        await using (var db = _database.CreateContext())
        {
            var result = await TestServices.Surveys(db).InviteAsync(survey,
                new SurveyInviteFormModel { CustomerId = customer.Id, Channel = InvitationChannel.Sms, TemplateId = template }, BaseUrl, Marketer, default);
            Assert.Equal(SurveyOutcome.Saved, result.Outcome);
        }

        await using var read = _database.CreateContext();
        var message = await read.OutboxMessages.AsNoTracking().SingleAsync();
        Assert.Equal((MessageChannel.Sms, "+8613812345678"), (message.Channel, message.ToAddress));
        Assert.StartsWith("Li Lei, rate us: https://crm.test/s/", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(SurveyPageState.Open, await PageStateAsync(TokenIn(message.TextBody!)));
    }

    [Theory]
    [InlineData("<p>Tell us how we did.</p>", null)]
    [InlineData("<p><a href=\"{{survey_url}}\">Tell us</a></p>", "Tell us how we did (no link here).")]
    public async Task InviteAsync_TemplateWithoutSurveyUrl_IsRefusedAndQueuesNothing(string html, string? text)
    {
        var customer = await AddOptedInAsync("Wang Fang");
        var survey = await CreateSurveyAsync();
        var template = await AddTemplateAsync(MessageChannel.Email, html, text);
        await using var db = _database.CreateContext();

        var result = await TestServices.Surveys(db).InviteAsync(survey,
            new SurveyInviteFormModel { CustomerId = customer.Id, Channel = InvitationChannel.Email, TemplateId = template }, BaseUrl, Marketer, default);

        Assert.Equal(SurveyOutcome.TemplateWithoutSurveyUrl, result.Outcome);
        Assert.Equal(0, await db.SurveyInvitations.CountAsync());
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task InviteAsync_TemplateOfTheOtherChannel_IsRefused()
    {
        var customer = await AddOptedInAsync("Wang Fang");
        var survey = await CreateSurveyAsync();
        var sms = await AddTemplateAsync(MessageChannel.Sms, null, "Rate us: {{survey_url}}");
        await using var db = _database.CreateContext();

        var result = await TestServices.Surveys(db).InviteAsync(survey,
            new SurveyInviteFormModel { CustomerId = customer.Id, Channel = InvitationChannel.Email, TemplateId = sms }, BaseUrl, Marketer, default);

        Assert.Equal(SurveyOutcome.TemplateWrongChannel, result.Outcome);
        Assert.Equal(0, await db.SurveyInvitations.CountAsync());
    }

    [Fact]
    public async Task InviteAsync_MarketingTemplateWithoutConsent_IsRefused()
    {
        var customer = await AddOptedInAsync("Wang Fang", more: c => c.EmailConsent = ConsentState.OptedOut);
        var survey = await CreateSurveyAsync();
        var template = await AddTemplateAsync(MessageChannel.Email, "<p>{{survey_url}}</p>", null);
        await using (var write = _database.CreateContext())
        {
            await write.MessageTemplates.Where(t => t.Id == template).ExecuteUpdateAsync(u => u.SetProperty(t => t.IsMarketing, true));
        }

        await using var db = _database.CreateContext();
        var result = await TestServices.Surveys(db).InviteAsync(survey,
            new SurveyInviteFormModel { CustomerId = customer.Id, Channel = InvitationChannel.Email, TemplateId = template }, BaseUrl, Marketer, default);

        Assert.Equal(SurveyOutcome.NoConsent, result.Outcome);
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task SendAsync_Segment_SkipsArchivedUnconsentedSuppressedAndAddresslessMembers()
    {
        var ok1 = await AddOptedInAsync("Ok One");
        var ok2 = await AddOptedInAsync("Ok Two");
        var archived = await AddOptedInAsync("Archived", more: c => c.IsArchived = true);
        var optedOut = await AddOptedInAsync("Opted Out", more: c => c.EmailConsent = ConsentState.OptedOut);
        var unknown = await AddOptedInAsync("Never Asked", more: c => c.EmailConsent = ConsentState.Unknown);
        var suppressed = await AddOptedInAsync("Bounced");
        var noEmail = await AddOptedInAsync("No Email", more: c => { c.Email = null; c.EmailKey = null; });
        var badEmail = await AddOptedInAsync("Bad Email", email: "not-an-address");
        var outsider = await AddOptedInAsync("Not A Member");
        await using (var db = _database.CreateContext())
        {
            await new SuppressionService(db, TimeProvider.System).AddAsync(MessageChannel.Email, "BOUNCED@example.com", SuppressionReason.HardBounce, default);
        }

        var segment = await AddSegmentAsync(ok1.Id, ok2.Id, archived.Id, optedOut.Id, unknown.Id, suppressed.Id, noEmail.Id, badEmail.Id);
        var survey = await CreateSurveyAsync();
        var template = await AddTemplateAsync(MessageChannel.Email, "<p>Hi {{name}}: <a href=\"{{survey_url}}\">survey</a></p>", null);
        var activity = await AddActivityAsync();
        var key = SurveySendService.NewKey();

        var result = await SendAsync(new SurveySendFormModel
        {
            SurveyId = survey,
            SegmentId = segment,
            Channel = InvitationChannel.Email,
            TemplateId = template,
            CampaignId = activity,
            Culture = "en",
            Key = key,
        });

        Assert.Equal((SurveySendOutcome.Sent, 2, 6, false), (result.Outcome, result.Queued, result.Skipped, result.Repeated));
        await using var read = _database.CreateContext();
        var invitations = await read.SurveyInvitations.AsNoTracking().OrderBy(i => i.CustomerId).ToListAsync();
        Assert.Equal([ok1.Id, ok2.Id], invitations.Select(i => i.CustomerId));
        Assert.All(invitations, i => Assert.Equal((result.SendId, (int?)activity, "en"), (i.SendId!.Value, i.CampaignId, i.Culture)));
        var messages = await read.OutboxMessages.AsNoTracking().OrderBy(m => m.CustomerId).ToListAsync();
        Assert.Equal(
            [$"survey:{survey}:{ok1.Id}:{result.SendId}", $"survey:{survey}:{ok2.Id}:{result.SendId}"],
            messages.Select(m => m.IdempotencyKey));
        Assert.All(messages, m =>
        {
            // A survey sent as a campaign is marketing: consent at send time and an unsubscribe link.
            Assert.True(m.IsMarketing);
            Assert.Equal((long?)activity, m.CampaignId);
            Assert.Equal((long?)template, m.TemplateId);
            Assert.NotNull(m.UnsubscribeUrl);
        });
        Assert.Equal(SurveyPageState.Open, await PageStateAsync(TokenIn(messages[0].HtmlBody!)));
        Assert.NotEqual(TokenIn(messages[0].HtmlBody!), TokenIn(messages[1].HtmlBody!));
        Assert.DoesNotContain(messages, m => m.CustomerId == outsider.Id);
        var send = await read.SurveySends.AsNoTracking().SingleAsync();
        Assert.Equal((8, 2, 6), (send.MemberCount, send.QueuedCount, send.SkippedCount));
        Assert.NotNull(send.CompletedAt);
    }

    [Fact]
    public async Task SendAsync_SameFormTwice_SendsOnce()
    {
        var a = await AddOptedInAsync("Ok One");
        var b = await AddOptedInAsync("Ok Two");
        var segment = await AddSegmentAsync(a.Id, b.Id);
        var survey = await CreateSurveyAsync();
        var form = new SurveySendFormModel { SurveyId = survey, SegmentId = segment, Channel = InvitationChannel.Email, Key = SurveySendService.NewKey() };

        var first = await SendAsync(form);
        var second = await SendAsync(form);

        Assert.Equal((2, false), (first.Queued, first.Repeated));
        Assert.Equal((first.SendId, 2, true), (second.SendId, second.Queued, second.Repeated));
        await using var read = _database.CreateContext();
        Assert.Equal(2, await read.SurveyInvitations.CountAsync());
        Assert.Equal(2, await read.OutboxMessages.CountAsync());
        Assert.Equal(1, await read.SurveySends.CountAsync());
    }

    [Fact]
    public async Task SendAsync_InterruptedSendRetried_InvitesOnlyTheRestAndNobodyTwice()
    {
        var customers = new List<Customer>();
        for (var i = 0; i < 5; i++)
        {
            customers.Add(await AddOptedInAsync("Member " + i.ToString(CultureInfo.InvariantCulture)));
        }

        var segment = await AddSegmentAsync(customers.Select(c => c.Id).ToArray());
        var survey = await CreateSurveyAsync();
        var form = new SurveySendFormModel { SurveyId = survey, SegmentId = segment, Channel = InvitationChannel.Email, Key = SurveySendService.NewKey() };
        var first = await SendAsync(form);
        // As if the request had died after the first two members: the rest was never written and the send not finished.
        await using (var db = _database.CreateContext())
        {
            var later = customers.Skip(2).Select(c => c.Id).ToList();
            await db.OutboxMessages.Where(m => later.Contains(m.CustomerId!.Value)).ExecuteDeleteAsync();
            await db.SurveyInvitations.Where(i => later.Contains(i.CustomerId)).ExecuteDeleteAsync();
            await db.SurveySends.ExecuteUpdateAsync(u => u.SetProperty(s => s.CompletedAt, (DateTime?)null));
        }

        var retried = await SendAsync(form);

        Assert.Equal((first.SendId, 5, 0, true), (retried.SendId, retried.Queued, retried.Skipped, retried.Repeated));
        await using var read = _database.CreateContext();
        Assert.Equal(customers.Select(c => c.Id).Order(), (await read.SurveyInvitations.Select(i => i.CustomerId).ToListAsync()).Order());
        Assert.Equal(5, await read.OutboxMessages.Select(m => m.IdempotencyKey).Distinct().CountAsync());
    }

    [Fact]
    public async Task SendAsync_SegmentLargerThanABatch_InvitesEveryMemberOnce()
    {
        var count = SurveySendService.BatchSize * 2 + 3;
        var ids = new List<int>();
        await using (var db = _database.CreateContext())
        {
            var batch = Enumerable.Range(0, count).Select(i => new Customer
            {
                Name = "Bulk " + i.ToString(CultureInfo.InvariantCulture),
                NameKey = "bulk " + i.ToString(CultureInfo.InvariantCulture),
                Phone = "+86138" + i.ToString("D8", CultureInfo.InvariantCulture),
                SmsConsent = ConsentState.OptedIn,
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
                Version = 1,
            }).ToList();
            db.Customers.AddRange(batch);
            await db.SaveChangesAsync();
            ids.AddRange(batch.Select(c => c.Id));
        }

        var segment = await AddSegmentAsync([.. ids]);
        var survey = await CreateSurveyAsync();

        var result = await SendAsync(new SurveySendFormModel { SurveyId = survey, SegmentId = segment, Channel = InvitationChannel.Sms, Culture = "zh-Hans", Key = SurveySendService.NewKey() });

        Assert.Equal((count, 0), (result.Queued, result.Skipped));
        await using var read = _database.CreateContext();
        Assert.Equal(count, await read.SurveyInvitations.Select(i => i.CustomerId).Distinct().CountAsync());
        Assert.Equal(count, await read.OutboxMessages.CountAsync(m => m.Channel == MessageChannel.Sms && m.TextBody!.Contains("/s/")));
        // The response rate counts these invitations.
        var row = (await TestServices.Surveys(read).ListAsync(default)).Rows.Single();
        Assert.Equal((count, 0), (row.Invited, row.Answered));
    }

    [Fact]
    public async Task MergeAsync_TwoCustomersInvitedByTheSameSend_KeepsBothInvitations()
    {
        var a = await AddOptedInAsync("Ok One");
        var b = await AddOptedInAsync("Ok Two");
        var segment = await AddSegmentAsync(a.Id, b.Id);
        var survey = await CreateSurveyAsync();
        var sent = await SendAsync(new SurveySendFormModel { SurveyId = survey, SegmentId = segment, Channel = InvitationChannel.Email, Key = SurveySendService.NewKey() });
        Assert.Equal(2, sent.Queued);

        await using var db = _database.CreateContext();
        var versions = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Version);
        var merged = await TestServices.Merges(db).MergeAsync(a.Id,
            new CrmMarketing.Web.ViewModels.Duplicates.MergeFormModel { OtherId = b.Id, SurvivorVersion = versions[a.Id], OtherVersion = versions[b.Id] }, Marketer, default);

        Assert.Equal(CrmMarketing.Web.Services.Privacy.MergeOutcome.Merged, merged.Outcome);
        await using var read = _database.CreateContext();
        Assert.Equal(2, await read.SurveyInvitations.CountAsync(i => i.CustomerId == a.Id && i.SendId == sent.SendId));
    }

    [Fact]
    public async Task SendAsync_TemplateWithoutSurveyUrl_IsRefusedAndCreatesNothing()
    {
        var a = await AddOptedInAsync("Ok One");
        var segment = await AddSegmentAsync(a.Id);
        var survey = await CreateSurveyAsync();
        var template = await AddTemplateAsync(MessageChannel.Email, "<p>Spring sale!</p>", null);

        var result = await SendAsync(new SurveySendFormModel { SurveyId = survey, SegmentId = segment, Channel = InvitationChannel.Email, TemplateId = template, Key = SurveySendService.NewKey() });

        Assert.Equal(SurveySendOutcome.TemplateWithoutSurveyUrl, result.Outcome);
        await using var read = _database.CreateContext();
        Assert.Equal((0, 0, 0), (await read.SurveySends.CountAsync(), await read.SurveyInvitations.CountAsync(), await read.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task SendAsync_AnsweredInvitation_FeedbackCarriesTheActivity()
    {
        var a = await AddOptedInAsync("Ok One");
        var segment = await AddSegmentAsync(a.Id);
        var survey = await CreateSurveyAsync();
        var activity = await AddActivityAsync();
        await SendAsync(new SurveySendFormModel { SurveyId = survey, SegmentId = segment, Channel = InvitationChannel.Email, CampaignId = activity, Key = SurveySendService.NewKey() });
        string token;
        await using (var db = _database.CreateContext())
        {
            token = TokenIn((await db.OutboxMessages.AsNoTracking().SingleAsync()).TextBody!);
        }

        await using (var db = _database.CreateContext())
        {
            Assert.Equal(SurveyAnswerOutcome.Saved, await TestServices.Surveys(db).AnswerAsync(token, new SurveyAnswerFormModel { Score = 9 }, default));
        }

        await using var read = _database.CreateContext();
        var entry = await read.Feedback.AsNoTracking().SingleAsync();
        Assert.Equal((a.Id, (int?)survey, (int?)activity, 9), (entry.CustomerId, entry.SurveyId, entry.CampaignId, entry.Score));
    }
}
