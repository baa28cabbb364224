using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.UnitTests.Campaigns;

/// <summary>The metrics against hand-computed fixtures: recipients, messages, events and purchases are written
/// directly, as a launch and the dispatcher would have left them.</summary>
public class CampaignMetricsServiceTests : IDisposable
{
    private static readonly DateTime Launch = CampaignFixture.Launch;
    private readonly TestDatabase _database;
    private readonly CampaignFixture _fixture;

    public CampaignMetricsServiceTests()
    {
        _database = new TestDatabase();
        _fixture = new CampaignFixture(_database);
    }

    public void Dispose() => _database.Dispose();

    /// <summary>The metrics, checked to be the same whether the purchases are sought per recipient or read
    /// range-first.</summary>
    private async Task<ActivityMetrics> MetricsAsync(int activityId)
    {
        await using var db = _database.CreateContext();
        var service = new CampaignMetricsService(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter());
        var metrics = (await service.ComputeAsync(activityId, default))!;
        foreach (var access in new[] { PurchaseAccess.PerRecipient, PurchaseAccess.RangeFirst })
        {
            var other = (await service.ComputeAsync(activityId, access, default))!;
            Assert.Equal(metrics.Days, other.Days);
            Assert.Equal(metrics.Variants, other.Variants);
            Assert.Equal(metrics, other with { Days = metrics.Days, Variants = metrics.Variants });
        }

        return metrics;
    }

    private Task<int> AddActivityAsync(string name, Action<MarketingActivity>? configure = null) => _fixture.ActivityAsync(name, configure);

    /// <summary>A recipient; treatment recipients get an outbox message in <paramref name="state"/>, sent at
    /// <paramref name="sentAt"/> (the contact time when the recipient's own ContactedAt is not filled).</summary>
    private Task<long?> AddRecipientAsync(int activityId, int customerId, DateTime? sentAt,
        RecipientGroup group = RecipientGroup.Treatment, OutboxState state = OutboxState.Sent, DateTime? contactedAt = null, int? variantId = null) =>
        _fixture.RecipientAsync(activityId, customerId, group == RecipientGroup.Treatment ? state : null, sentAt, group, contactedAt, variantId);

    /// <summary>An email A/B test of two variants (A, B) on <paramref name="sharePercent"/> % of the treatment group.</summary>
    private async Task<(int Id, int A, int B)> AddAbActivityAsync(string name, int sharePercent, AbWinnerMetric metric)
    {
        var id = await AddActivityAsync(name, a =>
        {
            a.AbTestSharePercent = sharePercent;
            a.AbTestHours = 24;
            a.AbWinnerMetric = metric;
        });
        await using var db = _database.CreateContext();
        var templates = new[] { "Spring subject", "Summer subject" }.Select(n => new MessageTemplate
        {
            Name = n,
            Channel = MessageChannel.Email,
            IsMarketing = true,
            Subject = n,
            HtmlBody = "<p>Hello</p>",
            CreatedAt = Launch,
            UpdatedAt = Launch,
        }).ToList();
        db.MessageTemplates.AddRange(templates);
        await db.SaveChangesAsync();
        var a = new ActivityVariant { ActivityId = id, Label = "A", TemplateId = templates[0].Id };
        var b = new ActivityVariant { ActivityId = id, Label = "B", TemplateId = templates[1].Id };
        db.ActivityVariants.AddRange(a, b);
        await db.SaveChangesAsync();
        return (id, a.Id, b.Id);
    }

    /// <summary>A new customer on the chosen side of the activity's A/B split (the launch's deterministic bucket).</summary>
    private async Task<Customer> AddCustomerInSplitAsync(int activityId, int sharePercent, bool inTest)
    {
        var sql = $"SELECT {CampaignLaunchService.InAbTestSql("r", "@a", "@share")} AS Value FROM (SELECT @c AS CustomerId, 1 AS VariantId) AS r";
        for (var i = 0; i < 100; i++)
        {
            var customer = await _database.AddCustomerAsync($"Split {activityId} {inTest} {i}");
            await using var db = _database.CreateContext();
            var tested = await db.Database.SqlQueryRaw<long>(sql, new SqliteParameter("@a", activityId), new SqliteParameter("@share", sharePercent),
                new SqliteParameter("@c", customer.Id)).SingleAsync();
            if (tested == 1 == inTest)
            {
                return customer;
            }
        }

        throw new InvalidOperationException($"No customer fell {(inTest ? "inside" : "outside")} the {sharePercent} % test share.");
    }

    private Task AddEventAsync(long messageId, MessageEventType type, bool bot = false) => _fixture.EventAsync(messageId, type, bot);

    private Task AddPurchaseAsync(int customerId, DateTime at, decimal total, string? coupon = null, int? productId = null) =>
        _fixture.PurchaseAsync(customerId, at, total, coupon, productId);

    private Task AddCostAsync(int activityId, decimal amount) => _fixture.CostAsync(activityId, amount);

    [Fact]
    public async Task ComputeAsync_CustomerTouchedByTwoActivities_AttributesByModel()
    {
        var c = await _database.AddCustomerAsync("Wang Fang");
        var first = await AddActivityAsync("First");
        var second = await AddActivityAsync("Second");
        await AddRecipientAsync(first, c.Id, Launch);                 // contact 1 June 10:00, window to 15 June
        await AddRecipientAsync(second, c.Id, Launch.AddDays(4));     // contact 5 June 10:00, window to 19 June
        await AddPurchaseAsync(c.Id, Launch.AddDays(2), 100m);        // 3 June: only the first activity touches it
        await AddPurchaseAsync(c.Id, Launch.AddDays(6), 300m);        // 7 June: both touch it

        var a = await MetricsAsync(first);
        var b = await MetricsAsync(second);

        // First: last touch 100 (the 300 goes to the later contact), first touch 100 + 300, linear 100 + 300/2.
        Assert.Equal(100m, a.LastTouch.Revenue);
        Assert.Equal(400m, a.FirstTouch.Revenue);
        Assert.Equal(250m, a.Linear.Revenue);
        Assert.Equal(1.5m, a.Linear.Orders);
        // Second: last touch 300, first touch nothing, linear 300/2.
        Assert.Equal(300m, b.LastTouch.Revenue);
        Assert.Equal(0m, b.FirstTouch.Revenue);
        Assert.Equal(150m, b.Linear.Revenue);
        // Each model hands out every purchase exactly once across the two activities.
        Assert.Equal(400m, a.LastTouch.Revenue + b.LastTouch.Revenue);
        Assert.Equal(400m, a.Linear.Revenue + b.Linear.Revenue);
        // Conversions do not depend on the model: the customer converted for both.
        Assert.Equal(1, a.Converters);
        Assert.Equal(2, a.ConversionOrders);
        Assert.Equal(1, b.Converters);
        Assert.Equal(1, b.ConversionOrders);
    }

    [Fact]
    public async Task ComputeAsync_ConversionWindow_EndIsInclusiveToTheSecond()
    {
        var onEdge = await _database.AddCustomerAsync("On the edge");
        var late = await _database.AddCustomerAsync("One second late");
        var early = await _database.AddCustomerAsync("Bought before contact");
        var id = await AddActivityAsync("Window", a => a.ConversionWindowDays = 14);
        foreach (var c in new[] { onEdge, late, early })
        {
            await AddRecipientAsync(id, c.Id, Launch);
        }

        await AddPurchaseAsync(onEdge.Id, Launch.AddDays(14), 50m);                   // 15 June 10:00:00 exactly: counts
        await AddPurchaseAsync(late.Id, Launch.AddDays(14).AddSeconds(1), 70m);       // 15 June 10:00:01: too late
        await AddPurchaseAsync(early.Id, Launch.AddSeconds(-1), 90m);                 // before the contact: not caused by it

        var m = await MetricsAsync(id);

        Assert.Equal(1, m.Converters);
        Assert.Equal(1, m.ContactConverters);
        Assert.Equal(50m, m.LastTouch.Revenue);
        Assert.Equal(3, m.Contacted);
        Assert.Equal(1d / 3, m.ConversionRate!.Value, 9);
    }

    [Fact]
    public async Task ComputeAsync_ContactedAtFromACallOrTheRecipient_WinsOverTheMessageSendTime()
    {
        var c = await _database.AddCustomerAsync("Called");
        var id = await AddActivityAsync("Phone", a => a.Type = ActivityType.Phone);
        // Contacted 10 days after the message was sent: a purchase 12 days after the message is 2 days after contact.
        await AddRecipientAsync(id, c.Id, Launch, contactedAt: Launch.AddDays(10));
        await AddPurchaseAsync(c.Id, Launch.AddDays(5), 40m);   // before the recorded contact
        await AddPurchaseAsync(c.Id, Launch.AddDays(12), 60m);

        var m = await MetricsAsync(id);

        Assert.Equal(60m, m.LastTouch.Revenue);
        Assert.Equal(1, m.ConversionOrders);
    }

    [Fact]
    public async Task ComputeAsync_MessagesAndEvents_CountsUniqueHumanOpensAndClicks()
    {
        var customers = new List<Customer>();
        for (var i = 0; i < 6; i++)
        {
            customers.Add(await _database.AddCustomerAsync("Customer " + i));
        }

        var id = await AddActivityAsync("Events");
        var m1 = (await AddRecipientAsync(id, customers[0].Id, Launch))!.Value;
        var m2 = (await AddRecipientAsync(id, customers[1].Id, Launch))!.Value;
        var m3 = (await AddRecipientAsync(id, customers[2].Id, Launch))!.Value;
        await AddRecipientAsync(id, customers[3].Id, null, state: OutboxState.Failed);
        await AddRecipientAsync(id, customers[4].Id, null, state: OutboxState.Suppressed);
        await AddRecipientAsync(id, customers[5].Id, null, state: OutboxState.Queued);
        // m1: a person opened twice and clicked; m2: only a link scanner (bot) opened and clicked, then the
        // person unsubscribed; m3: a click without a recorded open (images blocked) still means it was opened.
        await AddEventAsync(m1, MessageEventType.Open);
        await AddEventAsync(m1, MessageEventType.Open);
        await AddEventAsync(m1, MessageEventType.Click);
        await AddEventAsync(m2, MessageEventType.Open, bot: true);
        await AddEventAsync(m2, MessageEventType.Click, bot: true);
        await AddEventAsync(m2, MessageEventType.Unsubscribe);
        await AddEventAsync(m3, MessageEventType.Click);

        var m = await MetricsAsync(id);

        Assert.Equal(6, m.Audience);
        Assert.Equal(4, m.Sent);          // accepted or failed
        Assert.Equal(3, m.Delivered);
        Assert.Equal(1, m.Failed);
        Assert.Equal(1, m.Suppressed);
        Assert.Equal(1, m.Queued);
        Assert.Equal(2, m.UniqueOpens);   // m1, m3 — not the bot-only m2
        Assert.Equal(2, m.UniqueClicks);  // m1, m3
        Assert.Equal(1, m.Unsubscribes);
        Assert.Equal(2d / 3, m.ClickThroughRate!.Value, 9);
        Assert.Equal(3, m.Contacted);
    }

    [Fact]
    public async Task ComputeAsync_CategoryGoal_CountsOnlyPurchasesWithALineInTheCategory()
    {
        var tea = await _database.AddProductAsync("TEA-1", 80m, "Tea");
        var cup = await _database.AddProductAsync("CUP-1", 30m, "Cups");
        var teaBuyer = await _database.AddCustomerAsync("Tea buyer");
        var cupBuyer = await _database.AddCustomerAsync("Cup buyer");
        var id = await AddActivityAsync("Tea week", a =>
        {
            a.ConversionGoal = ConversionGoal.CategoryPurchase;
            a.GoalCategory = "tea";
        });
        await AddRecipientAsync(id, teaBuyer.Id, Launch);
        await AddRecipientAsync(id, cupBuyer.Id, Launch);
        await AddPurchaseAsync(teaBuyer.Id, Launch.AddDays(1), 80m, productId: tea.Id);
        await AddPurchaseAsync(cupBuyer.Id, Launch.AddDays(1), 30m, productId: cup.Id);

        var m = await MetricsAsync(id);

        Assert.Equal(1, m.Converters);
        Assert.Equal(80m, m.LastTouch.Revenue);
    }

    [Fact]
    public async Task ComputeAsync_CouponPurchases_GoToTheCouponsActivityWhateverTheModel()
    {
        var walkIn = await _database.AddCustomerAsync("Walk-in");
        var mailed = await _database.AddCustomerAsync("Mailed");
        var promotion = await AddActivityAsync("Store promotion", a =>
        {
            a.Type = ActivityType.Promotion;
            a.CouponCode = "SPRING";
            a.LaunchedAt = null;
            a.Reach = 10;
        });
        var email = await AddActivityAsync("Newsletter");
        await AddRecipientAsync(email, mailed.Id, Launch);
        await AddPurchaseAsync(walkIn.Id, Launch.AddDays(3), 120m, coupon: "SPRING");
        // In the newsletter's window, but carrying the promotion's coupon: the coupon decides.
        await AddPurchaseAsync(mailed.Id, Launch.AddDays(2), 200m, coupon: "SPRING");
        await AddPurchaseAsync(mailed.Id, Launch.AddDays(4), 50m);
        await AddCostAsync(promotion, 100m);

        var p = await MetricsAsync(promotion);
        var e = await MetricsAsync(email);

        Assert.Equal(2, p.Converters);
        Assert.Equal(2, p.CouponOrders);
        Assert.Equal(320m, p.LastTouch.Revenue);
        Assert.Equal(320m, p.FirstTouch.Revenue);
        Assert.Equal(320m, p.Linear.Revenue);
        Assert.Equal(2d / 10, p.ConversionRate!.Value, 9);     // converters / reach
        Assert.Equal(2.2m, p.Roi(AttributionModel.LastTouch));  // (320 − 100) / 100
        Assert.Equal(50m, e.LastTouch.Revenue);
        Assert.Equal(1, e.ConversionOrders);
    }

    [Fact]
    public async Task ComputeAsync_CouponTypedInLowerCase_IsStoredUpperCaseAndAttributed()
    {
        var customer = await _database.AddCustomerAsync("Store customer");
        var product = await _database.AddProductAsync("GIFT-1", 25m);
        var promotion = await AddActivityAsync("Gift box promotion", a =>
        {
            a.Type = ActivityType.Promotion;
            a.CouponCode = "GIFTBOX";
            a.LaunchedAt = null;
        });
        await using (var db = _database.CreateContext())
        {
            var form = new CrmMarketing.Web.ViewModels.Customers.PurchaseFormModel
            {
                PurchasedAt = Launch.AddDays(1),
                Channel = PurchaseChannel.Store,
                CouponCode = " giftbox ",
                Lines = [new CrmMarketing.Web.ViewModels.Customers.PurchaseLineFormModel { ProductId = product.Id, Quantity = 2 }],
            };
            var result = await TestServices.Purchases(db).RecordAsync(customer.Id, form, TestServices.Actor, default);
            Assert.Equal(CrmMarketing.Web.Services.Customers.PurchaseOutcome.Saved, result.Outcome);
        }

        var m = await MetricsAsync(promotion);

        Assert.Equal(1, m.CouponOrders);
        Assert.Equal(50m, m.LastTouch.Revenue);
    }

    [Fact]
    public async Task ComputeAsync_NoCost_RoiIsUndefined()
    {
        var c = await _database.AddCustomerAsync("Buyer");
        var id = await AddActivityAsync("Free");
        await AddRecipientAsync(id, c.Id, Launch);
        await AddPurchaseAsync(c.Id, Launch.AddDays(1), 99m);

        var m = await MetricsAsync(id);

        Assert.Equal(0m, m.Cost);
        Assert.Null(m.Roi(AttributionModel.LastTouch));
        Assert.Equal(0m, m.CostPerConversion);
    }

    [Fact]
    public async Task ComputeAsync_Holdout_MeasuredFromLaunchWithTheSameWindow()
    {
        var id = await AddActivityAsync("Uplift", a => a.HoldoutPercent = 50);
        var treated = new List<Customer>();
        for (var i = 0; i < 4; i++)
        {
            var c = await _database.AddCustomerAsync("T" + i);
            treated.Add(c);
            await AddRecipientAsync(id, c.Id, Launch.AddHours(1));
        }

        var held = new List<Customer>();
        for (var i = 0; i < 2; i++)
        {
            var c = await _database.AddCustomerAsync("H" + i);
            held.Add(c);
            await AddRecipientAsync(id, c.Id, null, RecipientGroup.Holdout);
        }

        await AddPurchaseAsync(treated[0].Id, Launch.AddDays(2), 100m);
        await AddPurchaseAsync(treated[1].Id, Launch.AddDays(3), 60m);
        await AddPurchaseAsync(held[0].Id, Launch.AddDays(14), 40m);                  // window end from launch: counts
        await AddPurchaseAsync(held[1].Id, Launch.AddSeconds(-1), 500m);              // before launch: not in the window
        await AddCostAsync(id, 80m);

        var m = await MetricsAsync(id);

        Assert.Equal(6, m.Audience);
        Assert.Equal(2, m.Holdout);
        var u = m.Uplift!;
        Assert.Equal(4, u.TreatmentSize);
        Assert.Equal(2, u.TreatmentConverters);
        Assert.Equal(160m, u.TreatmentRevenue);
        Assert.Equal(2, u.HoldoutSize);
        Assert.Equal(1, u.HoldoutConverters);
        Assert.Equal(40m, u.HoldoutRevenue);
        // 2/4 − 1/2 = 0; (160/4 − 40/2) · 4 = 80.
        Assert.Equal(0, u.Difference, 9);
        Assert.Equal(80m, u.IncrementalRevenue);
        Assert.Equal(UpliftVerdict.NotYetSignificant, u.Verdict);
        Assert.Equal(40m, m.CostPerConversion);                                        // 80 / 2 converters
        Assert.Equal(1m, m.Roi(AttributionModel.LastTouch));                            // (160 − 80) / 80
    }

    [Fact]
    public async Task ComputeAsync_DailySeries_GroupsConversionsByLocalDay()
    {
        var c1 = await _database.AddCustomerAsync("A");
        var c2 = await _database.AddCustomerAsync("B");
        var id = await AddActivityAsync("Daily");
        await AddRecipientAsync(id, c1.Id, Launch);
        await AddRecipientAsync(id, c2.Id, Launch);
        await AddPurchaseAsync(c1.Id, new DateTime(2026, 6, 2, 9, 0, 0, DateTimeKind.Utc), 10m);
        await AddPurchaseAsync(c2.Id, new DateTime(2026, 6, 2, 20, 0, 0, DateTimeKind.Utc), 20m);
        await AddPurchaseAsync(c1.Id, new DateTime(2026, 6, 4, 8, 0, 0, DateTimeKind.Utc), 5m);

        var m = await MetricsAsync(id);

        Assert.Collection(m.Days,
            d =>
            {
                Assert.Equal(new DateOnly(2026, 6, 2), d.Day);
                Assert.Equal(2, d.Orders);
                Assert.Equal(2, d.Customers);
                Assert.Equal(30m, d.LastTouch);
            },
            d =>
            {
                Assert.Equal(new DateOnly(2026, 6, 4), d.Day);
                Assert.Equal(1, d.Orders);
                Assert.Equal(5m, d.LastTouch);
            });
    }

    [Fact]
    public async Task ComputeAsync_AbTest_CountsEachVariantsTestRecipientsEngagementAndConversions()
    {
        const int share = 50;
        var (id, a, b) = await AddAbActivityAsync("Subject line test", share, AbWinnerMetric.Click);
        var a1 = await AddCustomerInSplitAsync(id, share, inTest: true);
        var a2 = await AddCustomerInSplitAsync(id, share, inTest: true);
        var a3 = await AddCustomerInSplitAsync(id, share, inTest: true);
        var b1 = await AddCustomerInSplitAsync(id, share, inTest: true);
        var b2 = await AddCustomerInSplitAsync(id, share, inTest: true);
        var rest = await AddCustomerInSplitAsync(id, share, inTest: false);
        var held = await _database.AddCustomerAsync("Held out");
        var ma1 = (await AddRecipientAsync(id, a1.Id, Launch, variantId: a))!.Value;
        var ma2 = (await AddRecipientAsync(id, a2.Id, Launch, variantId: a))!.Value;
        var ma3 = (await AddRecipientAsync(id, a3.Id, Launch, variantId: a))!.Value;
        var mb1 = (await AddRecipientAsync(id, b1.Id, Launch, variantId: b))!.Value;
        await AddRecipientAsync(id, b2.Id, null, state: OutboxState.Failed, variantId: b);
        // After the decision the rest of the audience received the winner: same VariantId, no longer waiting, but not
        // part of the test.
        var mRest = (await AddRecipientAsync(id, rest.Id, Launch.AddDays(1), variantId: b))!.Value;
        await AddRecipientAsync(id, held.Id, null, RecipientGroup.Holdout);
        await using (var db = _database.CreateContext())
        {
            var activity = await db.MarketingActivities.SingleAsync(x => x.Id == id);
            activity.AbWinnerVariantId = b;
            activity.AbDecidedAt = Launch.AddDays(1);
            await db.SaveChangesAsync();
        }

        // A: a1 opened and clicked, a2 only by a link scanner, a3 clicked with images blocked (counts as opened).
        await AddEventAsync(ma1, MessageEventType.Open);
        await AddEventAsync(ma1, MessageEventType.Click);
        await AddEventAsync(ma2, MessageEventType.Open, bot: true);
        await AddEventAsync(ma2, MessageEventType.Click, bot: true);
        await AddEventAsync(ma3, MessageEventType.Click);
        // B: b1 opened twice and did not click; the rest's open and click do not belong to the test.
        await AddEventAsync(mb1, MessageEventType.Open);
        await AddEventAsync(mb1, MessageEventType.Open);
        await AddEventAsync(mRest, MessageEventType.Open);
        await AddEventAsync(mRest, MessageEventType.Click);
        await AddPurchaseAsync(a1.Id, Launch.AddDays(2), 100m);
        await AddPurchaseAsync(a2.Id, Launch.AddDays(15), 70m);     // after the 14-day window
        await AddPurchaseAsync(b1.Id, Launch.AddDays(1), 50m);
        await AddPurchaseAsync(b1.Id, Launch.AddDays(3), 30m);
        await AddPurchaseAsync(rest.Id, Launch.AddDays(2), 400m);
        await AddPurchaseAsync(held.Id, Launch.AddDays(2), 900m);

        var m = await MetricsAsync(id);

        Assert.Equal(AbWinnerMetric.Click, m.AbWinnerMetric);
        Assert.Collection(m.Variants,
            va =>
            {
                Assert.Equal(("A", "Spring subject", false), (va.Label, va.TemplateName, va.IsWinner));
                Assert.Equal((3, 3, 3, 3), (va.Recipients, va.Sent, va.Delivered, va.Contacted));
                Assert.Equal((2, 2, 1, 100m), (va.UniqueOpens, va.UniqueClicks, va.Converters, va.Revenue));
                Assert.Equal(2d / 3, va.OpenRate!.Value, 9);
                Assert.Equal(2d / 3, va.ClickRate!.Value, 9);
                Assert.Equal(1d / 3, va.ConversionRate!.Value, 9);
                Assert.Equal(va.ClickRate, va.Rate(AbWinnerMetric.Click));
            },
            vb =>
            {
                Assert.Equal(("B", "Summer subject", true), (vb.Label, vb.TemplateName, vb.IsWinner));
                Assert.Equal((2, 2, 1, 1), (vb.Recipients, vb.Sent, vb.Delivered, vb.Contacted));
                Assert.Equal((1, 0, 1, 80m), (vb.UniqueOpens, vb.UniqueClicks, vb.Converters, vb.Revenue));
                Assert.Equal(1d, vb.OpenRate!.Value, 9);
                Assert.Equal(0d, vb.ClickRate!.Value, 9);
                Assert.Equal(1d, vb.ConversionRate!.Value, 9);
            });
        // The activity's own totals still count everyone contacted, the rest of the audience included.
        Assert.Equal(4, m.UniqueOpens);
        Assert.Equal(3, m.ContactConverters);
    }

    [Fact]
    public async Task ComputeAsync_NoAbTest_HasNoVariants()
    {
        var c = await _database.AddCustomerAsync("Plain");
        var id = await AddActivityAsync("Plain newsletter");
        var message = (await AddRecipientAsync(id, c.Id, Launch))!.Value;
        await AddEventAsync(message, MessageEventType.Click);

        var m = await MetricsAsync(id);

        Assert.Empty(m.Variants);
        Assert.Equal(1, m.UniqueClicks);
    }

    [Fact]
    public async Task ComputeAsync_UnknownActivity_ReturnsNull()
    {
        await using var db = _database.CreateContext();
        var service = new CampaignMetricsService(db, new FixedTimeProvider(TestServices.Now), TestServices.Formatter());

        Assert.Null(await service.ComputeAsync(404, default));
    }
}
