using System.Globalization;
using CrmMarketing.Web.Domain;
using Microsoft.Data.Sqlite;

namespace CrmMarketing.Web.Data.DemoData;

/// <summary>What the completed demo newsletter left behind, as a launch and the dispatcher would have: the audience
/// snapshot with its holdout, the sent (and a few failed) messages, opens and clicks (some by link scanners), and
/// purchases in the conversion window — more of them in the treatment group, so the metrics page shows an uplift.
/// Every choice is a hash of the customer id, so the same seed and clock write the same rows; every write is one
/// INSERT … SELECT.</summary>
internal static class DemoCampaignResults
{
    /// <summary>Order numbers of the purchases written here.</summary>
    public const string OrderPrefix = "NL-";

    public static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        var activity = await ScalarAsync(connection, transaction, $"""
            SELECT Id FROM MarketingActivities
            WHERE Type = {(int)ActivityType.Email} AND Status = {(int)ActivityStatus.Completed} AND HoldoutPercent > 0 AND AbTestSharePercent IS NULL
            ORDER BY StartDate, Id LIMIT 1
            """, ct);
        if (activity is not long id)
        {
            return;
        }

        var start = DateOnly.ParseExact((string)(await ScalarAsync(connection, transaction, "SELECT StartDate FROM MarketingActivities WHERE Id = $a", ct, id))!,
            "yyyy-MM-dd", CultureInfo.InvariantCulture);
        // 02:00 UTC: ten in the morning in China, early morning in Europe.
        var launch = start.ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        string[] statements =
        [
            $"""
            UPDATE MarketingActivities SET LaunchedAt = $launch,
                AudienceCount = (SELECT COUNT(*) FROM Customers WHERE {Audience}),
                HoldoutCount = (SELECT COUNT(*) FROM Customers WHERE {Audience} AND {Holdout})
            WHERE Id = $a
            """,
            // Every 40th message bounced; the rest were accepted within the hour after launch.
            $"""
            INSERT INTO OutboxMessages (Channel, CustomerId, ToAddress, ToName, Subject, TextBody, MessageId, IdempotencyKey,
                IsMarketing, CampaignId, State, Attempts, NextAttemptAt, CreatedAt, CreatedBy, SentAt, LastError)
            SELECT {(int)MessageChannel.Email}, c.Id, c.Email, NULL, 'Newsletter', 'Newsletter',
                'demo-' || $a || '-' || c.Id || '@crm.local', 'campaign:' || $a || ':customer:' || c.Id,
                1, $a, CASE WHEN c.Id % 40 = 0 THEN {(int)OutboxState.Failed} ELSE {(int)OutboxState.Sent} END, 1,
                $launch, $launch, 'demo',
                CASE WHEN c.Id % 40 = 0 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', $launch, '+' || ((c.Id * 61) % 3600) || ' seconds') END,
                CASE WHEN c.Id % 40 = 0 THEN '550 5.1.1 mailbox unavailable' END
            FROM Customers AS c WHERE {Audience.Replace("Id", "c.Id", StringComparison.Ordinal)} AND NOT ({Holdout.Replace("Id", "c.Id", StringComparison.Ordinal)})
            """,
            $"""
            INSERT INTO CampaignRecipients (ActivityId, CustomerId, "Group", VariantId, AwaitingWinner, OutboxMessageId, AssignedUserId, ContactedAt, CreatedAt)
            SELECT $a, o.CustomerId, {(int)RecipientGroup.Treatment}, NULL, 0, o.Id, NULL, o.SentAt, $launch
            FROM OutboxMessages AS o WHERE o.CampaignId = $a
            """,
            $"""
            INSERT INTO CampaignRecipients (ActivityId, CustomerId, "Group", VariantId, AwaitingWinner, OutboxMessageId, AssignedUserId, ContactedAt, CreatedAt)
            SELECT $a, Id, {(int)RecipientGroup.Holdout}, NULL, 0, NULL, NULL, NULL, $launch
            FROM Customers WHERE {Audience} AND {Holdout}
            """,
            // About 40 % opened (a quarter of those clicked), hours to days later; 5 % were opened and clicked by a link
            // scanner seconds after delivery (suspected bots, left out of the metrics).
            $"""
            INSERT INTO MessageEvents (OutboxMessageId, Type, OccurredAt, Url, IsSuspectedBot, UserAgent)
            SELECT o.Id, e.Type, strftime('%Y-%m-%d %H:%M:%S', o.SentAt, '+' || (e.Delay + ((o.CustomerId * 97) % 50000)) || ' seconds'),
                CASE WHEN e.Type = {(int)MessageEventType.Click} THEN 'https://shop.example/newsletter' END, 0, 'Mozilla/5.0'
            FROM OutboxMessages AS o
            JOIN (SELECT {(int)MessageEventType.Open} AS Type, 600 AS Delay, 40 AS Share UNION ALL SELECT {(int)MessageEventType.Click}, 900, 10) AS e
                ON (o.CustomerId * 2654435761) % 100 < e.Share
            WHERE o.CampaignId = $a AND o.SentAt IS NOT NULL
            """,
            $"""
            INSERT INTO MessageEvents (OutboxMessageId, Type, OccurredAt, Url, IsSuspectedBot, UserAgent)
            SELECT o.Id, e.Type, strftime('%Y-%m-%d %H:%M:%S', o.SentAt, '+2 seconds'),
                CASE WHEN e.Type = {(int)MessageEventType.Click} THEN 'https://shop.example/newsletter' END, 1, 'LinkScanner/1.0'
            FROM OutboxMessages AS o
            JOIN (SELECT {(int)MessageEventType.Open} AS Type UNION ALL SELECT {(int)MessageEventType.Click}) AS e
            WHERE o.CampaignId = $a AND o.SentAt IS NOT NULL AND (o.CustomerId * 40503) % 100 < 5
            """,
            $"""
            INSERT INTO MessageEvents (OutboxMessageId, Type, OccurredAt, Url, IsSuspectedBot, UserAgent)
            SELECT o.Id, {(int)MessageEventType.Unsubscribe}, strftime('%Y-%m-%d %H:%M:%S', o.SentAt, '+3 hours'), NULL, 0, 'Mozilla/5.0'
            FROM OutboxMessages AS o
            WHERE o.CampaignId = $a AND o.SentAt IS NOT NULL AND (o.CustomerId * 7919) % 100 = 0
            """,
            // Purchases within the window: 18 % of the contacted treatment customers, 4 % of the holdout (counted from launch).
            $"""
            INSERT INTO Purchases (OrderNumber, CustomerId, PurchasedAt, Channel, CouponCode, Total, CreatedAt, CreatedBy)
            SELECT '{OrderPrefix}' || $a || '-' || r.CustomerId, r.CustomerId, {PurchaseTime}, {(int)PurchaseChannel.Online}, NULL,
                pr.ListPrice * (1 + r.CustomerId % 3), {PurchaseTime}, 'demo'
            FROM CampaignRecipients AS r JOIN ({Products}) AS pr ON pr.Rn = r.CustomerId % 7
            WHERE r.ActivityId = $a
                AND ((r."Group" = {(int)RecipientGroup.Treatment} AND r.ContactedAt IS NOT NULL AND (r.CustomerId * 48271) % 100 < 18)
                  OR (r."Group" = {(int)RecipientGroup.Holdout} AND (r.CustomerId * 48271) % 100 < 4))
            """,
            $"""
            INSERT INTO PurchaseLines (PurchaseId, ProductId, Quantity, UnitPrice, Amount)
            SELECT p.Id, pr.Id, 1 + p.CustomerId % 3, pr.ListPrice, p.Total
            FROM Purchases AS p JOIN ({Products}) AS pr ON pr.Rn = p.CustomerId % 7
            WHERE p.OrderNumber LIKE '{OrderPrefix}' || $a || '-%'
            """,
        ];
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$a", id);
            command.Parameters.AddWithValue("$launch", launch);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Customers who could be emailed at launch: opted in, not archived, with an address.</summary>
    internal const string Audience = "EmailConsent = 1 AND IsArchived = 0 AND Email IS NOT NULL AND CreatedAt < $launch";

    /// <summary>Seven products a purchase is chosen from, numbered 0–6.</summary>
    internal const string Products = "SELECT Id, ListPrice, ROW_NUMBER() OVER (ORDER BY Id) - 1 AS Rn FROM Products WHERE IsActive = 1 AND ListPrice > 0 ORDER BY Id LIMIT 7";

    /// <summary>One to six days after the contact (holdout: after the launch).</summary>
    internal const string PurchaseTime = "strftime('%Y-%m-%d %H:%M:%S', COALESCE(r.ContactedAt, $launch), '+' || (1 + (r.CustomerId * 31) % 518400) || ' seconds')";

    /// <summary>A deterministic tenth of the audience.</summary>
    private const string Holdout = "(Id * 2246822519) % 100 < 10";

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken ct, long? id = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (id is { } a)
        {
            command.Parameters.AddWithValue("$a", a);
        }

        return await command.ExecuteScalarAsync(ct);
    }
}
