using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CrmMarketing.UnitTests.Messaging;

/// <summary>A real SMTP server (the SmtpServer package) on a free loopback port, keeping what it receives.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _cts;

    public int Port { get; } = FreePort();

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>A reply that rejects a recipient at RCPT TO, or null to accept it.</summary>
    public Func<string, SmtpResponse?> RejectRecipient { get; set; } = _ => null;

    /// <summary>Called after a message is stored, before the server answers 250.</summary>
    public Action<MimeMessage>? OnStored { get; set; }

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var provider = new SmtpServer.ComponentModel.ServiceProvider();
        provider.Add(new Store(this));
        provider.Add(new Filter(this));
        _server = new SmtpServer.SmtpServer(options, provider);
        _cts = new CancellationTokenSource();
        _ = _server.StartAsync(_cts.Token);
        // Listening starts asynchronously; wait until a connection succeeds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Yield();
            }
        }
    }

    public async Task StopAsync()
    {
        if (_server is null || _cts is null)
        {
            return;
        }

        _server.Shutdown();
        await _cts.CancelAsync();
        try
        {
            await _server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Cancelled sessions end the shutdown task with a cancellation.
        }

        _cts.Dispose();
        _server = null;
        _cts = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(SmtpTestServer owner) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream, cancellationToken);
            owner.Received.Enqueue(message);
            owner.OnStored?.Invoke(message);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class Filter(SmtpTestServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            var reply = owner.RejectRecipient(to.User + "@" + to.Host);
            if (reply is not null)
            {
                throw new SmtpResponseException(reply);
            }

            return Task.FromResult(true);
        }
    }
}
