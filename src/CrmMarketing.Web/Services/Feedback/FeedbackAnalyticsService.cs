using System.Globalization;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.ViewModels.Feedback;
using CrmMarketing.Web.ViewModels.FollowUps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using FeedbackEntity = CrmMarketing.Web.Domain.Feedback;

namespace CrmMarketing.Web.Services.Feedback;

/// <summary>One score with the key it is grouped by; the shape every breakdown query aggregates.</summary>
public sealed class KeyedScore<TKey>
{
    public TKey Key { get; init; } = default!;
    public ScoreScale Scale { get; init; }
    public int Score { get; init; }
}

/// <summary>CSAT and NPS counts of one group, computed in one GROUP BY with conditional sums.</summary>
public sealed class SatisfactionRow<TKey>
{
    public TKey Key { get; init; } = default!;
    public int CsatCount { get; init; }
    public int CsatSatisfied { get; init; }
    public int CsatSum { get; init; }
    public int NpsCount { get; init; }
    public int Promoters { get; init; }
    public int Detractors { get; init; }

    public CsatStats Csat => new(CsatCount, CsatSatisfied, CsatSum);
    public NpsStats Nps => new(NpsCount, Promoters, Detractors);
}

public sealed record MonthKey(int Year, int Month);

/// <summary>CSAT, NPS, their monthly trends, breakdowns, distributions and comment themes (docs/feedback.md).
/// Every statistic is a GROUP BY in the database; only the comment themes read text, and at most
/// <see cref="FeedbackOptions.ThemeCommentLimit"/> of the latest comments per side.</summary>
public sealed class FeedbackAnalyticsService(
    CrmDbContext db, TimeProvider time, DisplayFormatter formatter, FeedbackService feedback, IOptions<FeedbackOptions> options)
{
    public static IQueryable<SatisfactionRow<TKey>> Aggregate<TKey>(IQueryable<KeyedScore<TKey>> scores) =>
        scores.GroupBy(s => s.Key).Select(g => new SatisfactionRow<TKey>
        {
            Key = g.Key,
            CsatCount = g.Sum(s => s.Scale == ScoreScale.Csat ? 1 : 0),
            CsatSatisfied = g.Sum(s => s.Scale == ScoreScale.Csat && s.Score >= FeedbackEntity.SatisfiedScore ? 1 : 0),
            CsatSum = g.Sum(s => s.Scale == ScoreScale.Csat ? s.Score : 0),
            NpsCount = g.Sum(s => s.Scale == ScoreScale.Nps ? 1 : 0),
            Promoters = g.Sum(s => s.Scale == ScoreScale.Nps && s.Score >= Satisfaction.PromoterScore ? 1 : 0),
            Detractors = g.Sum(s => s.Scale == ScoreScale.Nps && s.Score <= Satisfaction.DetractorMaxScore ? 1 : 0),
        });

    /// <summary>The feedback a viewer's analytics cover: their scope, the date range and, optionally, the customers of
    /// one saved segment (its stored members).</summary>
    public IQueryable<FeedbackEntity> Set(DateOnly? from, DateOnly? to, FeedbackViewer viewer, int? segmentId = null)
    {
        var set = feedback.ApplyFilters(FeedbackService.Scope(db.Feedback.AsNoTracking(), viewer), new FeedbackListQuery { From = from, To = to }, viewer);
        if (segmentId is { } id)
        {
            set = set.Where(f => db.SegmentMembers.Any(m => m.SegmentId == id && m.CustomerId == f.CustomerId));
        }

        return set;
    }

    /// <summary>CSAT and NPS per month in the configured zone. Its current offset is used for the whole range:
    /// exact for zones without daylight saving (the default), off by an hour at month edges elsewhere.</summary>
    public async Task<IReadOnlyList<SatisfactionRow<MonthKey>>> ByMonthAsync(IQueryable<FeedbackEntity> set, CancellationToken ct)
    {
        var offsetMinutes = (int)formatter.TimeZone.GetUtcOffset(time.GetUtcNow()).TotalMinutes;
        var modifier = offsetMinutes.ToString("+0;-0", CultureInfo.InvariantCulture) + " minutes";
        // One strftime per row ("yyyy-MM" in the zone), grouped as text; parsed into year and month afterwards.
        var rows = await Aggregate(set.Select(f => new KeyedScore<string> { Key = SqlFunctions.MonthKey(f.CreatedAt, modifier), Scale = f.Scale, Score = f.Score }))
            .ToListAsync(ct);
        return rows.Select(r => new SatisfactionRow<MonthKey>
        {
            Key = new MonthKey(int.Parse(r.Key[..4], CultureInfo.InvariantCulture), int.Parse(r.Key[5..7], CultureInfo.InvariantCulture)),
            CsatCount = r.CsatCount,
            CsatSatisfied = r.CsatSatisfied,
            CsatSum = r.CsatSum,
            NpsCount = r.NpsCount,
            Promoters = r.Promoters,
            Detractors = r.Detractors,
        }).OrderBy(r => r.Key.Year).ThenBy(r => r.Key.Month).ToList();
    }

    /// <summary>CSAT and NPS per RFM segment (customers without RFM scores under a null key).</summary>
    public async Task<IReadOnlyList<SatisfactionRow<RfmSegment?>>> BySegmentAsync(IQueryable<FeedbackEntity> set, CancellationToken ct) =>
        await Aggregate(
                from f in set
                join r in db.CustomerRfm on f.CustomerId equals r.CustomerId into rs
                from r in rs.DefaultIfEmpty()
                select new KeyedScore<RfmSegment?> { Key = r == null ? null : r.Segment, Scale = f.Scale, Score = f.Score })
            .ToListAsync(ct);

    /// <summary>CSAT and NPS per saved segment: each feedback row counts once for every segment its customer is a
    /// stored member of (so the rows may add up to more than the total); customers in no segment are not listed.</summary>
    public async Task<IReadOnlyList<SatisfactionRow<int>>> BySavedSegmentAsync(IQueryable<FeedbackEntity> set, CancellationToken ct) =>
        await Aggregate(
                from f in set
                join m in db.SegmentMembers on f.CustomerId equals m.CustomerId
                select new KeyedScore<int> { Key = m.SegmentId, Scale = f.Scale, Score = f.Score })
            .ToListAsync(ct);

    public async Task<FeedbackAnalyticsViewModel> GetAnalyticsAsync(DateOnly? from, DateOnly? to, FeedbackViewer viewer,
        IStringLocalizer<SharedResource> l, CancellationToken ct, int? segmentId = null)
    {
        var segmentChoices = await db.Segments.AsNoTracking().OrderBy(s => s.Name).Take(500)
            .Select(s => new SavedSegmentChoice(s.Id, s.Name)).ToListAsync(ct);
        if (segmentId is { } chosen && segmentChoices.All(s => s.Id != chosen))
        {
            segmentId = null;
        }

        var set = Set(from, to, viewer, segmentId);
        var settings = options.Value;

        var overall = await Aggregate(set.Select(f => new KeyedScore<int> { Key = 1, Scale = f.Scale, Score = f.Score })).SingleOrDefaultAsync(ct)
            ?? new SatisfactionRow<int>();
        var months = await ByMonthAsync(set, ct);
        var categories = await Aggregate(set.Select(f => new KeyedScore<FeedbackCategory> { Key = f.Category, Scale = f.Scale, Score = f.Score })).ToListAsync(ct);
        var channels = await Aggregate(set.Select(f => new KeyedScore<FeedbackChannel> { Key = f.Channel, Scale = f.Scale, Score = f.Score })).ToListAsync(ct);
        var staff = await Aggregate(set.Where(f => f.CreatedByUserId != null)
                .Select(f => new KeyedScore<string?> { Key = f.CreatedByUserId, Scale = f.Scale, Score = f.Score }))
            .OrderByDescending(r => r.CsatCount + r.NpsCount).Take(50).ToListAsync(ct);
        var owners = await Aggregate(set.Join(db.Customers, f => f.CustomerId, c => c.Id, (f, c) => new KeyedScore<string?> { Key = c.OwnerUserId, Scale = f.Scale, Score = f.Score }))
            .OrderByDescending(r => r.CsatCount + r.NpsCount).Take(50).ToListAsync(ct);
        var products = await Aggregate(set.Where(f => f.ProductId != null).Select(f => new KeyedScore<int?> { Key = f.ProductId, Scale = f.Scale, Score = f.Score }))
            .OrderByDescending(r => r.CsatCount + r.NpsCount).Take(50).ToListAsync(ct);
        var campaigns = await Aggregate(set.Where(f => f.CampaignId != null).Select(f => new KeyedScore<int?> { Key = f.CampaignId, Scale = f.Scale, Score = f.Score }))
            .OrderByDescending(r => r.CsatCount + r.NpsCount).Take(50).ToListAsync(ct);
        var surveys = await Aggregate(set.Where(f => f.SurveyId != null).Select(f => new KeyedScore<int?> { Key = f.SurveyId, Scale = f.Scale, Score = f.Score }))
            .OrderByDescending(r => r.CsatCount + r.NpsCount).Take(50).ToListAsync(ct);
        var segments = await BySegmentAsync(set, ct);
        var savedSegments = await BySavedSegmentAsync(set, ct);
        var segmentNames = segmentChoices.ToDictionary(s => s.Id, s => s.Name);
        var campaignIds = campaigns.Select(c => c.Key).OfType<int>().ToList();
        var campaignNames = await db.MarketingActivities.AsNoTracking().Where(a => campaignIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);

        var distribution = await set.GroupBy(f => new { f.Scale, f.Score }).Select(g => new { g.Key.Scale, g.Key.Score, Count = g.Count() }).ToListAsync(ct);

        var userIds = staff.Select(s => s.Key).Concat(owners.Select(o => o.Key)).OfType<string>().Distinct().ToList();
        var userNames = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName != "" ? u.DisplayName : u.UserName }).ToDictionaryAsync(u => u.Id, u => u.Name ?? u.Id, ct);
        var productIds = products.Select(p => p.Key).OfType<int>().ToList();
        var productNames = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var surveyIds = surveys.Select(p => p.Key).OfType<int>().ToList();
        var surveyNames = await db.Surveys.AsNoTracking().Where(s => surveyIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        var lowSet = set.Where(f => f.Content != "" && ((f.Scale == ScoreScale.Csat && f.Score <= settings.CsatLowThreshold)
            || (f.Scale == ScoreScale.Nps && f.Score <= settings.NpsLowThreshold)));
        var highSet = set.Where(f => f.Content != "" && ((f.Scale == ScoreScale.Csat && f.Score >= FeedbackEntity.SatisfiedScore)
            || (f.Scale == ScoreScale.Nps && f.Score >= Satisfaction.PromoterScore)));
        var lowComments = await Latest(lowSet, settings.ThemeCommentLimit).ToListAsync(ct);
        var highComments = await Latest(highSet, settings.ThemeCommentLimit).ToListAsync(ct);

        var recentLow = lowSet.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Take(10);
        var lowAny = set.Where(f => (f.Scale == ScoreScale.Csat && f.Score <= settings.CsatLowThreshold)
            || (f.Scale == ScoreScale.Nps && f.Score <= settings.NpsLowThreshold))
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Take(10);

        string Month(MonthKey k) => string.Create(CultureInfo.InvariantCulture, $"{k.Year:D4}-{k.Month:D2}");
        CsatGroup Group<TKey>(SatisfactionRow<TKey> r, string key, string label) => new(key, label, r.Csat, r.Nps);
        SatisfactionRow<TKey> Find<TKey>(IEnumerable<SatisfactionRow<TKey>> rows, TKey key) =>
            rows.FirstOrDefault(r => EqualityComparer<TKey>.Default.Equals(r.Key, key)) ?? new SatisfactionRow<TKey> { Key = key };

        return new FeedbackAnalyticsViewModel
        {
            From = from,
            To = to,
            Overall = overall.Csat,
            OverallNps = overall.Nps,
            ByMonth = months.Select(m => Group(m, Month(m.Key), Month(m.Key))).ToList(),
            ByCategory = Enum.GetValues<FeedbackCategory>().Select(c => Group(Find(categories, c), c.ToString(), FeedbackLabels.Category(l, c))).ToList(),
            ByChannel = Enum.GetValues<FeedbackChannel>().Select(c => Group(Find(channels, c), c.ToString(), FeedbackLabels.Channel(l, c))).ToList(),
            ByStaff = staff.Select(s => Group(s, s.Key ?? string.Empty, userNames.GetValueOrDefault(s.Key ?? string.Empty) ?? l["Unknown"])).ToList(),
            ByOwner = owners.Select(s => Group(s, s.Key ?? string.Empty, s.Key is null ? l["No owner"] : userNames.GetValueOrDefault(s.Key) ?? l["Unknown"])).ToList(),
            ByProduct = products.Select(p => Group(p, Key(p.Key), productNames.GetValueOrDefault(p.Key ?? 0) ?? l["Unknown"])).ToList(),
            ByCampaign = campaigns.Select(c => Group(c, Key(c.Key), campaignNames.GetValueOrDefault(c.Key ?? 0) ?? l["Campaign #{0}", Key(c.Key)])).ToList(),
            BySurvey = surveys.Select(s => Group(s, Key(s.Key), surveyNames.GetValueOrDefault(s.Key ?? 0) ?? l["Unknown"])).ToList(),
            BySegment = segments.OrderBy(s => s.Key is null ? int.MaxValue : (int)s.Key.Value)
                .Select(s => Group(s, s.Key?.ToString() ?? string.Empty, s.Key is { } seg ? RfmSegmentNames.Name(l, seg) : l["No RFM score"])).ToList(),
            BySavedSegment = savedSegments
                .Select(s => Group(s, Key(s.Key), segmentNames.GetValueOrDefault(s.Key) ?? l["Unknown"]))
                .OrderBy(g => g.Label, StringComparer.CurrentCulture).ToList(),
            SegmentId = segmentId,
            SegmentName = segmentId is { } sid ? segmentNames.GetValueOrDefault(sid) : null,
            SavedSegments = segmentChoices,
            Distribution = Enumerable.Range(FeedbackEntity.MinScore, FeedbackEntity.MaxScore)
                .Select(s => distribution.FirstOrDefault(x => x.Scale == ScoreScale.Csat && x.Score == s)?.Count ?? 0).ToList(),
            NpsDistribution = Enumerable.Range(0, 11)
                .Select(s => distribution.FirstOrDefault(x => x.Scale == ScoreScale.Nps && x.Score == s)?.Count ?? 0).ToList(),
            LowThemes = CommentThemes.Extract(lowComments, 15).Select(t => new ThemeTermViewModel(t.Term, t.Comments)).ToList(),
            HighThemes = CommentThemes.Extract(highComments, 15).Select(t => new ThemeTermViewModel(t.Term, t.Comments)).ToList(),
            ThemeCommentLimit = settings.ThemeCommentLimit,
            LowThemeComments = lowComments.Count,
            HighThemeComments = highComments.Count,
            CsatLowThreshold = settings.CsatLowThreshold,
            NpsLowThreshold = settings.NpsLowThreshold,
            RecentLow = await feedback.ProjectRows(lowAny, viewer, ct),
        };
    }

    /// <summary>The dashboard tile: CSAT and NPS over the last <paramref name="days"/> days, and the open follow-ups.</summary>
    public async Task<SatisfactionTileViewModel> GetTileAsync(FeedbackViewer viewer, int days, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-days);
        var stats = await Aggregate(FeedbackService.Scope(db.Feedback.AsNoTracking(), viewer).Where(f => f.CreatedAt >= since)
                .Select(f => new KeyedScore<int> { Key = 1, Scale = f.Scale, Score = f.Score }))
            .SingleOrDefaultAsync(ct) ?? new SatisfactionRow<int>();
        var open = db.FollowUpTasks.AsNoTracking().Where(t => t.Status == FollowUpStatus.Open);
        var counts = await open.GroupBy(_ => 1).Select(g => new
        {
            Open = g.Count(),
            Overdue = g.Sum(t => t.DueAt < now ? 1 : 0),
            Mine = g.Sum(t => t.AssigneeUserId == viewer.UserId ? 1 : 0),
            MineOverdue = g.Sum(t => t.AssigneeUserId == viewer.UserId && t.DueAt < now ? 1 : 0),
        }).SingleOrDefaultAsync(ct);
        return new SatisfactionTileViewModel(stats.Csat.Average, stats.Csat.SatisfiedPercent, stats.CsatCount, stats.Nps.Score, stats.NpsCount,
            viewer.SeesAll ? counts?.Open ?? 0 : counts?.Mine ?? 0,
            viewer.SeesAll ? counts?.Overdue ?? 0 : counts?.MineOverdue ?? 0,
            counts?.Mine ?? 0, days);
    }

    private static IQueryable<string> Latest(IQueryable<FeedbackEntity> set, int limit) =>
        set.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Take(limit).Select(f => f.Content);

    private static string Key(int? id) => id?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
