using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Data.DemoData;

/// <summary>Demo accounts and a realistic, reproducible demo data set for an empty database.</summary>
public sealed partial class DemoDataSeeder(
    CrmDbContext db,
    UserManager<ApplicationUser> users,
    IOptions<DemoOptions> options,
    TimeProvider time,
    ILogger<DemoDataSeeder> logger)
{
    /// <summary>The fixed seed: every run on the same day gives the same customers, orders and totals.</summary>
    public const int RandomSeed = 20_261_125;

    /// <summary>Creates the admin, marketer and sales demo accounts that do not exist yet.</summary>
    public async Task SeedAccountsAsync(CancellationToken ct)
    {
        var catalog = DemoCatalog.For(options.Value.Locale);
        foreach (var account in catalog.Accounts)
        {
            ct.ThrowIfCancellationRequested();
            var user = await users.FindByEmailAsync(account.Email);
            if (user is null)
            {
                user = new ApplicationUser
                {
                    UserName = account.Email,
                    Email = account.Email,
                    EmailConfirmed = true,
                    DisplayName = account.DisplayName,
                    CreatedAt = time.GetUtcNow().UtcDateTime,
                };
                Check(await users.CreateAsync(user, options.Value.Password), account.Role);
                LogAccountCreated(logger, account.Role);
            }

            if (!await users.IsInRoleAsync(user, account.Role))
            {
                Check(await users.AddToRoleAsync(user, account.Role), account.Role);
            }
        }
    }

    /// <summary>Fills an empty database (no customers) with products, customers, purchases, events and notes.</summary>
    public async Task SeedDataAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.Customers <= 0 || await db.Customers.AnyAsync(ct))
        {
            LogSkipped(logger);
            return;
        }

        if (!db.Database.IsSqlite())
        {
            throw new NotSupportedException("The demo data seeder writes with SQLite commands.");
        }

        var started = time.GetTimestamp();
        var catalog = DemoCatalog.For(settings.Locale);
        var authors = await NoteAuthorsAsync(catalog, ct);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var writer = new DemoDataWriter((SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)tx.GetDbTransaction());

            var ids = await writer.ReadIdBaseAsync(ct);
            var generator = new DemoDataGenerator(catalog, RandomSeed, time.GetUtcNow().UtcDateTime);
            var data = generator.Generate(settings.Customers, ids, authors, await writer.ReadProductSkusAsync(ct));
            var generated = time.GetElapsedTime(started);

            writer.Write(data, ct);
            await writer.RecomputeAggregatesAsync(ids.Customer + 1, ids.Customer + data.Customers.Count, ct);

            // Activities are not tied to customers: a re-seed after customers were deleted keeps the ones there are.
            if (!await db.MarketingActivities.AnyAsync(ct))
            {
                var marketer = authors.FirstOrDefault(a => a.UserId is not null && catalog.Accounts.Any(x => x.Role == Roles.Marketer && x.DisplayName == a.Name));
                var ownerName = marketer?.Name ?? "Marketing";
                var abTemplateIds = await AbTemplateIdsAsync(catalog.IsChinese, ownerName, ct);
                db.MarketingActivities.AddRange(DemoActivities.Create(catalog.IsChinese, time.GetUtcNow().UtcDateTime, marketer?.UserId, ownerName, abTemplateIds));
                await db.SaveChangesAsync(ct);

                // The completed newsletter's and A/B test's recipients, messages, opens, clicks and purchases for their
                // metrics pages.
                var connection = (SqliteConnection)db.Database.GetDbConnection();
                await DemoCampaignResults.WriteAsync(connection, (SqliteTransaction)tx.GetDbTransaction(), ct);
                await DemoAbTestResults.WriteAsync(connection, (SqliteTransaction)tx.GetDbTransaction(), ct);
                await writer.RecomputeAggregatesAsync(ids.Customer + 1, ids.Customer + data.Customers.Count, ct);
            }

            await tx.CommitAsync(ct);

            LogSeeded(logger, data.Customers.Count, data.Products.Count, data.Purchases.Count, data.LineCount,
                data.Events.Count, data.Notes.Count, (long)generated.TotalMilliseconds, (long)time.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        await SeedFeedbackAsync(catalog, authors, ct);
    }

    /// <summary>The A/B test's templates, reusing one of the same name that is already there (names are unique per channel).</summary>
    private async Task<List<int>> AbTemplateIdsAsync(bool chinese, string ownerName, CancellationToken ct)
    {
        var templates = new List<MessageTemplate>();
        foreach (var template in DemoActivities.AbTemplates(chinese, time.GetUtcNow().UtcDateTime, ownerName))
        {
            var existing = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Channel == template.Channel && t.Name == template.Name, ct);
            if (existing is null)
            {
                db.MessageTemplates.Add(template);
            }

            templates.Add(existing ?? template);
        }

        await db.SaveChangesAsync(ct);
        return templates.Select(t => t.Id).ToList();
    }

    /// <summary>Owners, surveys, answers, staff feedback and follow-ups over the customers just written.</summary>
    private async Task SeedFeedbackAsync(DemoCatalog catalog, IReadOnlyList<DemoNoteAuthor> authors, CancellationToken ct)
    {
        var salesEmails = catalog.Accounts.Where(a => a.Role == Roles.Sales).Select(a => a.Email.ToUpperInvariant()).ToList();
        var salesIds = await users.Users.AsNoTracking().Where(u => u.NormalizedEmail != null && salesEmails.Contains(u.NormalizedEmail))
            .Select(u => u.Id).ToListAsync(ct);
        var staff = authors.Where(a => a.UserId is not null).Select(a => (a.UserId, a.Name)).ToList();
        var productIds = await db.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).Take(200).ToListAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (feedback, invitations, followUps) = await new DemoFeedback(db, catalog.IsChinese, time.GetUtcNow().UtcDateTime, RandomSeed)
            .WriteAsync(salesIds, staff, productIds, ct);
        await tx.CommitAsync(ct);
        LogFeedbackSeeded(logger, feedback, invitations, followUps);
    }

    private async Task<IReadOnlyList<DemoNoteAuthor>> NoteAuthorsAsync(DemoCatalog catalog, CancellationToken ct)
    {
        var emails = catalog.Accounts.Select(a => a.Email.ToUpperInvariant()).ToList();
        var found = await users.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail != null && emails.Contains(u.NormalizedEmail))
            .Select(u => new { u.Id, u.NormalizedEmail, u.DisplayName })
            .ToListAsync(ct);

        // Sales staff write most notes, marketing some, the administrator a few.
        var authors = new List<DemoNoteAuthor>();
        foreach (var account in catalog.Accounts)
        {
            var user = found.FirstOrDefault(u => u.NormalizedEmail == account.Email.ToUpperInvariant());
            var weight = account.Role switch
            {
                Roles.Sales => 6,
                Roles.Marketer => 3,
                _ => 1,
            };
            authors.Add(new DemoNoteAuthor(user?.Id, user?.DisplayName ?? account.DisplayName, weight));
        }

        return authors;
    }

    private static void Check(IdentityResult result, string role)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"The {role} demo account could not be set up (check Demo:Password): " +
                string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the {Role} demo account.")]
    private static partial void LogAccountCreated(ILogger logger, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded demo satisfaction data: {Feedback} feedback entries, {Invitations} survey invitations, {FollowUps} follow-ups.")]
    private static partial void LogFeedbackSeeded(ILogger logger, int feedback, int invitations, int followUps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data not seeded: the database already has customers, or Demo:Customers is zero.")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded demo data: {Customers} customers, {Products} products, {Purchases} purchases with {Lines} lines, {Events} events, {Notes} notes (generated in {GeneratedMs} ms, {ElapsedMs} ms in total).")]
    private static partial void LogSeeded(ILogger logger, int customers, int products, int purchases, int lines, int events, int notes, long generatedMs, long elapsedMs);
}
