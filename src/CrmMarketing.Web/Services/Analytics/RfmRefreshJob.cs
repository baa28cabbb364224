using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>Recomputes the RFM scores every <see cref="AnalyticsOptions.RfmRefreshHours"/> hours, and once shortly
/// after start when they are missing or older than that interval. Off when the interval is 0.</summary>
public sealed partial class RfmRefreshJob(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<AnalyticsOptions> options,
    ILogger<RfmRefreshJob> logger) : BackgroundService
{
    /// <summary>Lets the app finish starting (and a first request land) before the first recomputation.</summary>
    public static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hours = options.Value.RfmRefreshHours;
        if (hours <= 0)
        {
            return;
        }

        var interval = TimeSpan.FromHours(hours);
        try
        {
            await Task.Delay(StartDelay, time, stoppingToken);
            await RunOnceAsync(interval, force: false, stoppingToken);

            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(interval, force: true, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Recomputes when forced, or when the scores are missing or older than <paramref name="interval"/>.
    /// Returns whether it recomputed. Failures are logged, not thrown, so the next tick tries again.</summary>
    public async Task<bool> RunOnceAsync(TimeSpan interval, bool force, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var rfm = scope.ServiceProvider.GetRequiredService<RfmService>();
            if (!force && await rfm.LastComputedAtAsync(ct) is { } last && time.GetUtcNow().UtcDateTime - last < interval)
            {
                return false;
            }

            await rfm.RefreshAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The background RFM recomputation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
