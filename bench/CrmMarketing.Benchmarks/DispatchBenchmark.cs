using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using CrmMarketing.Web.Extensions;
using CrmMarketing.Web.Options;
using CrmMarketing.Web.Services.Messaging;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CrmMarketing.Benchmarks;

public sealed record DispatchBenchmarkOptions(int Messages, int Connections, int BatchSize);

/// <summary>Enqueues personalised emails and lets the outbox dispatcher send them to a prompt in-process SMTP
/// sink, then sends the same number with a plain MailKit loop over the same number of connections.</summary>
public sealed class DispatchBenchmark(DispatchBenchmarkOptions options, TextWriter output)
{
    public async Task<bool> RunAsync(CancellationToken ct)
    {
        await using var sink = new SmtpSink();
        sink.Start();

        // Baseline first: warms MailKit and the sink.
        var raw = await RawLoopAsync(sink.Port, ct);
        var rawCounts = sink.TakeCounts();

        var directory = Path.Combine(Path.GetTempPath(), "crm-bench-dispatch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var (enqueue, dispatch) = await DispatcherAsync(sink.Port, Path.Combine(directory, "crm.db"), ct);
            var counts = sink.TakeCounts();

            var rawRate = options.Messages / raw.TotalSeconds;
            var rate = options.Messages / dispatch.TotalSeconds;
            var lost = options.Messages - counts.Unique;
            var ratio = rate / rawRate;
            output.WriteLine($"messages: {options.Messages:N0}, connections: {options.Connections}, batch: {options.BatchSize}");
            output.WriteLine($"| run                | seconds | messages/s | received | unique Message-IDs | duplicates |");
            output.WriteLine($"|--------------------|--------:|-----------:|---------:|------------------:|-----------:|");
            output.WriteLine($"| raw MailKit loop   | {raw.TotalSeconds,7:F2} | {rawRate,10:N0} | {rawCounts.Total,8:N0} | {rawCounts.Unique,17:N0} | {rawCounts.Total - rawCounts.Unique,10:N0} |");
            output.WriteLine($"| outbox dispatcher  | {dispatch.TotalSeconds,7:F2} | {rate,10:N0} | {counts.Total,8:N0} | {counts.Unique,17:N0} | {counts.Total - counts.Unique,10:N0} |");
            output.WriteLine($"enqueue (not timed above): {enqueue.TotalSeconds:F2} s");
            output.WriteLine($"dispatcher / raw: {ratio:F2}× (goal ≥ 0.70×), dispatcher rate goal ≥ 1,500/s, lost {lost}, duplicates {counts.Total - counts.Unique}");
            var ok = ratio >= 0.7 && rate >= 1500 && lost == 0 && counts.Total == counts.Unique;
            output.WriteLine(ok ? "RESULT: all goals met" : "RESULT: goal MISSED");
            return ok;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<TimeSpan> RawLoopAsync(int port, CancellationToken ct)
    {
        var messages = Enumerable.Range(0, options.Messages).Select(i =>
        {
            var m = new MimeMessage();
            m.From.Add(new MailboxAddress("Shop", "news@shop.example"));
            m.To.Add(new MailboxAddress(Name(i), Address(i)));
            m.Subject = Subject(i);
            m.MessageId = "raw-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@shop.example";
            m.Body = new BodyBuilder { HtmlBody = Html(i), TextBody = Text(i) }.ToMessageBody();
            return m;
        }).ToList();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(async c =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, ct);
            for (var i = c; i < messages.Count; i += options.Connections)
            {
                await client.SendAsync(messages[i], ct);
            }

            await client.DisconnectAsync(true, ct);
        }));
        output.WriteLine($"raw loop CPU: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s");
        return watch.Elapsed;
    }

    private async Task<(TimeSpan Enqueue, TimeSpan Dispatch)> DispatcherAsync(int port, string path, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddSingleton<SqlitePragmaInterceptor>();
        services.AddDbContextPool<CrmDbContext>((sp, o) => o
            .UseSqlite(DataExtensions.ResolveSqliteConnectionString($"Data Source={path}", Path.GetDirectoryName(path)!))
            .AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>()));
        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            await db.Database.MigrateAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
        }

        var smtp = new SmtpOptions
        {
            Mode = SmtpMode.Smtp,
            Host = "127.0.0.1",
            Port = port,
            Security = SmtpSecurity.None,
            FromAddress = "news@shop.example",
            FromName = "Shop",
            ParallelConnections = options.Connections,
            MessagesPerConnection = 100_000,
            MessagesPerSecond = 0,
        };
        var outbox = new OutboxOptions { BatchSize = options.BatchSize, LeaseSeconds = 600, PollSeconds = 0.05 };

        var watch = Stopwatch.StartNew();
        const int chunk = 1000;
        for (var start = 0; start < options.Messages; start += chunk)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var service = new OutboxService(db, TimeProvider.System, Options.Create(smtp));
            for (var i = start; i < Math.Min(options.Messages, start + chunk); i++)
            {
                service.Enqueue(new OutboxRequest
                {
                    Channel = MessageChannel.Email,
                    ToAddress = Address(i),
                    ToName = Name(i),
                    Subject = Subject(i),
                    HtmlBody = Html(i),
                    TextBody = Text(i),
                    IdempotencyKey = "bench:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    IsMarketing = false,
                });
            }

            await db.SaveChangesAsync(ct);
        }

        var enqueue = watch.Elapsed;
        var dispatcher = new OutboxDispatcher(
            provider.GetRequiredService<IServiceScopeFactory>(),
            new SmtpEmailSender(Options.Create(smtp), TimeProvider.System),
            new LogFileSmsSender(Options.Create(new SmsGatewayOptions()), new BenchEnvironment(), TimeProvider.System),
            Options.Create(outbox),
            Options.Create(smtp),
            Options.Create(new SmsGatewayOptions { QuietHoursStart = null, QuietHoursEnd = null }),
            Options.Create(new CrmOptions { TimeZone = "UTC" }),
            TimeProvider.System,
            NullLogger<OutboxDispatcher>.Instance);
        watch.Restart();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        while (await dispatcher.DispatchDueAsync(ct) > 0)
        {
        }

        await dispatcher.CloseIdleSessionsAsync();
        var dispatch = watch.Elapsed;
        output.WriteLine($"dispatcher CPU: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s");
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            var notSent = await db.OutboxMessages.CountAsync(m => m.State != OutboxState.Sent, ct);
            output.WriteLine($"outbox rows not Sent after dispatch: {notSent}");
        }

        return (enqueue, dispatch);
    }

    private static string Name(int i) => "客户" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Address(int i) => "customer" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@bench.example";

    private static string Subject(int i) => Name(i) + "，春季会员专享优惠";

    private static string Text(int i) => "亲爱的" + Name(i) + "：\n本周末全场八折，期待您的光临。";

    private static string Html(int i) => "<p>亲爱的" + Name(i) + "：</p><p>本周末全场八折，期待您的光临。</p>";

    private sealed class BenchEnvironment : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Bench";
        public string ApplicationName { get; set; } = "bench";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

/// <summary>A minimal SMTP server that answers at once and counts Message-IDs.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _cts = new();
    private ConcurrentDictionary<string, int> _ids = new();
    private int _total;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public (int Total, int Unique) TakeCounts()
    {
        var ids = Interlocked.Exchange(ref _ids, new ConcurrentDictionary<string, int>());
        var total = Interlocked.Exchange(ref _total, 0);
        return (total, ids.Count);
    }

    private async Task AcceptAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1, false, 64 * 1024);
        var writer = new StreamWriter(stream, Encoding.Latin1, 4096) { NewLine = "\r\n", AutoFlush = false };
        try
        {
            await Reply(writer, "220 sink ready");
            while (await reader.ReadLineAsync(_cts.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await Reply(writer, "250-sink\r\n250-PIPELINING\r\n250 8BITMIME");
                        break;
                    case "DATA":
                        await Reply(writer, "354 go ahead");
                        string? messageId = null;
                        while (await reader.ReadLineAsync(_cts.Token) is { } data && data != ".")
                        {
                            if (messageId is null && data.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
                            {
                                messageId = data[11..].Trim();
                            }
                        }

                        _ids.AddOrUpdate(messageId ?? "(none)", 1, (_, n) => n + 1);
                        Interlocked.Increment(ref _total);
                        await Reply(writer, "250 2.0.0 queued");
                        break;
                    case "QUIT":
                        await Reply(writer, "221 bye");
                        return;
                    default:
                        // HELO, MAIL, RCPT, RSET, NOOP
                        await Reply(writer, "250 ok");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            // The client went away.
        }
    }

    private static async Task Reply(StreamWriter writer, string text)
    {
        await writer.WriteLineAsync(text);
        await writer.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Stop();
        _listener.Dispose();
        _cts.Dispose();
    }
}
