using CrmMarketing.UnitTests.Infrastructure;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CrmMarketing.UnitTests.Messaging;

/// <summary>A file SQLite database (the dispatcher's workers use several connections at once), options and a
/// settable clock, from which dispatchers are built the way the app builds them.</summary>
public sealed class OutboxHarness : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "crm-outbox-tests", Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public OutboxHarness()
    {
        System.IO.Directory.CreateDirectory(_directory);
        var connectionString = $"Data Source={Path.Combine(_directory, "crm.db")};Pooling=False";
        var services = new ServiceCollection();
        services.AddDbContext<CrmDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqlitePragmaInterceptor()));
        services.AddSingleton<TimeProvider>(Time);
        services.AddHttpClient(HttpSmsSender.HttpClientName);
        _services = services.BuildServiceProvider();
        using var db = CreateContext();
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
    }

    public FixedTimeProvider Time { get; } = new(TestServices.Now);

    public SmtpOptions Smtp { get; } = new()
    {
        Mode = SmtpMode.Smtp,
        Host = "127.0.0.1",
        Security = SmtpSecurity.None,
        FromAddress = "news@shop.example",
        FromName = "Shop",
        ParallelConnections = 2,
        MessagesPerConnection = 1000,
        TimeoutSeconds = 10,
    };

    public SmsGatewayOptions Sms { get; } = new() { QuietHoursStart = null, QuietHoursEnd = null, MessagesPerSecond = 0, Sender = "SHOP" };

    public OutboxOptions Outbox { get; } = new() { BatchSize = 100, LeaseSeconds = 300, MaxAttempts = 5, RetryBaseSeconds = 30, RetryMaxSeconds = 600 };

    public CrmOptions Crm { get; } = new() { TimeZone = "UTC" };

    public string Directory => _directory;

    public IServiceScopeFactory Scopes => _services.GetRequiredService<IServiceScopeFactory>();

    public CrmDbContext CreateContext() => _services.CreateScope().ServiceProvider.GetRequiredService<CrmDbContext>();

    public IEmailSender SmtpSender() => new SmtpEmailSender(Options.Create(Smtp), Time);

    public ISmsSender HttpSms() => new HttpSmsSender(_services.GetRequiredService<IHttpClientFactory>(), Options.Create(Sms), Time);

    public OutboxDispatcher Dispatcher(IEmailSender? email = null, ISmsSender? sms = null) => new(
        _services.GetRequiredService<IServiceScopeFactory>(),
        email ?? SmtpSender(),
        sms ?? HttpSms(),
        Options.Create(Outbox),
        Options.Create(Smtp),
        Options.Create(Sms),
        Options.Create(Crm),
        Time,
        NullLogger<OutboxDispatcher>.Instance);

    public OutboxService OutboxService(CrmDbContext db) => new(db, Time, Options.Create(Smtp));

    public async Task<OutboxMessage> EnqueueEmailAsync(string to, string? name = "Li Lei", string subject = "Spring offers", bool marketing = false,
        int? customerId = null, string? unsubscribeUrl = null)
    {
        await using var db = CreateContext();
        var result = await OutboxService(db).EnqueueAndSaveAsync(new OutboxRequest
        {
            Channel = MessageChannel.Email,
            ToAddress = to,
            ToName = name,
            Subject = subject,
            HtmlBody = "<p>Hello " + to + "</p>",
            TextBody = "Hello " + to,
            IdempotencyKey = "test:" + Guid.NewGuid().ToString("N"),
            IsMarketing = marketing,
            CustomerId = customerId,
            UnsubscribeUrl = unsubscribeUrl,
        }, CancellationToken.None);
        return result.Message;
    }

    public async Task<OutboxMessage> EnqueueSmsAsync(string to, string text)
    {
        await using var db = CreateContext();
        var result = await OutboxService(db).EnqueueAndSaveAsync(new OutboxRequest
        {
            Channel = MessageChannel.Sms,
            ToAddress = to,
            TextBody = text,
            IdempotencyKey = "test:" + Guid.NewGuid().ToString("N"),
        }, CancellationToken.None);
        return result.Message;
    }

    public async Task<OutboxMessage> GetAsync(long id)
    {
        await using var db = CreateContext();
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public async Task<List<OutboxMessage>> AllAsync()
    {
        await using var db = CreateContext();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    public void Advance(TimeSpan by) => Time.Now += by;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left to the temp folder's cleanup.
        }
    }
}
