using System.Net.Sockets;
using CrmMarketing.Web.Options;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CrmMarketing.Web.Services.Messaging;

/// <summary>Email over SMTP with MailKit. Each session is one authenticated connection reused for
/// <see cref="SmtpOptions.MessagesPerConnection"/> messages.</summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options, TimeProvider time) : IEmailSender
{
    public async Task<IEmailSession> OpenAsync(CancellationToken ct)
    {
        var o = options.Value;
        var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(o.Host ?? "localhost", o.Port, SecureSocketOptions(o), ct);
            if (!string.IsNullOrEmpty(o.User))
            {
                await client.AuthenticateAsync(o.User, o.Password ?? string.Empty, ct);
            }

            return new Session(client, o, time);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static SecureSocketOptions SecureSocketOptions(SmtpOptions o) => o.Security switch
    {
        SmtpSecurity.None => MailKit.Security.SecureSocketOptions.None,
        SmtpSecurity.StartTls => MailKit.Security.SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => MailKit.Security.SecureSocketOptions.SslOnConnect,
        _ => MailKit.Security.SecureSocketOptions.Auto,
    };

    /// <summary>How a failure to connect or log in is recorded against the messages waiting for the connection.</summary>
    public static DeliveryResult ClassifyConnectFailure(Exception ex) => ex switch
    {
        AuthenticationException => new DeliveryResult(DeliveryStatus.Transient, "SMTP authentication failed: " + ex.Message, ConnectionLost: true),
        SmtpCommandException command => new DeliveryResult(DeliveryStatus.Transient, Reply(command), ConnectionLost: true),
        _ => new DeliveryResult(DeliveryStatus.Transient, "SMTP connection failed: " + ex.GetType().Name + ": " + ex.Message, ConnectionLost: true),
    };

    private static string Reply(SmtpCommandException ex) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SMTP {(int)ex.StatusCode} {ex.ErrorCode}: {ex.Message}");

    private sealed class Session(SmtpClient client, SmtpOptions options, TimeProvider time) : IEmailSession
    {
        private int _sent;

        public bool IsUsable => client.IsConnected && _sent < options.MessagesPerConnection;

        public async Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken ct)
        {
            MimeMessage mime;
            try
            {
                mime = MimeMessageFactory.Create(message, options, time.GetUtcNow());
            }
            catch (ParseException ex)
            {
                return new DeliveryResult(DeliveryStatus.Permanent, "Invalid address: " + ex.Message);
            }

            _sent++;
            try
            {
                var reply = await client.SendAsync(mime, ct);
                return DeliveryResult.Sent(ProviderId(reply));
            }
            catch (SmtpCommandException ex)
            {
                var code = (int)ex.StatusCode;
                var text = Reply(ex);
                if (code is >= 400 and < 500)
                {
                    return new DeliveryResult(DeliveryStatus.Transient, text, ConnectionLost: !client.IsConnected);
                }

                var badAddress = ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && SmtpReplies.IsBadAddress(ex.Message);
                return new DeliveryResult(DeliveryStatus.Permanent, text, HardBounce: badAddress, ConnectionLost: !client.IsConnected);
            }
            catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException
                                       || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // The connection is gone (or timed out); whether the server kept the message is unknown, and the
                // Message-ID stays the same on the retry so that the receiver can drop a duplicate.
                return new DeliveryResult(DeliveryStatus.Transient, "SMTP connection lost: " + ex.GetType().Name + ": " + ex.Message, ConnectionLost: true);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await client.DisconnectAsync(true, quit.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
            {
                // QUIT is a courtesy; the message outcomes are already recorded.
            }
            finally
            {
                client.Dispose();
            }
        }

        /// <summary>Servers often name their queue id in the final reply ("250 2.0.0 Ok: queued as 4B7C21").</summary>
        private static string? ProviderId(string? reply)
        {
            if (string.IsNullOrWhiteSpace(reply))
            {
                return null;
            }

            var line = HeaderText.SingleLine(reply, Domain.OutboxMessage.ProviderMessageIdMaxLength);
            return line;
        }
    }
}

/// <summary>Pickup mode: each message becomes {Message-ID}.eml in a folder. A retry rewrites the same file, so
/// nothing is ever duplicated and nothing leaves the machine.</summary>
public sealed class PickupEmailSender(IOptions<SmtpOptions> options, IHostEnvironment environment, TimeProvider time) : IEmailSender
{
    public string Directory => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.PickupDirectory));

    private SmtpOptions Options => options.Value;

    private TimeProvider Time => time;

    public Task<IEmailSession> OpenAsync(CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Task.FromResult<IEmailSession>(new Session(this));
    }

    private sealed class Session(PickupEmailSender sender) : IEmailSession
    {
        public bool IsUsable => true;

        public async Task<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken ct)
        {
            MimeMessage mime;
            try
            {
                mime = MimeMessageFactory.Create(message, sender.Options, sender.Time.GetUtcNow());
            }
            catch (ParseException ex)
            {
                return new DeliveryResult(DeliveryStatus.Permanent, "Invalid address: " + ex.Message);
            }

            var name = string.Concat(message.MessageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
            var path = Path.Combine(sender.Directory, name + ".eml");
            var temp = path + ".tmp";
            try
            {
                await using (var file = File.Create(temp))
                {
                    await mime.WriteToAsync(file, ct);
                }

                File.Move(temp, path, overwrite: true);
                return DeliveryResult.Sent(Path.GetFileName(path));
            }
            catch (IOException ex)
            {
                return new DeliveryResult(DeliveryStatus.Transient, "Pickup folder: " + ex.Message);
            }
            catch (UnauthorizedAccessException ex)
            {
                return new DeliveryResult(DeliveryStatus.Transient, "Pickup folder: " + ex.Message);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
