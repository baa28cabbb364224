using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Domain;

namespace CrmMarketing.UnitTests.Campaigns;

/// <summary>Writes a launched activity's data directly, as a launch and the dispatcher would have left it: the activity,
/// its recipients with their outbox messages, message events, purchases and costs.</summary>
internal sealed class CampaignFixture(TestDatabase database)
{
    /// <summary>When the fixtures' activities were launched: 1 June 2026, 10:00 UTC.</summary>
    public static readonly DateTime Launch = new(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc);

    private int _messages;

    /// <summary>A running email activity launched at <see cref="Launch"/> with a 14-day conversion window.</summary>
    public async Task<int> ActivityAsync(string name, Action<MarketingActivity>? configure = null)
    {
        await using var db = database.CreateContext();
        var activity = new MarketingActivity
        {
            Name = name,
            Type = ActivityType.Email,
            Status = ActivityStatus.Running,
            StartDate = new DateOnly(2026, 6, 1),
            EndDate = new DateOnly(2026, 6, 30),
            ConversionWindowDays = 14,
            LaunchedAt = Launch,
            CreatedAt = Launch,
            UpdatedAt = Launch,
            Version = 1,
        };
        configure?.Invoke(activity);
        db.MarketingActivities.Add(activity);
        await db.SaveChangesAsync();
        return activity.Id;
    }

    /// <summary>A recipient; with a <paramref name="state"/> it gets an outbox message in that state, sent at
    /// <paramref name="sentAt"/> when <see cref="OutboxState.Sent"/>. Returns the message's id.</summary>
    public async Task<long?> RecipientAsync(int activityId, int customerId, OutboxState? state, DateTime? sentAt,
        RecipientGroup group = RecipientGroup.Treatment, DateTime? contactedAt = null, int? variantId = null)
    {
        await using var db = database.CreateContext();
        OutboxMessage? message = null;
        if (state is { } s)
        {
            var n = ++_messages;
            message = new OutboxMessage
            {
                Channel = MessageChannel.Email,
                CustomerId = customerId,
                ToAddress = $"c{n}@example.test",
                MessageId = $"m{n}@example.test",
                IdempotencyKey = $"campaign:{activityId}:customer:{customerId}",
                IsMarketing = true,
                CampaignId = activityId,
                State = s,
                NextAttemptAt = Launch,
                CreatedAt = Launch,
                SentAt = s == OutboxState.Sent ? sentAt : null,
            };
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
        }

        db.CampaignRecipients.Add(new CampaignRecipient
        {
            ActivityId = activityId,
            CustomerId = customerId,
            Group = group,
            OutboxMessageId = message?.Id,
            ContactedAt = contactedAt,
            VariantId = variantId,
            CreatedAt = Launch,
        });
        await db.SaveChangesAsync();
        return message?.Id;
    }

    /// <summary>An open, click or unsubscribe an hour after launch.</summary>
    public async Task EventAsync(long messageId, MessageEventType type, bool bot = false)
    {
        await using var db = database.CreateContext();
        db.MessageEvents.Add(new MessageEvent { OutboxMessageId = messageId, Type = type, OccurredAt = Launch.AddHours(1), IsSuspectedBot = bot });
        await db.SaveChangesAsync();
    }

    /// <summary>A purchase, with one line of <paramref name="productId"/> when given.</summary>
    public async Task PurchaseAsync(int customerId, DateTime at, decimal total, string? coupon = null, int? productId = null)
    {
        await using var db = database.CreateContext();
        var purchase = new Purchase
        {
            OrderNumber = "T-" + Guid.NewGuid().ToString("N"),
            CustomerId = customerId,
            PurchasedAt = at,
            Total = total,
            CouponCode = coupon,
            CreatedAt = at,
        };
        if (productId is { } product)
        {
            purchase.Lines.Add(new PurchaseLine { ProductId = product, Quantity = 1, UnitPrice = total, Amount = total });
        }

        db.Purchases.Add(purchase);
        await db.SaveChangesAsync();
    }

    public async Task CostAsync(int activityId, decimal amount)
    {
        await using var db = database.CreateContext();
        db.ActivityCosts.Add(new ActivityCost { ActivityId = activityId, Date = new DateOnly(2026, 6, 1), Amount = amount, CreatedAt = Launch });
        await db.SaveChangesAsync();
    }
}
