using CrmMarketing.Web.Domain;

namespace CrmMarketing.Web.Data.DemoData;

/// <summary>A year of marketing activities around today — finished, running and planned — with their costs, so the
/// activity list, calendar and budget views have something true to show.</summary>
internal static class DemoActivities
{
    private sealed record Plan(string En, string Zh, ActivityType Type, string? Channel, int StartOffset, int Days, decimal Budget,
        decimal[] Costs, CostCategory CostCategory, ActivityStatus? Status = null, string? Coupon = null, int? Reach = null, int? Impressions = null,
        int Holdout = 0, int? AbShare = null);

    /// <summary>The subject-line test's variants: label, template name, subject and opening line (English, Chinese).</summary>
    private static readonly (string Label, string En, string Zh, string SubjectEn, string SubjectZh, string LineEn, string LineZh)[] AbVariants =
    [
        ("A", "Autumn offers: plain subject", "秋季优惠：平实标题", "Our autumn offers", "秋季优惠", "Our autumn offers are in the shop.", "秋季优惠已上架。"),
        ("B", "Autumn offers: personal subject", "秋季优惠：个性化标题", "Picked for you: your autumn favourites",
            "为您精选：您的秋季心头好", "We picked these autumn offers for you.", "我们为您挑选了这些秋季优惠。"),
    ];

    private static readonly Plan[] Plans =
    [
        new("New Year newsletter", "新年会员通讯", ActivityType.Email, "Newsletter", -330, 7, 2_000m, [600m, 450m], CostCategory.Messaging, Holdout: 10),
        new("Spring festival red packets", "春节红包促销", ActivityType.Promotion, "App", -300, 14, 30_000m, [12_000m, 9_500m, 4_200m], CostCategory.Media, Coupon: "SPRING-RED"),
        new("Spring tea tasting in stores", "门店春茶品鉴会", ActivityType.OfflineEvent, "Flagship stores", -240, 3, 15_000m, [6_000m, 5_200m, 5_900m], CostCategory.Venue, Reach: 860),
        new("618 search ads", "618 搜索广告", ActivityType.OnlineAds, "Baidu / Tmall", -170, 21, 80_000m, [25_000m, 30_000m, 22_500m], CostCategory.Media, Impressions: 1_250_000, Reach: 310_000),
        new("Lapsed customers win-back SMS", "流失客户召回短信", ActivityType.Sms, "SMS gateway", -120, 5, 3_000m, [1_200m], CostCategory.Messaging, Holdout: 20),
        new("VIP birthday gifts", "VIP 生日礼", ActivityType.Gift, "Courier", -90, 60, 12_000m, [4_800m, 4_100m], CostCategory.Gifts),
        new("Mid-autumn call campaign", "中秋关怀回访", ActivityType.Phone, "Sales team", -70, 10, 5_000m, [3_200m], CostCategory.Staff, ActivityStatus.Cancelled),
        new("Subject line A/B test", "邮件标题 A/B 测试", ActivityType.Email, "Newsletter", -45, 3, 1_500m, [400m, 350m], CostCategory.Messaging, Holdout: 10,
            AbShare: 20),
        new("Double 11 pre-sale", "双十一预售", ActivityType.Email, "Newsletter", -20, 30, 6_000m, [1_800m, 2_100m], CostCategory.Creative, Holdout: 10, Coupon: "D11-VIP"),
        new("Winter coupon push", "冬季优惠券推送", ActivityType.Sms, "SMS gateway", 10, 14, 4_000m, [], CostCategory.Messaging),
        new("Year-end member event", "年终会员答谢会", ActivityType.OfflineEvent, "City hotel", 35, 2, 20_000m, [], CostCategory.Venue),
        new("Spring catalogue ads", "春季新品广告", ActivityType.OnlineAds, "Douyin", 70, 28, 50_000m, [], CostCategory.Media),
    ];

    /// <summary>The email templates of the A/B test's variants, in label order: marketing, tracked, with an unsubscribe link.</summary>
    public static List<MessageTemplate> AbTemplates(bool chinese, DateTime nowUtc, string ownerName)
    {
        var created = nowUtc.AddDays(-70);
        return AbVariants.Select(v => new MessageTemplate
        {
            Name = chinese ? v.Zh : v.En,
            Channel = MessageChannel.Email,
            IsMarketing = true,
            TrackingEnabled = true,
            Subject = chinese ? v.SubjectZh : v.SubjectEn,
            HtmlBody = chinese
                ? $"<p>{{{{name|亲爱的会员}}}}，您好：</p><p>{v.LineZh}</p><p><a href=\"https://shop.example/autumn\">立即选购</a></p><p><a href=\"{{{{unsubscribe_url}}}}\">退订</a></p>"
                : $"<p>Dear {{{{name|customer}}}},</p><p>{v.LineEn}</p><p><a href=\"https://shop.example/autumn\">Shop now</a></p><p><a href=\"{{{{unsubscribe_url}}}}\">Unsubscribe</a></p>",
            CreatedAt = created,
            CreatedBy = ownerName,
            UpdatedAt = created,
            UpdatedBy = ownerName,
        }).ToList();
    }

    /// <summary>The activities; the A/B test's variants use <paramref name="abTemplateIds"/> (from <see cref="AbTemplates"/>).</summary>
    public static List<MarketingActivity> Create(bool chinese, DateTime nowUtc, string? ownerUserId, string ownerName, IReadOnlyList<int> abTemplateIds)
    {
        var today = DateOnly.FromDateTime(nowUtc);
        var activities = new List<MarketingActivity>();
        foreach (var p in Plans)
        {
            var start = today.AddDays(p.StartOffset);
            var end = start.AddDays(p.Days - 1);
            var status = p.Status ?? (end < today ? ActivityStatus.Completed
                : start <= today ? ActivityStatus.Running
                : p.StartOffset > 45 ? ActivityStatus.Draft
                : ActivityStatus.Scheduled);
            var created = start.AddDays(-21).ToDateTime(new TimeOnly(9, 30), DateTimeKind.Utc);
            var activity = new MarketingActivity
            {
                Name = chinese ? p.Zh : p.En,
                Type = p.Type,
                Channel = p.Channel,
                Status = status,
                StartDate = start,
                EndDate = end,
                Budget = p.Budget,
                OwnerUserId = ownerUserId,
                OwnerName = ownerName,
                ConversionGoal = ConversionGoal.AnyPurchase,
                ConversionWindowDays = p.Type is ActivityType.OfflineEvent or ActivityType.Gift ? 30 : 14,
                HoldoutPercent = p.Holdout,
                CouponCode = p.Coupon,
                Reach = p.Reach,
                Impressions = p.Impressions,
                CreatedAt = created,
                UpdatedAt = created,
                UpdatedByName = ownerName,
                Version = 1,
            };
            if (p.AbShare is { } share)
            {
                // Decided by the open rate a day after launch; the results are written with the newsletter's.
                activity.AbTestSharePercent = share;
                activity.AbWinnerMetric = AbWinnerMetric.Open;
                activity.AbTestHours = 24;
                for (var i = 0; i < AbVariants.Length; i++)
                {
                    activity.Variants.Add(new ActivityVariant { Label = AbVariants[i].Label, TemplateId = abTemplateIds[i] });
                }
            }

            for (var i = 0; i < p.Costs.Length; i++)
            {
                activity.Costs.Add(new ActivityCost
                {
                    Date = start.AddDays(Math.Min(i * 3, p.Days - 1)),
                    Amount = p.Costs[i],
                    Category = i == 0 ? p.CostCategory : i == 1 ? CostCategory.Creative : CostCategory.Production,
                    CreatedAt = created.AddDays(21 + (i * 3)),
                    CreatedByName = ownerName,
                });
            }

            activities.Add(activity);
        }

        return activities;
    }
}
