using System.Diagnostics;
using System.Globalization;

using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Resources;
using CrmMarketing.Web.Services.Audit;
using CrmMarketing.Web.Services.Campaigns;
using CrmMarketing.Web.Services.Customers;
using CrmMarketing.Web.Services.Formatting;
using CrmMarketing.Web.Services.Messaging;
using CrmMarketing.Web.Services.Templates;
using CrmMarketing.Web.Services.Tracking;

using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmMarketing.Benchmarks;

internal sealed record LaunchBenchmarkOptions(string DatabasePath, int Recipients, int Iterations);

/// <summary>Launching an email activity to a segment of the generated customers through CampaignLaunchService
/// (snapshot with holdout, render, batched enqueue, link recipients to messages) against a hand-written
/// INSERT … SELECT doing the same in SQL, each on a fresh copy of one prepared file, in the same process. The
/// generated file itself is never changed.</summary>
internal sealed class LaunchBenchmark(LaunchBenchmarkOptions options, TextWriter log)
{
    private const double Goal = 2.0;
    private const int HoldoutPercent = 10;
    private const string PublicBase = "https://crm.example.com";

    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    private IDataProtectionProvider _protection = null!;
    private readonly DisplayFormatter _formatter = new(Microsoft.Extensions.Options.Options.Create(new CrmOptions()));
    private readonly IStringLocalizer<SharedResource> _localizer = new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    public async Task RunAsync(CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath))!, "launch-bench");
        Directory.CreateDirectory(folder);
        var prepared = Path.Combine(folder, "prepared.db");
        // The application's Data Protection setup, made once as the application's singleton is, with the key ring in
        // the benchmark's scratch folder.
        _protection = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(folder, "keys")), b => b.UseCrmAlgorithms());
        var (activityId, audience) = await PrepareAsync(prepared, ct);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Prepared: segment of {audience.Members:N0} members, {audience.Contactable:N0} contactable, holdout {HoldoutPercent} %"));

        // Run 0 warms up both sides (JIT, query compilation, the Data Protection key ring) and is reported but not counted:
        // a running application has done all of that long before its next launch.
        var ratios = new List<double>();
        for (var i = 0; i <= options.Iterations; i++)
        {
            var serviceFile = Copy(prepared, Path.Combine(folder, "service.db"));
            var baselineFile = Copy(prepared, Path.Combine(folder, "baseline.db"));
            var (serviceMs, service) = await ServiceAsync(serviceFile, activityId, ct);
            var (baselineMs, baseline) = Baseline(baselineFile, activityId);
            if (service != baseline)
            {
                throw new BenchmarkFailedException($"Counts differ: service {service}, baseline {baseline}.");
            }

            var ratio = serviceMs / baselineMs;
            if (i > 0)
            {
                ratios.Add(ratio);
            }

            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(i == 0 ? "Warm-up (not counted)" : "Run " + i.ToString(CultureInfo.InvariantCulture))}: recipients {service.Recipients:N0} (holdout {service.Holdout:N0}), messages {service.Messages:N0} — service {serviceMs:N0} ms, hand SQL {baselineMs:N0} ms, ratio {ratio:N2}"));
        }

        var median = ratios.Order().ElementAt(ratios.Count / 2);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Median ratio {median:N2} (goal ≤ {Goal:N1}×): {(median <= Goal ? "met" : "NOT met")}"));
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private sealed record Counts(int Recipients, int Holdout, int Messages, int Linked);

    private sealed record Audience(int Members, int Contactable);

    /// <summary>A copy of the generated file with the first <see cref="LaunchBenchmarkOptions.Recipients"/> customers
    /// that have an email address opted in (everyone else opted out), a static segment of all customers, a marketing
    /// email template and a draft activity.</summary>
    private async Task<(int ActivityId, Audience Audience)> PrepareAsync(string path, CancellationToken ct)
    {
        Copy(options.DatabasePath, path);
        await using var db = Context(path);
        await db.Database.MigrateAsync(ct);
        await db.Database.ExecuteSqlRawAsync("UPDATE Customers SET EmailConsent = 2", ct);
        await db.Database.ExecuteSqlRawAsync(string.Create(CultureInfo.InvariantCulture,
            $"UPDATE Customers SET EmailConsent = 1, IsArchived = 0 WHERE Id IN (SELECT Id FROM Customers WHERE Email IS NOT NULL ORDER BY Id LIMIT {options.Recipients})"), ct);
        var segment = new Segment { Name = "Launch benchmark", Kind = SegmentKind.Static, CreatedAt = Now, UpdatedAt = Now };
        var template = new MessageTemplate
        {
            Name = "Autumn sale",
            Channel = MessageChannel.Email,
            IsMarketing = true,
            Subject = "Hello {{name}}",
            HtmlBody = "<p>Dear {{name}}, our autumn sale in {{city}} starts today.</p>",
            TextBody = "Dear {{name}}, our autumn sale in {{city}} starts today.",
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        db.Segments.Add(segment);
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        var members = await db.Database.ExecuteSqlRawAsync(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO SegmentMembers (SegmentId, CustomerId, AddedAt) SELECT {segment.Id}, Id, '2026-11-25 12:00:00' FROM Customers"), ct);
        segment.MemberCount = members;
        var activity = new MarketingActivity
        {
            Name = "Autumn sale",
            Type = ActivityType.Email,
            Status = ActivityStatus.Draft,
            StartDate = new DateOnly(2026, 11, 25),
            EndDate = new DateOnly(2026, 12, 9),
            SegmentId = segment.Id,
            TemplateId = template.Id,
            HoldoutPercent = HoldoutPercent,
            CreatedAt = Now,
            UpdatedAt = Now,
            Version = 1,
        };
        db.MarketingActivities.Add(activity);
        await db.SaveChangesAsync(ct);
        var contactable = await db.Customers.CountAsync(c => c.EmailConsent == ConsentState.OptedIn && !c.IsArchived, ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
        return (activity.Id, new Audience(members, contactable));
    }

    private async Task<(double Ms, Counts Counts)> ServiceAsync(string path, int activityId, CancellationToken ct)
    {
        var time = new FixedTime(Now);
        var smtp = Microsoft.Extensions.Options.Options.Create(new SmtpOptions { FromAddress = "news@example.com" });
        var tracking = Microsoft.Extensions.Options.Options.Create(new TrackingOptions { PublicBaseUrl = PublicBase });
        await using var db = Context(path);
        var tracked = new TrackedOutbox(db, new OutboxService(db, time, smtp), new MergeValueBuilder(db, _formatter, time),
            new PublicLinks(new TrackingTokens(_protection, time, tracking), tracking), _localizer);
        var service = new CampaignLaunchService(db, time, tracked, new AuditService(db, time, _formatter),
            new CampaignMetricsService(db, time, _formatter), smtp,
            Microsoft.Extensions.Options.Options.Create(new CampaignOptions()), NullLogger<CampaignLaunchService>.Instance);
        await db.Database.OpenConnectionAsync(ct);

        var watch = Stopwatch.StartNew();
        var result = await service.LaunchAsync(activityId, [], new Actor(null, "benchmark"), ct);
        watch.Stop();
        if (result.Outcome != LaunchOutcome.Launched)
        {
            throw new BenchmarkFailedException("The service did not launch: " + result.Outcome);
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        return (watch.Elapsed.TotalMilliseconds, ReadCounts(connection, activityId));
    }

    /// <summary>The same launch by hand: the service's snapshot statement (same filter, same holdout buckets), then one
    /// INSERT … SELECT writing every treatment recipient's message with the template merged by string functions, and
    /// one UPDATE linking recipients to their messages. Its unsubscribe link carries a stand-in token of similar
    /// length, because SQL cannot sign one.</summary>
    private (double Ms, Counts Counts) Baseline(string path, int activityId)
    {
        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
        CampaignLaunchService.RegisterFunctions(connection);
        var footerText = _localizer["To stop receiving these messages, unsubscribe here: {0}", "@@url@@"].Value;
        var footerHtml = "<p><small>" + System.Net.WebUtility.HtmlEncode(_localizer["To stop receiving these messages:"].Value) + " <a href=\"@@url@@\">"
            + System.Net.WebUtility.HtmlEncode(_localizer["Unsubscribe"].Value) + "</a></small></p>";

        var watch = Stopwatch.StartNew();
        using var tx = connection.BeginTransaction();
        using (var snapshot = connection.CreateCommand())
        {
            snapshot.CommandText = CampaignLaunchService.SnapshotSql(ActivityType.Email);
            snapshot.Parameters.AddWithValue("@activity", activityId);
            snapshot.Parameters.AddWithValue("@segment", SegmentOf(connection, activityId));
            snapshot.Parameters.AddWithValue("@holdout", HoldoutPercent);
            snapshot.Parameters.AddWithValue("@now", Now);
            snapshot.ExecuteNonQuery();
        }

        using (var enqueue = connection.CreateCommand())
        {
            enqueue.CommandText = """
                INSERT INTO OutboxMessages (Channel, CustomerId, ToAddress, ToName, Subject, HtmlBody, TextBody, MessageId, IdempotencyKey,
                    IsMarketing, UnsubscribeUrl, TemplateId, CampaignId, State, Attempts, NextAttemptAt, CreatedAt, CreatedBy)
                SELECT 0, x.Id, x.Email, x.Name, 'Hello ' || x.Name,
                       '<p>Dear ' || x.Name || ', our autumn sale in ' || COALESCE(x.City, '') || ' starts today.</p>' || replace(@footerHtml, '@@url@@', x.Url),
                       'Dear ' || x.Name || ', our autumn sale in ' || COALESCE(x.City, '') || ' starts today.' || char(10) || char(10) || replace(@footerText, '@@url@@', x.Url),
                       lower(hex(randomblob(16))) || '@example.com', 'campaign:' || @activity || ':' || x.Id,
                       1, x.Url, @template, @activity, 0, 0, @now, @now, 'benchmark'
                FROM (SELECT c.Id, trim(c.Email) AS Email, c.Name, c.City,
                             @base || '/unsubscribe/' || printf('%032x%032x%032x%032x', c.Id * 2654435761, c.Id * 40503, c.Id + @activity, c.Id * 69069) AS Url
                      FROM CampaignRecipients r JOIN Customers c ON c.Id = r.CustomerId
                      WHERE r.ActivityId = @activity AND r."Group" = 0
                      ORDER BY r.CustomerId) AS x
                """;
            enqueue.Parameters.AddWithValue("@activity", activityId);
            enqueue.Parameters.AddWithValue("@template", TemplateOf(connection, activityId));
            enqueue.Parameters.AddWithValue("@now", Now);
            enqueue.Parameters.AddWithValue("@base", PublicBase);
            enqueue.Parameters.AddWithValue("@footerHtml", footerHtml);
            enqueue.Parameters.AddWithValue("@footerText", footerText);
            enqueue.ExecuteNonQuery();
        }

        using (var link = connection.CreateCommand())
        {
            link.CommandText = """
                UPDATE CampaignRecipients
                SET OutboxMessageId = (SELECT o.Id FROM OutboxMessages o WHERE o.IdempotencyKey = 'campaign:' || CampaignRecipients.ActivityId || ':' || CampaignRecipients.CustomerId)
                WHERE ActivityId = @activity AND "Group" = 0;
                UPDATE MarketingActivities SET Status = 2, LaunchedAt = @now,
                    AudienceCount = (SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = @activity),
                    HoldoutCount = (SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = @activity AND "Group" = 1),
                    Version = Version + 1
                WHERE Id = @activity;
                """;
            link.Parameters.AddWithValue("@activity", activityId);
            link.Parameters.AddWithValue("@now", Now);
            link.ExecuteNonQuery();
        }

        tx.Commit();
        watch.Stop();
        return (watch.Elapsed.TotalMilliseconds, ReadCounts(connection, activityId));
    }

    private static Counts ReadCounts(SqliteConnection connection, int activityId)
    {
        int Count(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("@activity", activityId);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return new Counts(
            Count("SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = @activity"),
            Count("SELECT COUNT(*) FROM CampaignRecipients WHERE ActivityId = @activity AND \"Group\" = 1"),
            Count("SELECT COUNT(*) FROM OutboxMessages WHERE CampaignId = @activity"),
            Count("SELECT COUNT(*) FROM CampaignRecipients r JOIN OutboxMessages o ON o.Id = r.OutboxMessageId WHERE r.ActivityId = @activity AND o.CustomerId = r.CustomerId"));
    }

    private static long SegmentOf(SqliteConnection connection, int activityId) => Scalar(connection, "SELECT SegmentId FROM MarketingActivities WHERE Id = " + activityId.ToString(CultureInfo.InvariantCulture));

    private static long TemplateOf(SqliteConnection connection, int activityId) => Scalar(connection, "SELECT TemplateId FROM MarketingActivities WHERE Id = " + activityId.ToString(CultureInfo.InvariantCulture));

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Copy(string from, string to)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(to + suffix))
            {
                File.Delete(to + suffix);
            }
        }

        File.Copy(from, to);
        return to;
    }

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();

    private static CrmDbContext Context(string path) => new(new DbContextOptionsBuilder<CrmDbContext>()
        .UseSqlite(ConnectionString(path)).AddInterceptors(new SqlitePragmaInterceptor()).Options);

    private sealed class FixedTime(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
