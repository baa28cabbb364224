using System.Globalization;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Analytics;
using CrmMarketing.Web.Services.Formatting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Campaigns;

/// <summary>Attributed revenue and purchases of one activity under one attribution model; orders are fractional
/// under the linear model.</summary>
public sealed record AttributedTotals(decimal Revenue, decimal Orders);

/// <summary>Conversions and attributed revenue of one day (display time zone).</summary>
public sealed record MetricsDay(DateOnly Day, int Orders, int Customers, decimal LastTouch, decimal FirstTouch, decimal Linear)
{
    public decimal Revenue(AttributionModel model) => model switch
    {
        AttributionModel.FirstTouch => FirstTouch,
        AttributionModel.Linear => Linear,
        _ => LastTouch,
    };
}

/// <summary>One variant of an email A/B test among the recipients who tested it (the test share of the treatment group;
/// the rest of the audience, who got the winner afterwards, is left out). Opens, clicks and conversions follow the
/// activity's own definitions.</summary>
public sealed record VariantMetrics
{
    public required int VariantId { get; init; }
    public required string Label { get; init; }
    public string? TemplateName { get; init; }
    public bool IsWinner { get; init; }

    /// <summary>Treatment recipients in the test share who were given this variant.</summary>
    public int Recipients { get; init; }

    /// <summary>Their messages the dispatcher finished with: accepted + failed.</summary>
    public int Sent { get; init; }

    public int Delivered { get; init; }
    public int Contacted { get; init; }
    public int UniqueOpens { get; init; }
    public int UniqueClicks { get; init; }

    /// <summary>Contacted test recipients with a goal purchase within the window after their contact.</summary>
    public int Converters { get; init; }

    /// <summary>The total of those in-window purchases, before any sharing between activities.</summary>
    public decimal Revenue { get; init; }

    public double? OpenRate => UpliftMath.Rate(UniqueOpens, Delivered);
    public double? ClickRate => UpliftMath.Rate(UniqueClicks, Delivered);
    public double? ConversionRate => UpliftMath.Rate(Converters, Contacted);

    public double? Rate(AbWinnerMetric metric) => metric switch
    {
        AbWinnerMetric.Click => ClickRate,
        AbWinnerMetric.Conversion => ConversionRate,
        _ => OpenRate,
    };

    /// <summary><see cref="Rate"/> as an exact fraction, for choosing the winner.</summary>
    public VariantRate Score(AbWinnerMetric metric) => metric switch
    {
        AbWinnerMetric.Click => new VariantRate(UniqueClicks, Delivered),
        AbWinnerMetric.Conversion => new VariantRate(Converters, Contacted),
        _ => new VariantRate(UniqueOpens, Delivered),
    };
}

/// <summary>Every number of an activity's metrics (docs/campaigns-metrics.md), all aggregated in the database.</summary>
public sealed record ActivityMetrics
{
    public required int ActivityId { get; init; }
    public required string Name { get; init; }
    public required ActivityType Type { get; init; }
    public string? Channel { get; init; }
    public required ActivityStatus Status { get; init; }
    public required DateOnly StartDate { get; init; }
    public required DateOnly EndDate { get; init; }
    public required AttributionModel DefaultModel { get; init; }
    public required ConversionGoal Goal { get; init; }
    public string? GoalCategory { get; init; }
    public required int WindowDays { get; init; }
    public string? CouponCode { get; init; }
    public DateTime? LaunchedAt { get; init; }
    public int? SegmentId { get; init; }
    public int? Reach { get; init; }
    public int? Impressions { get; init; }

    /// <summary>Recipients in the snapshot: treatment + holdout.</summary>
    public int Audience => Treatment + Holdout;

    public int Treatment { get; init; }
    public int Holdout { get; init; }

    /// <summary>Treatment recipients with a contact time (message sent or call logged).</summary>
    public int Contacted { get; init; }

    /// <summary>Messages still waiting (queued or being sent).</summary>
    public int Queued { get; init; }

    /// <summary>Messages the dispatcher finished with: accepted or permanently failed.</summary>
    public int Sent => Delivered + Failed;

    /// <summary>Accepted by the receiving mail server or SMS gateway.</summary>
    public int Delivered { get; init; }

    public int Failed { get; init; }
    public int Suppressed { get; init; }
    public int Cancelled { get; init; }

    /// <summary>Messages opened (or clicked, which implies an open) by a person; suspected bots are left out.</summary>
    public int UniqueOpens { get; init; }

    public int UniqueClicks { get; init; }
    public int Unsubscribes { get; init; }

    /// <summary>Customers with at least one conversion (contact window or coupon).</summary>
    public int Converters { get; init; }

    /// <summary>Contacted treatment customers who converted within the window: the funnel's last step.</summary>
    public int ContactConverters { get; init; }

    /// <summary>Converting purchases (contact window or coupon).</summary>
    public int ConversionOrders { get; init; }

    /// <summary>Of those, purchases carrying the activity's coupon code.</summary>
    public int CouponOrders { get; init; }

    /// <summary>The total of the converting purchases before any sharing between activities.</summary>
    public decimal ConversionRevenue { get; init; }

    public required AttributedTotals LastTouch { get; init; }
    public required AttributedTotals FirstTouch { get; init; }
    public required AttributedTotals Linear { get; init; }
    public decimal Cost { get; init; }
    public UpliftResult? Uplift { get; init; }
    public IReadOnlyList<MetricsDay> Days { get; init; } = [];

    /// <summary>Email A/B tests: the figures per variant, in label order; empty without a test.</summary>
    public IReadOnlyList<VariantMetrics> Variants { get; init; } = [];

    public AbWinnerMetric AbWinnerMetric { get; init; }

    public AttributedTotals Attributed(AttributionModel model) => model switch
    {
        AttributionModel.FirstTouch => FirstTouch,
        AttributionModel.Linear => Linear,
        _ => LastTouch,
    };

    public decimal? Roi(AttributionModel model) => UpliftMath.Roi(Attributed(model).Revenue, Cost);

    public decimal? CostPerConversion => Converters == 0 ? null : decimal.Round(Cost / Converters, 2, MidpointRounding.AwayFromZero);

    public double? OpenRate => UpliftMath.Rate(UniqueOpens, Delivered);

    /// <summary>Unique clicks / delivered.</summary>
    public double? ClickThroughRate => UpliftMath.Rate(UniqueClicks, Delivered);

    /// <summary>Contact converters / contacted; for activities without a contacted audience (promotions, events)
    /// converters / the reach entered by hand.</summary>
    public double? ConversionRate => Contacted > 0 ? UpliftMath.Rate(ContactConverters, Contacted)
        : Reach is > 0 ? UpliftMath.Rate(Converters, Reach.Value) : null;
}

/// <summary>How the conversion statement finds the purchases inside the recipients' windows.</summary>
internal enum PurchaseAccess
{
    /// <summary>Range-first when fewer purchases lie between the earliest window start and the latest window end than
    /// the activity has recipients; per recipient otherwise.</summary>
    Automatic,

    /// <summary>One seek per recipient into its window (<c>IX_Purchases_CustomerId_PurchasedAt</c>).</summary>
    PerRecipient,

    /// <summary>The purchases of the overall window span read once (<c>IX_Purchases_PurchasedAt</c>) and matched to
    /// their recipient (<c>IX_CampaignRecipients_ActivityId_CustomerId</c>).</summary>
    RangeFirst,
}

/// <summary>Tracking, attribution, ROI and uplift of marketing activities. Every figure is aggregated by SQLite
/// (GROUP BY over the recipients, messages, events and purchases); no recipient or purchase row is loaded.</summary>
public sealed class CampaignMetricsService(CrmDbContext db, TimeProvider time, DisplayFormatter formatter)
{
    /// <summary>Times as stored (UTC text); a window end computed by SQLite keeps milliseconds.</summary>
    internal const string SqlTimeFormat = "%Y-%m-%d %H:%M:%f";

    /// <summary>The metrics of one activity, or null when there is no such activity.</summary>
    public Task<ActivityMetrics?> ComputeAsync(int activityId, CancellationToken ct) =>
        ComputeAsync(activityId, PurchaseAccess.Automatic, ct);

    /// <summary>The metrics with the purchases found as <paramref name="access"/> says; every shape gives the same
    /// figures.</summary>
    internal async Task<ActivityMetrics?> ComputeAsync(int activityId, PurchaseAccess access, CancellationToken ct)
    {
        var a = await db.MarketingActivities.AsNoTracking()
            .Where(x => x.Id == activityId)
            .Select(x => new
            {
                x.Id,
                x.Name,
                x.Type,
                x.Channel,
                x.Status,
                x.StartDate,
                x.EndDate,
                x.AttributionModel,
                x.ConversionGoal,
                x.GoalCategory,
                x.ConversionWindowDays,
                x.CouponCode,
                x.LaunchedAt,
                x.SegmentId,
                x.Reach,
                x.Impressions,
                x.AbTestSharePercent,
                x.AbWinnerMetric,
                x.AbWinnerVariantId,
                Cost = x.Costs.Sum(c => (decimal?)c.Amount) ?? 0m,
            })
            .SingleOrDefaultAsync(ct);
        if (a is null)
        {
            return null;
        }

        var p = new SqliteParameter[] { new("@a", a.Id) };
        var launch = (object?)a.LaunchedAt ?? DBNull.Value;
        var window = WindowModifier(a.ConversionWindowDays);
        var groups = await db.Database.SqlQueryRaw<GroupSqlRow>(RecipientsSql, new SqliteParameter("@a", a.Id), new SqliteParameter("@launch", launch))
            .ToListAsync(ct);
        var states = await db.Database.SqlQueryRaw<StateSqlRow>(OutboxSql, [.. Clone(p)]).ToListAsync(ct);
        var events = await db.Database.SqlQueryRaw<EventSqlRow>(EventsSql, [.. Clone(p)]).SingleAsync(ct);
        var share = (object?)a.AbTestSharePercent ?? DBNull.Value;
        var variantRows = a.AbTestSharePercent is null ? []
            : await db.Database.SqlQueryRaw<VariantSqlRow>(VariantsSql, new SqliteParameter("@a", a.Id), new SqliteParameter("@share", share)).ToListAsync(ct);

        var days = new LocalDays(formatter.TimeZone, time.GetUtcNow().UtcDateTime, formatter.StartOfDayUtc(a.StartDate).AddDays(-400));
        // The span from the earliest window start to the latest one (its window end is computed in SQL).
        var firstStart = groups.Where(g => g.FirstStart is not null).Select(g => g.FirstStart!).Min(StringComparer.Ordinal);
        var lastStart = groups.Where(g => g.LastStart is not null).Select(g => g.LastStart!).Max(StringComparer.Ordinal);
        var rangeFirst = firstStart is not null && lastStart is not null && access switch
        {
            PurchaseAccess.RangeFirst => true,
            PurchaseAccess.PerRecipient => false,
            _ => await PurchasesInSpanAsync(firstStart, lastStart, window, (int)groups.Sum(g => g.Recipients), ct) < groups.Sum(g => g.Recipients),
        };
        var conversionSql = ConversionSql(a.ConversionGoal == ConversionGoal.CategoryPurchase && a.GoalCategory is not null, days.Expression("c.PurchasedAt"), rangeFirst);
        var parameters = new List<SqliteParameter>
        {
            new("@a", a.Id),
            new("@launch", launch),
            new("@window", window),
            new("@cat", (object?)a.GoalCategory ?? DBNull.Value),
            new("@coupon", (object?)a.CouponCode ?? DBNull.Value),
            new("@share", share),
        };
        if (rangeFirst)
        {
            parameters.Add(new("@from", firstStart));
            parameters.Add(new("@last", lastStart));
        }

        parameters.AddRange(days.Parameters());
        var rows = await db.Database.SqlQueryRaw<ConversionSqlRow>(conversionSql, [.. parameters]).ToListAsync(ct);

        int Count(RecipientGroup g) => (int)(groups.FirstOrDefault(r => r.Grp == (int)g)?.Recipients ?? 0);
        int State(params OutboxState[] s) => (int)states.Where(r => s.Contains((OutboxState)r.State)).Sum(r => r.Messages);
        var all = rows.FirstOrDefault(r => r.Kind == "A");
        var contact = rows.FirstOrDefault(r => r.Kind == "K");
        var conversions = rows.Where(r => r.Kind == "C").ToList();
        var treatment = rows.FirstOrDefault(r => r.Kind == "U0");
        var holdout = rows.FirstOrDefault(r => r.Kind == "U1");
        var variants = a.AbTestSharePercent is null ? [] : await VariantsAsync(a.Id, a.AbWinnerVariantId, variantRows, rows.Where(r => r.Kind == "V"), ct);

        return new ActivityMetrics
        {
            ActivityId = a.Id,
            Name = a.Name,
            Type = a.Type,
            Channel = a.Channel,
            Status = a.Status,
            StartDate = a.StartDate,
            EndDate = a.EndDate,
            DefaultModel = a.AttributionModel,
            Goal = a.ConversionGoal,
            GoalCategory = a.GoalCategory,
            WindowDays = a.ConversionWindowDays,
            CouponCode = a.CouponCode,
            LaunchedAt = a.LaunchedAt,
            SegmentId = a.SegmentId,
            Reach = a.Reach,
            Impressions = a.Impressions,
            Treatment = Count(RecipientGroup.Treatment),
            Holdout = Count(RecipientGroup.Holdout),
            Contacted = (int)(groups.FirstOrDefault(r => r.Grp == (int)RecipientGroup.Treatment)?.Contacted ?? 0),
            Queued = State(OutboxState.Queued, OutboxState.Sending),
            Delivered = State(OutboxState.Sent),
            Failed = State(OutboxState.Failed),
            Suppressed = State(OutboxState.Suppressed),
            Cancelled = State(OutboxState.Cancelled),
            UniqueOpens = (int)events.Opens,
            UniqueClicks = (int)events.Clicks,
            Unsubscribes = (int)events.Unsubscribes,
            Converters = (int)(all?.Customers ?? 0),
            ContactConverters = (int)(contact?.Customers ?? 0),
            ConversionOrders = (int)(all?.Orders ?? 0),
            CouponOrders = (int)conversions.Where(r => r.ByCoupon == 1).Sum(r => r.Orders),
            ConversionRevenue = Money.FromStored(all?.Revenue ?? 0),
            LastTouch = Totals(conversions, AttributionModel.LastTouch),
            FirstTouch = Totals(conversions, AttributionModel.FirstTouch),
            Linear = Totals(conversions, AttributionModel.Linear),
            Cost = a.Cost,
            Uplift = UpliftMath.Compute(Count(RecipientGroup.Treatment), (int)(treatment?.Customers ?? 0), Money.FromStored(treatment?.Revenue ?? 0),
                Count(RecipientGroup.Holdout), (int)(holdout?.Customers ?? 0), Money.FromStored(holdout?.Revenue ?? 0)),
            Days = Days(conversions),
            Variants = variants,
            AbWinnerMetric = a.AbWinnerMetric,
        };
    }

    /// <summary>Every variant of the test (also one nobody has received yet) with its engagement and conversions.</summary>
    private async Task<List<VariantMetrics>> VariantsAsync(int activityId, int? winnerId, List<VariantSqlRow> engagement,
        IEnumerable<ConversionSqlRow> conversions, CancellationToken ct)
    {
        var variants = await db.ActivityVariants.AsNoTracking()
            .Where(v => v.ActivityId == activityId)
            .OrderBy(v => v.Label)
            .Select(v => new { v.Id, v.Label, Template = db.MessageTemplates.Where(t => t.Id == v.TemplateId).Select(t => t.Name).FirstOrDefault() })
            .ToListAsync(ct);
        var byVariant = engagement.ToDictionary(r => r.VariantId);
        var converted = conversions.Where(r => r.Variant is not null).ToDictionary(r => (int)r.Variant!.Value);
        return variants.Select(v =>
        {
            var e = byVariant.GetValueOrDefault(v.Id);
            var c = converted.GetValueOrDefault(v.Id);
            return new VariantMetrics
            {
                VariantId = v.Id,
                Label = v.Label,
                TemplateName = v.Template,
                IsWinner = v.Id == winnerId,
                Recipients = (int)(e?.Recipients ?? 0),
                Sent = (int)(e?.Sent ?? 0),
                Delivered = (int)(e?.Delivered ?? 0),
                Contacted = (int)(e?.Contacted ?? 0),
                UniqueOpens = (int)(e?.Opens ?? 0),
                UniqueClicks = (int)(e?.Clicks ?? 0),
                Converters = (int)(c?.Customers ?? 0),
                Revenue = Money.FromStored(c?.Revenue ?? 0),
            };
        }).ToList();
    }

    /// <summary>The purchases between the earliest window start and the latest window end, counted by
    /// <c>IX_Purchases_PurchasedAt</c> up to <paramref name="limit"/> at most, so the count never costs more than the
    /// per-recipient seeks it is weighed against.</summary>
    private async Task<long> PurchasesInSpanAsync(string firstStart, string lastStart, string window, int limit, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<long>($"""
            SELECT COUNT(*) AS Value FROM (
                SELECT 1 FROM Purchases
                WHERE PurchasedAt >= @from AND PurchasedAt <= strftime('{SqlTimeFormat}', @last, @window)
                LIMIT @limit)
            """, new SqliteParameter("@from", firstStart), new SqliteParameter("@last", lastStart), new SqliteParameter("@window", window),
            new SqliteParameter("@limit", limit)).SingleAsync(ct);

    /// <summary>"+14 days": the SQLite modifier of a conversion window.</summary>
    internal static string WindowModifier(int days) => "+" + days.ToString(CultureInfo.InvariantCulture) + " days";

    private static AttributedTotals Totals(IEnumerable<ConversionSqlRow> rows, AttributionModel model)
    {
        decimal revenue = 0m, orders = 0m;
        foreach (var r in rows)
        {
            revenue += AttributionMath.Attributed(model, r.IsLast == 1, r.IsFirst == 1, (int)r.Touches, Money.FromStored(r.Revenue));
            orders += AttributionMath.Share(model, r.IsLast == 1, r.IsFirst == 1, (int)r.Touches) * r.Orders;
        }

        return new AttributedTotals(revenue, decimal.Round(orders, 2, MidpointRounding.AwayFromZero));
    }

    private static List<MetricsDay> Days(IEnumerable<ConversionSqlRow> rows) =>
        rows.Where(r => r.Day is not null)
            .GroupBy(r => DateOnly.ParseExact(r.Day!, "yyyy-MM-dd", CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key)
            .Select(g => new MetricsDay(g.Key, (int)g.Sum(r => r.Orders), (int)g.Max(r => r.DayCustomers),
                Totals(g, AttributionModel.LastTouch).Revenue, Totals(g, AttributionModel.FirstTouch).Revenue, Totals(g, AttributionModel.Linear).Revenue))
            .ToList();

    private static IEnumerable<SqliteParameter> Clone(IEnumerable<SqliteParameter> parameters) =>
        parameters.Select(p => new SqliteParameter(p.ParameterName, p.Value));

    private const string RecipientsSql = """
        SELECT r."Group" AS Grp, COUNT(*) AS Recipients,
            COALESCE(SUM(COALESCE(r.ContactedAt, o.SentAt) IS NOT NULL), 0) AS Contacted,
            MIN(COALESCE(r.ContactedAt, o.SentAt, @launch)) AS FirstStart, MAX(COALESCE(r.ContactedAt, o.SentAt, @launch)) AS LastStart
        FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
        WHERE r.ActivityId = @a
        GROUP BY r."Group"
        """;

    private const string OutboxSql = """
        SELECT State, COUNT(*) AS Messages FROM OutboxMessages WHERE CampaignId = @a GROUP BY State
        """;

    // Per message of the activity: a human open or click (a click implies the message was opened), an unsubscribe.
    private const string EngagementSql = """
        SELECT e.OutboxMessageId,
            MAX(e.Type IN (0, 1) AND e.IsSuspectedBot = 0) AS Opened,
            MAX(e.Type = 1 AND e.IsSuspectedBot = 0) AS Clicked,
            MAX(e.Type = 2) AS Unsubscribed
        FROM OutboxMessages AS o JOIN MessageEvents AS e ON e.OutboxMessageId = o.Id
        WHERE o.CampaignId = @a
        GROUP BY e.OutboxMessageId
        """;

    private const string EventsSql = $"""
        SELECT COALESCE(SUM(Opened), 0) AS Opens, COALESCE(SUM(Clicked), 0) AS Clicks, COALESCE(SUM(Unsubscribed), 0) AS Unsubscribes
        FROM ({EngagementSql})
        """;

    /// <summary>True for a recipient (alias <c>r</c>) in the A/B test share; false without a test (@share NULL).</summary>
    private static readonly string TestVariantCondition = CampaignLaunchService.InAbTestSql("r", "@a", "@share");

    /// <summary>The A/B test recipients per variant (@share: the test share): their messages by outcome, contacts and
    /// the same per-message engagement as the activity's totals.</summary>
    private static readonly string VariantsSql = $"""
        SELECT r.VariantId, COUNT(*) AS Recipients,
            COALESCE(SUM(o.State IN ({(int)OutboxState.Sent}, {(int)OutboxState.Failed})), 0) AS Sent,
            COALESCE(SUM(o.State = {(int)OutboxState.Sent}), 0) AS Delivered,
            COALESCE(SUM(COALESCE(r.ContactedAt, o.SentAt) IS NOT NULL), 0) AS Contacted,
            COALESCE(SUM(e.Opened), 0) AS Opens, COALESCE(SUM(e.Clicked), 0) AS Clicks
        FROM CampaignRecipients AS r
        LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
        LEFT JOIN ({EngagementSql}) AS e ON e.OutboxMessageId = r.OutboxMessageId
        WHERE r.ActivityId = @a AND r."Group" = {(int)RecipientGroup.Treatment} AND {TestVariantCondition}
        GROUP BY r.VariantId
        """;


    /// <summary>A purchase line in the goal category (positive quantity), for the purchase <paramref name="purchase"/>.</summary>
    private static string InCategory(string purchase, string category) => $"""
        EXISTS (SELECT 1 FROM PurchaseLines AS l JOIN Products AS pr ON pr.Id = l.ProductId
            WHERE l.PurchaseId = {purchase} AND l.Quantity > 0 AND pr.Category = {category} COLLATE NOCASE)
        """;

    /// <summary>A recipient's (alias <c>r</c>, its message <c>o</c>) contact time: a call logged or its message sent.</summary>
    private const string ContactAtSql = "COALESCE(r.ContactedAt, o.SentAt)";

    /// <summary>A recipient's window start: the contact, or the launch for holdout and never-contacted recipients.</summary>
    private const string StartAt = "COALESCE(r.ContactedAt, o.SentAt, @launch)";

    /// <summary>The end of a conversion window that starts at <paramref name="start"/> (<paramref name="window"/>: a
    /// modifier such as "+14 days").</summary>
    private static string WindowEnd(string start, string window) => $"strftime('{SqlTimeFormat}', {start}, {window})";

    /// <summary>Whose coupon the purchase <c>p</c> carries: 0 none (or an unknown code), 1 this activity's
    /// (<paramref name="coupon"/>), 2 another activity's — a purchase of another activity's coupon is not converted by
    /// a contact of this one.</summary>
    private static string CouponOwner(string coupon) => $"""
        CASE WHEN p.CouponCode IS NULL THEN 0
                WHEN p.CouponCode = {coupon} THEN 1
                WHEN EXISTS (SELECT 1 FROM MarketingActivities AS b WHERE b.CouponCode = p.CouponCode) THEN 2
                ELSE 0 END
        """;

    /// <summary>The customers behind <see cref="ActivityMetrics.ContactConverters"/> (the funnel's last step) as one
    /// column <c>Value</c>, for the activity <paramref name="activity"/> (a parameter name): contacted treatment
    /// recipients with a goal purchase (any, or of the goal category) from their contact to the end of the window,
    /// not paid with another activity's coupon — the 'K' rows of <see cref="ConversionSql"/>, with the goal, window
    /// and coupon read from the activity row instead of parameters.</summary>
    internal static string ContactConvertersSql(string activity) => $"""
        SELECT r.CustomerId AS Value
        FROM CampaignRecipients AS r
        JOIN MarketingActivities AS x ON x.Id = r.ActivityId
        LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
        WHERE r.ActivityId = {activity} AND r."Group" = {(int)RecipientGroup.Treatment} AND {ContactAtSql} IS NOT NULL
            AND EXISTS (SELECT 1 FROM Purchases AS p
                WHERE p.CustomerId = r.CustomerId AND p.Total > 0
                    AND p.PurchasedAt >= {ContactAtSql}
                    AND p.PurchasedAt <= {WindowEnd(ContactAtSql, "'+' || x.ConversionWindowDays || ' days'")}
                    AND (x.ConversionGoal <> {(int)ConversionGoal.CategoryPurchase} OR x.GoalCategory IS NULL OR {InCategory("p.Id", "x.GoalCategory")})
                    AND ({CouponOwner("x.CouponCode")}) < 2)
        """;

    /// <summary>The <c>hit</c> CTE: the recipients' in-window goal purchases, per recipient (a seek into each
    /// recipient's window) or range-first (the purchases between the earliest window start, <c>@from</c>, and the window
    /// end of the latest, <c>@last</c>, read once, matched to their recipient and kept when inside that recipient's own
    /// window).</summary>
    private static string HitSql(bool categoryGoal, bool rangeFirst)
    {
        var couponOwner = $"{CouponOwner("@coupon")} AS CouponOwner";
        var goal = categoryGoal ? " AND " + InCategory("p.Id", "@cat") : string.Empty;
        var testVariant = $"CASE WHEN {TestVariantCondition} THEN r.VariantId END AS TestVariant";
        return rangeFirst
            ? $"""
                hit AS MATERIALIZED (
                    SELECT r."Group" AS Grp, r.CustomerId, {ContactAtSql} AS ContactAt, p.Id AS PurchaseId,
                        p.PurchasedAt, p.Total, {couponOwner}, {testVariant}
                    FROM Purchases AS p
                    CROSS JOIN CampaignRecipients AS r ON r.ActivityId = @a AND r.CustomerId = p.CustomerId
                    LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
                    WHERE p.PurchasedAt >= @from AND p.PurchasedAt <= strftime('{SqlTimeFormat}', @last, @window) AND p.Total > 0
                        AND p.PurchasedAt >= {StartAt} AND p.PurchasedAt <= {WindowEnd(StartAt, "@window")}{goal}
                )
                """
            : $"""
                rc AS MATERIALIZED (
                    SELECT r.CustomerId, r."Group" AS Grp, {ContactAtSql} AS ContactAt, {StartAt} AS StartAt, {testVariant}
                    FROM CampaignRecipients AS r LEFT JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
                    WHERE r.ActivityId = @a
                ),
                hit AS MATERIALIZED (
                    SELECT rc.Grp, rc.CustomerId, rc.ContactAt, p.Id AS PurchaseId, p.PurchasedAt, p.Total, {couponOwner}, rc.TestVariant
                    FROM rc JOIN Purchases AS p ON p.CustomerId = rc.CustomerId
                        AND p.PurchasedAt >= rc.StartAt AND p.PurchasedAt <= {WindowEnd("rc.StartAt", "@window")}
                    WHERE rc.StartAt IS NOT NULL AND p.Total > 0{goal}
                )
                """;
    }

    /// <summary>One statement, five kinds of rows: 'C' converting purchases grouped by day, touches and whether this
    /// activity is the last and first touch (and whether the coupon carried it); 'A' all converters; 'K' contacted
    /// converters; 'U0'/'U1' treatment and holdout customers with a goal purchase in their window, for the uplift;
    /// 'V' per A/B variant, the contacted test recipients who converted (the 'K' rule restricted to the test share).</summary>
    internal static string ConversionSql(bool categoryGoal, string localDay, bool rangeFirst) => $"""
        WITH {HitSql(categoryGoal, rangeFirst)},
        conv AS MATERIALIZED (
            SELECT PurchaseId, CustomerId, PurchasedAt, Total, ContactAt, CouponOwner AS ByCoupon, 1 AS Contacted
            FROM hit WHERE Grp = 0 AND ContactAt IS NOT NULL AND CouponOwner < 2
            UNION ALL
            SELECT p.Id, p.CustomerId, p.PurchasedAt, p.Total, p.PurchasedAt, 1, 0
            FROM Purchases AS p
            WHERE @coupon IS NOT NULL AND p.CouponCode = @coupon AND p.Total > 0
                AND p.Id NOT IN (SELECT PurchaseId FROM hit WHERE Grp = 0 AND ContactAt IS NOT NULL)
        ),
        other AS (
            SELECT c.PurchaseId, r2.ActivityId, COALESCE(r2.ContactedAt, o2.SentAt) AS At, c.ContactAt AS OwnAt
            FROM conv AS c
            JOIN CampaignRecipients AS r2 ON r2.CustomerId = c.CustomerId
            JOIN MarketingActivities AS x ON x.Id = r2.ActivityId
            LEFT JOIN OutboxMessages AS o2 ON o2.Id = r2.OutboxMessageId
            WHERE c.ByCoupon = 0 AND r2.ActivityId <> @a AND r2."Group" = 0
                AND COALESCE(r2.ContactedAt, o2.SentAt) <= c.PurchasedAt
                AND c.PurchasedAt <= strftime('{SqlTimeFormat}', COALESCE(r2.ContactedAt, o2.SentAt), '+' || x.ConversionWindowDays || ' days')
                AND (x.ConversionGoal = 0 OR {InCategory("c.PurchaseId", "x.GoalCategory")})
        ),
        share AS (
            SELECT PurchaseId, COUNT(*) AS Others,
                SUM(At > OwnAt OR (At = OwnAt AND ActivityId > @a)) AS Later,
                SUM(At < OwnAt OR (At = OwnAt AND ActivityId < @a)) AS Earlier
            FROM other GROUP BY PurchaseId
        ),
        scored AS (
            SELECT {localDay} AS Day, c.CustomerId, c.Total, c.ByCoupon, 1 + COALESCE(s.Others, 0) AS Touches,
                COALESCE(s.Later, 0) = 0 AS IsLast, COALESCE(s.Earlier, 0) = 0 AS IsFirst
            FROM conv AS c LEFT JOIN share AS s ON s.PurchaseId = c.PurchaseId
        ),
        perday AS (
            SELECT Day, COUNT(DISTINCT CustomerId) AS DayCustomers FROM scored GROUP BY Day
        )
        SELECT 'C' AS Kind, g.Day, g.Touches, g.IsLast, g.IsFirst, g.ByCoupon, g.Orders, g.Revenue, 0 AS Customers, d.DayCustomers, NULL AS Variant
        FROM (
            SELECT Day, Touches, IsLast, IsFirst, ByCoupon, COUNT(*) AS Orders, SUM(Total) AS Revenue
            FROM scored GROUP BY Day, Touches, IsLast, IsFirst, ByCoupon
        ) AS g JOIN perday AS d ON d.Day = g.Day
        UNION ALL
        SELECT 'A', NULL, 0, 0, 0, 0, COUNT(*), COALESCE(SUM(Total), 0), COUNT(DISTINCT CustomerId), 0, NULL FROM conv
        UNION ALL
        SELECT 'K', NULL, 0, 0, 0, 0, COUNT(*), COALESCE(SUM(Total), 0), COUNT(DISTINCT CustomerId), 0, NULL FROM conv WHERE Contacted = 1
        UNION ALL
        SELECT 'U' || Grp, NULL, 0, 0, 0, 0, COUNT(*), COALESCE(SUM(Total), 0), COUNT(DISTINCT CustomerId), 0, NULL FROM hit GROUP BY Grp
        UNION ALL
        SELECT 'V', NULL, 0, 0, 0, 0, COUNT(*), COALESCE(SUM(Total), 0), COUNT(DISTINCT CustomerId), 0, TestVariant
        FROM hit WHERE TestVariant IS NOT NULL AND Grp = 0 AND ContactAt IS NOT NULL AND CouponOwner < 2 GROUP BY TestVariant
        """;

    /// <summary>The local calendar day (yyyy-MM-dd) of a stored UTC time in the display zone, with the offsets in
    /// force at each instant (daylight saving included) from <see cref="ZoneOffsets"/>.</summary>
    internal sealed class LocalDays
    {
        private readonly List<ZoneOffsets.Range> _ranges;

        public LocalDays(TimeZoneInfo zone, DateTime nowUtc, DateTime fromUtc)
        {
            _ranges = ZoneOffsets.Ranges(zone, nowUtc).Where(r => r.ToUtc > fromUtc).ToList();
        }

        public string Expression(string column)
        {
            var offset = new StringBuilder();
            if (_ranges.Count <= 1)
            {
                offset.Append("@zm0");
            }
            else
            {
                offset.Append("CASE");
                for (var i = _ranges.Count - 1; i > 0; i--)
                {
                    var n = i.ToString(CultureInfo.InvariantCulture);
                    offset.Append(CultureInfo.InvariantCulture, $" WHEN {column} >= @zf{n} THEN @zm{n}");
                }

                offset.Append(" ELSE @zm0 END");
            }

            return $"date({column}, ({offset}) || ' minutes')";
        }

        public IEnumerable<SqliteParameter> Parameters()
        {
            for (var i = 0; i < Math.Max(1, _ranges.Count); i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                if (i > 0)
                {
                    yield return new("@zf" + n, _ranges[i].FromUtc);
                }

                yield return new("@zm" + n, _ranges.Count == 0 ? 0 : _ranges[i].OffsetMinutes);
            }
        }
    }

    private sealed class GroupSqlRow
    {
        public long Grp { get; init; }
        public long Recipients { get; init; }
        public long Contacted { get; init; }
        public string? FirstStart { get; init; }
        public string? LastStart { get; init; }
    }

    private sealed class StateSqlRow
    {
        public long State { get; init; }
        public long Messages { get; init; }
    }

    private sealed class EventSqlRow
    {
        public long Opens { get; init; }
        public long Clicks { get; init; }
        public long Unsubscribes { get; init; }
    }

    private sealed class ConversionSqlRow
    {
        public string Kind { get; init; } = string.Empty;
        public string? Day { get; init; }
        public long Touches { get; init; }
        public long IsLast { get; init; }
        public long IsFirst { get; init; }
        public long ByCoupon { get; init; }
        public long Orders { get; init; }
        public long Revenue { get; init; }
        public long Customers { get; init; }
        public long DayCustomers { get; init; }
        public long? Variant { get; init; }
    }

    private sealed class VariantSqlRow
    {
        public int VariantId { get; init; }
        public long Recipients { get; init; }
        public long Sent { get; init; }
        public long Delivered { get; init; }
        public long Contacted { get; init; }
        public long Opens { get; init; }
        public long Clicks { get; init; }
    }
}
