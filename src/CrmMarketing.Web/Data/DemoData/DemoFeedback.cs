using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Data.DemoData;

/// <summary>Demo satisfaction data over the seeded customers: customer owners, two surveys with invitations
/// and answers, feedback logged by staff, and follow-ups for the low scores (older ones resolved).
/// Scores follow the purchase history (regular buyers happier, lapsed ones less so), so the analytics tell
/// a consistent story. Deterministic for a given seed and day.</summary>
internal sealed class DemoFeedback(CrmDbContext db, bool chinese, DateTime nowUtc, int seed)
{
    private const double InvitedShare = 0.35;
    private const double AnswerRate = 0.45;
    private const double StaffFeedbackPerCustomer = 0.4;

    private readonly Random _rnd = new(seed);
    private readonly DateTime _now = new(nowUtc.Ticks - (nowUtc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static readonly string[] LowEn =
    [
        "Delivery was three days late and nobody told me.", "The box arrived damaged.", "Customer service never called back.",
        "Too expensive for the quality.", "The size was wrong and the return was slow.", "Waited 20 minutes at the store counter.",
        "The product stopped working after a week.", "Delivery courier was rude.",
    ];

    private static readonly string[] LowZh =
    [
        "送货太慢了，晚了三天也没人通知。", "包装破损，商品有划痕。", "客服一直没有回电话。", "价格太贵，质量一般。",
        "尺码不对，退货很麻烦。", "门店排队等了二十分钟。", "用了一周就坏了，质量太差。", "快递员态度很差。",
    ];

    private static readonly string[] MidEn = ["It was fine.", "Delivery okay, packaging could be better.", "Average experience, nothing special."];

    private static readonly string[] MidZh = ["还可以。", "送货正常，包装一般。", "体验一般，没有特别的。"];

    private static readonly string[] HighEn =
    [
        "Fast delivery and friendly staff.", "Great quality, will buy again.", "Store staff were very helpful.",
        "Good price and quick delivery.", "Excellent service, recommended to friends.", "Quality is great and the packaging was neat.",
    ];

    private static readonly string[] HighZh =
    [
        "送货很快，服务态度很好。", "质量很好，还会再买。", "门店店员很热情，帮了很多忙。", "价格实惠，送货及时。",
        "服务很好，已经推荐给朋友。", "质量不错，包装很精致。",
    ];

    private static readonly string[] ResolutionsEn =
    [
        "Called the customer, apologised and sent a voucher.", "Arranged a replacement; customer satisfied.",
        "Refunded the delivery fee.", "Explained the delay and offered a discount on the next order.",
    ];

    private static readonly string[] ResolutionsZh = ["已致电客户道歉并赠送优惠券。", "已安排换货，客户满意。", "已退还运费。", "已解释延误原因，并提供下次购物折扣。"];

    public async Task<(int Feedback, int Invitations, int FollowUps)> WriteAsync(IReadOnlyList<string> salesUserIds, IReadOnlyList<(string? Id, string Name)> staff,
        IReadOnlyList<int> productIds, CancellationToken ct)
    {
        var customers = await db.Customers.AsNoTracking().Where(c => !c.IsArchived).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.CreatedAt, c.FirstPurchaseAt, c.LastPurchaseAt, c.OrderCount, c.Email, c.Phone })
            .ToListAsync(ct);
        if (customers.Count == 0)
        {
            return (0, 0, 0);
        }

        // Most customers have a sales owner, who receives their follow-ups.
        if (salesUserIds.Count > 0)
        {
            var owned = customers.Where(_ => _rnd.NextDouble() < 0.7).Select(c => c.Id).ToList();
            foreach (var chunk in owned.Chunk(500))
            {
                var owner = salesUserIds[_rnd.Next(salesUserIds.Count)];
                await db.Customers.Where(c => chunk.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerUserId, owner), ct);
            }
        }

        var owners = await db.Customers.AsNoTracking().Where(c => c.OwnerUserId != null).ToDictionaryAsync(c => c.Id, c => c.OwnerUserId!, ct);
        var nps = new Survey
        {
            Name = chinese ? "购后推荐度调查" : "Post-purchase NPS",
            Type = ScoreScale.Nps,
            Category = FeedbackCategory.Service,
            QuestionEn = "How likely are you to recommend us to a friend or colleague?",
            QuestionZh = "您有多大可能向朋友或同事推荐我们？",
            ExtraQuestionEn = "What is the main reason for your score?",
            ExtraQuestionZh = "您给出这个分数的主要原因是什么？",
            CreatedAt = _now.AddDays(-400),
            UpdatedAt = _now.AddDays(-400),
            CreatedByName = "demo",
        };
        var csat = new Survey
        {
            Name = chinese ? "配送满意度" : "Delivery satisfaction",
            Type = ScoreScale.Csat,
            Category = FeedbackCategory.Delivery,
            QuestionEn = "How satisfied are you with your delivery?",
            QuestionZh = "您对本次配送满意吗？",
            CreatedAt = _now.AddDays(-300),
            UpdatedAt = _now.AddDays(-300),
            CreatedByName = "demo",
        };
        db.Surveys.AddRange(nps, csat);
        await db.SaveChangesAsync(ct);

        var entries = new List<(Feedback Entry, SurveyInvitation? Invitation)>();
        var invitations = new List<SurveyInvitation>();
        foreach (var c in customers)
        {
            var mood = Mood(c.OrderCount, c.LastPurchaseAt);
            if (c.FirstPurchaseAt is { } first && _rnd.NextDouble() < InvitedShare)
            {
                var survey = _rnd.NextDouble() < 0.6 ? nps : csat;
                var sentAt = Between(Max(first, _now.AddDays(-365)), _now.AddHours(-2));
                var channel = c.Email is not null && (c.Phone is null || _rnd.NextDouble() < 0.6) ? InvitationChannel.Email
                    : c.Phone is not null ? InvitationChannel.Sms : InvitationChannel.Link;
                var invitation = new SurveyInvitation
                {
                    SurveyId = survey.Id,
                    CustomerId = c.Id,
                    TokenId = Convert.ToHexStringLower(BitConverter.GetBytes(_rnd.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(_rnd.NextInt64())),
                    Channel = channel,
                    Culture = chinese ? "zh-Hans" : "en",
                    CreatedAt = sentAt,
                    ExpiresAt = sentAt.AddDays(30),
                    CreatedByName = "demo",
                };
                invitations.Add(invitation);
                var answeredAt = sentAt.AddMinutes(_rnd.Next(10, 3 * 24 * 60));
                if (_rnd.NextDouble() < AnswerRate && answeredAt < _now)
                {
                    invitation.AnsweredAt = answeredAt;
                    var score = survey.Type == ScoreScale.Nps ? NpsScore(mood) : CsatScore(mood);
                    var sentiment = survey.Type == ScoreScale.Nps ? (score <= 6 ? -1 : score >= 9 ? 1 : 0) : (score <= 2 ? -1 : score >= 4 ? 1 : 0);
                    entries.Add((new Feedback
                    {
                        CustomerId = c.Id,
                        Scale = survey.Type,
                        Score = score,
                        Content = _rnd.NextDouble() < 0.7 ? Comment(sentiment) : string.Empty,
                        ExtraAnswer = survey.ExtraQuestionEn is not null && _rnd.NextDouble() < 0.4 ? Comment(sentiment) : null,
                        Channel = FeedbackChannel.Survey,
                        Category = survey.Category,
                        SurveyId = survey.Id,
                        Status = FeedbackStatus.New,
                        CreatedAt = answeredAt,
                        UpdatedAt = answeredAt,
                    }, invitation));
                }
            }

            if (staff.Count > 0 && c.FirstPurchaseAt is not null && _rnd.NextDouble() < StaffFeedbackPerCustomer)
            {
                var author = staff[_rnd.Next(staff.Count)];
                var at = Between(Max(c.CreatedAt, _now.AddDays(-540)), _now.AddHours(-1));
                var score = CsatScore(mood);
                var category = (FeedbackCategory)_rnd.Next(0, 5);
                entries.Add((new Feedback
                {
                    CustomerId = c.Id,
                    Scale = ScoreScale.Csat,
                    Score = score,
                    Content = Comment(score <= 2 ? -1 : score >= 4 ? 1 : 0),
                    Channel = (FeedbackChannel)_rnd.Next(0, 4),
                    Category = category,
                    ProductId = productIds.Count > 0 && category is FeedbackCategory.Product or FeedbackCategory.Price ? productIds[_rnd.Next(productIds.Count)] : null,
                    Status = FeedbackStatus.New,
                    CreatedAt = at,
                    UpdatedAt = at,
                    CreatedByUserId = author.Id,
                    CreatedByName = author.Name,
                    Tags = _rnd.NextDouble() < 0.2 ? (chinese ? "回访" : "callback") : null,
                }, null));
            }
        }

        db.SurveyInvitations.AddRange(invitations);
        db.Feedback.AddRange(entries.Select(e => e.Entry));
        await db.SaveChangesAsync(ct);

        var tasks = new List<FollowUpTask>();
        foreach (var (entry, invitation) in entries)
        {
            if (invitation is not null)
            {
                invitation.FeedbackId = entry.Id;
            }

            var low = entry.Scale == ScoreScale.Nps ? entry.Score <= 6 : entry.Score <= 2;
            if (!low)
            {
                entry.Status = entry.CreatedAt < _now.AddDays(-30) || _rnd.NextDouble() < 0.5 ? FeedbackStatus.Resolved : FeedbackStatus.New;
                continue;
            }

            var owner = owners.GetValueOrDefault(entry.CustomerId);
            var task = new FollowUpTask
            {
                CustomerId = entry.CustomerId,
                FeedbackId = entry.Id,
                AssigneeUserId = owner,
                Reason = entry.Scale == ScoreScale.Nps ? $"NPS {entry.Score}/10 (survey)" : $"CSAT {entry.Score}/5 ({(entry.SurveyId is null ? "feedback" : "survey")})",
                CreatedAt = entry.CreatedAt,
                DueAt = entry.CreatedAt.AddDays(2),
            };
            entry.AssigneeUserId = owner;
            // Older complaints were handled; the last three weeks' are still open (some overdue).
            if (entry.CreatedAt < _now.AddDays(-21) && _rnd.NextDouble() < 0.9)
            {
                task.Status = FollowUpStatus.Done;
                task.ResolvedAt = entry.CreatedAt.AddHours(_rnd.Next(2, 96));
                task.ResolvedByUserId = owner;
                task.ResolvedByName = staff.FirstOrDefault(s => s.Id == owner).Name ?? "demo";
                task.Resolution = chinese ? ResolutionsZh[_rnd.Next(ResolutionsZh.Length)] : ResolutionsEn[_rnd.Next(ResolutionsEn.Length)];
                entry.Status = FeedbackStatus.Resolved;
            }
            else
            {
                entry.Status = _rnd.NextDouble() < 0.5 ? FeedbackStatus.InProgress : FeedbackStatus.New;
            }

            tasks.Add(task);
        }

        db.FollowUpTasks.AddRange(tasks);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return (entries.Count, invitations.Count, tasks.Count);
    }

    /// <summary>−1 (unhappy) … 1 (happy): regular, recent buyers are happier than lapsed one-off buyers.</summary>
    private double Mood(int orders, DateTime? lastPurchase)
    {
        var mood = Math.Min(orders, 12) / 12.0 - 0.2;
        if (lastPurchase is { } last && last < _now.AddDays(-240))
        {
            mood -= 0.5;
        }

        return Math.Clamp(mood + (_rnd.NextDouble() - 0.5) * 0.9, -1, 1);
    }

    private int NpsScore(double mood) => Math.Clamp((int)Math.Round(7.2 + mood * 3.5 + (_rnd.NextDouble() - 0.5) * 3), 0, 10);

    private int CsatScore(double mood) => Math.Clamp((int)Math.Round(3.7 + mood * 1.6 + (_rnd.NextDouble() - 0.5) * 1.6), 1, 5);

    private string Comment(int sentiment) => sentiment switch
    {
        < 0 => Pick(chinese ? LowZh : LowEn),
        > 0 => Pick(chinese ? HighZh : HighEn),
        _ => Pick(chinese ? MidZh : MidEn),
    };

    private string Pick(string[] items) => items[_rnd.Next(items.Length)];

    private DateTime Between(DateTime from, DateTime to) =>
        to <= from ? from : from.AddSeconds(Math.Floor(_rnd.NextDouble() * (to - from).TotalSeconds));

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
