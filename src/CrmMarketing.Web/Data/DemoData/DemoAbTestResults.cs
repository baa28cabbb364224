using System.Globalization;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Services.Campaigns;
using Microsoft.Data.Sqlite;

namespace CrmMarketing.Web.Data.DemoData;

/// <summary>What the completed demo subject-line A/B test left behind, as a launch, the scheduler's decision and the
/// dispatcher would have: the audience snapshot with its holdout and the variant split of the launch
/// (<see cref="CampaignLaunchService.InHoldoutSql"/>, <see cref="CampaignLaunchService.SplitVariantsSql"/>), the test
/// share's messages with their opens and clicks (some by link scanners) — more of them for one variant — then the winner
/// by the open rate of the test share, the rest of the treatment group sent the winner a day later, and purchases in the
/// conversion window. Like <see cref="DemoCampaignResults"/>, every choice is a hash of the customer id and every write
/// one INSERT … SELECT or UPDATE, so the same seed and clock write the same rows.</summary>
internal static class DemoAbTestResults
{
    /// <summary>Order numbers of the purchases written here.</summary>
    public const string OrderPrefix = "AB-";

    /// <summary>Per variant label: the share of delivered messages a person opened, and the share of those openers who
    /// clicked (both %). Message n of a variant (in a mixed customer order) is opened when (n × opens) mod 100 lies below
    /// the open share, and its opener clicked when (n × 61) mod 100 lies below the click share, so the rates come out as
    /// planned at any audience size.</summary>
    private static readonly (string Label, int Opens, int Clicks)[] Engagement = [("A", 24, 33), ("B", 34, 40)];

    public static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        long id = 0, share = 0, holdout = 0, hours = 0;
        string? startText = null;
        await using (var find = Command(connection, transaction, $"""
            SELECT Id, StartDate, AbTestSharePercent, HoldoutPercent, COALESCE(AbTestHours, 0) FROM MarketingActivities
            WHERE Type = {(int)ActivityType.Email} AND Status = {(int)ActivityStatus.Completed} AND AbTestSharePercent IS NOT NULL
            ORDER BY StartDate, Id LIMIT 1
            """))
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return;
            }

            (id, startText, share, holdout, hours) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }

        var variantIds = new List<int>();
        await using (var variants = Command(connection, transaction, "SELECT Id FROM ActivityVariants WHERE ActivityId = $a ORDER BY Label"))
        {
            variants.Parameters.AddWithValue("$a", id);
            await using var reader = await variants.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                variantIds.Add(reader.GetInt32(0));
            }
        }

        if (variantIds.Count < MarketingActivity.MinAbVariants)
        {
            return;
        }

        // 02:00 UTC, as the newsletter; the scheduler decided the test when its duration was over.
        var launch = DateOnly.ParseExact(startText!, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(2, 0), DateTimeKind.Utc);
        var decided = launch.AddHours(hours);

        string[] snapshot =
        [
            $"""
            INSERT INTO CampaignRecipients (ActivityId, CustomerId, "Group", VariantId, AwaitingWinner, OutboxMessageId, AssignedUserId, ContactedAt, CreatedAt)
            SELECT $a, Id, CASE WHEN {CampaignLaunchService.InHoldoutSql("Id", "@activity", "@holdout")} THEN {(int)RecipientGroup.Holdout} ELSE {(int)RecipientGroup.Treatment} END,
                NULL, 0, NULL, NULL, NULL, $launch
            FROM Customers WHERE {DemoCampaignResults.Audience}
            """,
            CampaignLaunchService.SplitVariantsSql(variantIds),
            $"""
            UPDATE MarketingActivities SET LaunchedAt = $launch, LaunchedByName = OwnerName,
                AudienceCount = (SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = $a),
                HoldoutCount = (SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = $a AND "Group" = {(int)RecipientGroup.Holdout})
            WHERE Id = $a
            """,
        ];
        await RunAsync(snapshot, launch);
        await RunAsync(Send, launch);
        await RunAsync(Decide, decided);
        await RunAsync(Send, decided);
        await RunAsync(Purchases, launch);

        async Task RunAsync(IEnumerable<string> statements, DateTime send)
        {
            foreach (var sql in statements)
            {
                await using var command = Command(connection, transaction, sql);
                command.Parameters.AddWithValue("$a", id);
                command.Parameters.AddWithValue("@activity", id);
                command.Parameters.AddWithValue("@share", share);
                command.Parameters.AddWithValue("@holdout", holdout);
                command.Parameters.AddWithValue("$launch", Text(launch));
                command.Parameters.AddWithValue("$send", Text(send));
                await command.ExecuteNonQueryAsync(ct);
            }
        }
    }

    /// <summary>The variant's engagement share in SQL, by its label (<c>o.Label</c>).</summary>
    private static string ShareSql(Func<(string Label, int Opens, int Clicks), int> pick) =>
        "CASE o.Label" + string.Concat(Engagement.Select(e => string.Create(CultureInfo.InvariantCulture, $" WHEN '{e.Label}' THEN {pick(e)}"))) + " ELSE 0 END";

    /// <summary>Sends the treatment recipients who have a variant and no message yet, at $send: the test share at launch,
    /// the rest once they carry the winner. Every 40th message bounced; the rest were accepted within the hour. Opens
    /// and clicks (<see cref="Engagement"/>) come hours later, within the test's day; link scanners open and click 5 %
    /// seconds after delivery (suspected bots, left out of the metrics).</summary>
    private static readonly string[] Send =
    [
        $"""
        INSERT INTO OutboxMessages (Channel, CustomerId, ToAddress, ToName, Subject, TextBody, MessageId, IdempotencyKey,
            IsMarketing, TemplateId, CampaignId, State, Attempts, NextAttemptAt, CreatedAt, CreatedBy, SentAt, LastError)
        SELECT {(int)MessageChannel.Email}, c.Id, c.Email, c.Name, t.Subject, t.Subject,
            'demo-' || $a || '-' || c.Id || '@crm.local', 'campaign:' || $a || ':' || c.Id,
            1, t.Id, $a, CASE WHEN c.Id % 40 = 0 THEN {(int)OutboxState.Failed} ELSE {(int)OutboxState.Sent} END, 1,
            $send, $send, 'demo',
            CASE WHEN c.Id % 40 = 0 THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%S', $send, '+' || ((c.Id * 61) % 3600) || ' seconds') END,
            CASE WHEN c.Id % 40 = 0 THEN '550 5.1.1 mailbox unavailable' END
        FROM CampaignRecipients AS r
        JOIN Customers AS c ON c.Id = r.CustomerId
        JOIN ActivityVariants AS v ON v.Id = r.VariantId
        JOIN MessageTemplates AS t ON t.Id = v.TemplateId
        WHERE r.ActivityId = $a AND r."Group" = {(int)RecipientGroup.Treatment} AND r.AwaitingWinner = 0 AND r.OutboxMessageId IS NULL
        """,
        $"""
        UPDATE CampaignRecipients SET OutboxMessageId = o.Id, ContactedAt = o.SentAt
        FROM OutboxMessages AS o
        WHERE o.IdempotencyKey = 'campaign:' || $a || ':' || CampaignRecipients.CustomerId
            AND CampaignRecipients.ActivityId = $a AND CampaignRecipients."Group" = {(int)RecipientGroup.Treatment}
            AND CampaignRecipients.AwaitingWinner = 0 AND CampaignRecipients.OutboxMessageId IS NULL
        """,
        $"""
        INSERT INTO MessageEvents (OutboxMessageId, Type, OccurredAt, Url, IsSuspectedBot, UserAgent)
        SELECT o.Id, e.Type, strftime('%Y-%m-%d %H:%M:%S', o.SentAt, '+' || (e.Delay + ((o.CustomerId * 97) % 50000)) || ' seconds'),
            CASE WHEN e.Type = {(int)MessageEventType.Click} THEN 'https://shop.example/autumn' END, 0, 'Mozilla/5.0'
        FROM (
            SELECT o.Id, o.CustomerId, o.SentAt, v.Label,
                ROW_NUMBER() OVER (PARTITION BY r.VariantId ORDER BY (o.CustomerId * 2654435761) % 1000003, o.CustomerId) AS Rn
            FROM OutboxMessages AS o
            JOIN CampaignRecipients AS r ON r.OutboxMessageId = o.Id
            JOIN ActivityVariants AS v ON v.Id = r.VariantId
            WHERE o.CampaignId = $a AND o.CreatedAt = $send AND o.SentAt IS NOT NULL
        ) AS o
        JOIN (SELECT {(int)MessageEventType.Open} AS Type, 600 AS Delay UNION ALL SELECT {(int)MessageEventType.Click}, 900) AS e
            ON (o.Rn * {ShareSql(x => x.Opens)}) % 100 < {ShareSql(x => x.Opens)}
                AND (e.Type = {(int)MessageEventType.Open} OR (o.Rn * 61) % 100 < {ShareSql(x => x.Clicks)})
        """,
        $"""
        INSERT INTO MessageEvents (OutboxMessageId, Type, OccurredAt, Url, IsSuspectedBot, UserAgent)
        SELECT o.Id, e.Type, strftime('%Y-%m-%d %H:%M:%S', o.SentAt, '+2 seconds'),
            CASE WHEN e.Type = {(int)MessageEventType.Click} THEN 'https://shop.example/autumn' END, 1, 'LinkScanner/1.0'
        FROM OutboxMessages AS o
        JOIN (SELECT {(int)MessageEventType.Open} AS Type UNION ALL SELECT {(int)MessageEventType.Click}) AS e
        WHERE o.CampaignId = $a AND o.CreatedAt = $send AND o.SentAt IS NOT NULL AND (o.CustomerId * 40503) % 100 < 5
        """,
        $"""
        INSERT INTO MessageEvents (OutboxMessageId, Type, OccurredAt, Url, IsSuspectedBot, UserAgent)
        SELECT o.Id, {(int)MessageEventType.Unsubscribe}, strftime('%Y-%m-%d %H:%M:%S', o.SentAt, '+3 hours'), NULL, 0, 'Mozilla/5.0'
        FROM OutboxMessages AS o
        WHERE o.CampaignId = $a AND o.CreatedAt = $send AND o.SentAt IS NOT NULL AND (o.CustomerId * 7919) % 100 = 0
        """,
    ];

    /// <summary>The winner (at $send): the variant with the best open rate of the test share — human opens or clicks per
    /// delivered message, as <see cref="VariantMetrics.OpenRate"/>, a tie going to the lowest label — and the rest of the
    /// treatment group given it.</summary>
    private static readonly string[] Decide =
    [
        $"""
        UPDATE MarketingActivities SET AbDecidedAt = $send, AbWinnerVariantId = (
            SELECT v.Id FROM ActivityVariants AS v
            LEFT JOIN (
                SELECT r.VariantId, SUM(o.State = {(int)OutboxState.Sent}) AS Delivered, COALESCE(SUM(e.Opened), 0) AS Opens
                FROM CampaignRecipients AS r
                JOIN OutboxMessages AS o ON o.Id = r.OutboxMessageId
                LEFT JOIN (
                    SELECT m.OutboxMessageId, MAX(m.Type IN ({(int)MessageEventType.Open}, {(int)MessageEventType.Click}) AND m.IsSuspectedBot = 0) AS Opened
                    FROM MessageEvents AS m JOIN OutboxMessages AS mo ON mo.Id = m.OutboxMessageId
                    WHERE mo.CampaignId = $a GROUP BY m.OutboxMessageId
                ) AS e ON e.OutboxMessageId = o.Id
                WHERE r.ActivityId = $a AND r."Group" = {(int)RecipientGroup.Treatment} AND {CampaignLaunchService.InAbTestSql("r", "@activity", "@share")}
                GROUP BY r.VariantId
            ) AS s ON s.VariantId = v.Id
            WHERE v.ActivityId = $a
            ORDER BY CAST(s.Opens AS REAL) / NULLIF(s.Delivered, 0) DESC NULLS LAST, v.Label
            LIMIT 1)
        WHERE Id = $a
        """,
        $"""
        UPDATE CampaignRecipients SET VariantId = (SELECT AbWinnerVariantId FROM MarketingActivities WHERE Id = $a), AwaitingWinner = 0
        WHERE ActivityId = $a AND "Group" = {(int)RecipientGroup.Treatment} AND AwaitingWinner = 1
        """,
    ];

    /// <summary>Purchases within the window: 12 % of the contacted treatment customers, 4 % of the holdout.</summary>
    private static readonly string[] Purchases =
    [
        $"""
        INSERT INTO Purchases (OrderNumber, CustomerId, PurchasedAt, Channel, CouponCode, Total, CreatedAt, CreatedBy)
        SELECT '{OrderPrefix}' || $a || '-' || r.CustomerId, r.CustomerId, {DemoCampaignResults.PurchaseTime}, {(int)PurchaseChannel.Online}, NULL,
            pr.ListPrice * (1 + r.CustomerId % 2), {DemoCampaignResults.PurchaseTime}, 'demo'
        FROM CampaignRecipients AS r JOIN ({DemoCampaignResults.Products}) AS pr ON pr.Rn = (r.CustomerId * 3) % 7
        WHERE r.ActivityId = $a
            AND ((r."Group" = {(int)RecipientGroup.Treatment} AND r.ContactedAt IS NOT NULL AND (r.CustomerId * 69621) % 100 < 12)
              OR (r."Group" = {(int)RecipientGroup.Holdout} AND (r.CustomerId * 69621) % 100 < 4))
        """,
        $"""
        INSERT INTO PurchaseLines (PurchaseId, ProductId, Quantity, UnitPrice, Amount)
        SELECT p.Id, pr.Id, 1 + p.CustomerId % 2, pr.ListPrice, p.Total
        FROM Purchases AS p JOIN ({DemoCampaignResults.Products}) AS pr ON pr.Rn = (p.CustomerId * 3) % 7
        WHERE p.OrderNumber LIKE '{OrderPrefix}' || $a || '-%'
        """,
    ];

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
