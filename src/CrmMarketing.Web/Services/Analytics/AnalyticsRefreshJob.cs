using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Analytics;

/// <summary>The in-process scheduler of the precomputed analytics: the RFM scores every
/// <see cref="AnalyticsOptions.RfmRefreshHours"/> hours and the product associations every
/// <see cref="AnalyticsOptions.AssociationRefreshHours"/> hours, each also once shortly after start when missing or
/// older than its interval. An interval of 0 turns that refresh off.</summary>
public sealed partial class AnalyticsRefreshJob(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<AnalyticsOptions> options,
    ILogger<AnalyticsRefreshJob> logger) : BackgroundService
{
    /// <summary>Lets the app finish starting (and a first request land) before the first recomputation.</summary>
    public static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(30);

    public enum Kind
    {
        Rfm,
        Associations,
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        LoopAsync(Kind.Rfm, options.Value.RfmRefreshHours, stoppingToken),
        // Offset from the RFM run so that the two heavy statements do not start together.
        LoopAsync(Kind.Associations, options.Value.AssociationRefreshHours, stoppingToken, StartDelay));

    private async Task LoopAsync(Kind kind, int hours, CancellationToken stoppingToken, TimeSpan extraDelay = default)
    {
        if (hours <= 0)
        {
            return;
        }

        var interval = TimeSpan.FromHours(hours);
        try
        {
            await Task.Delay(StartDelay + extraDelay, time, stoppingToken);
            await RunOnceAsync(kind, interval, force: false, stoppingToken);

            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(kind, interval, force: true, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Recomputes when forced, or when the results are missing or older than <paramref name="interval"/>.
    /// Returns whether it recomputed. Failures are logged, not thrown, so the next tick tries again.</summary>
    public async Task<bool> RunOnceAsync(Kind kind, TimeSpan interval, bool force, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            Func<CancellationToken, Task<DateTime?>> last;
            Func<CancellationToken, Task> refresh;
            if (kind == Kind.Rfm)
            {
                var rfm = services.GetRequiredService<RfmService>();
                (last, refresh) = (rfm.LastComputedAtAsync, rfm.RefreshAsync);
            }
            else
            {
                var recommendations = services.GetRequiredService<RecommendationService>();
                (last, refresh) = (recommendations.LastComputedAtAsync, recommendations.RefreshAsync);
            }

            if (!force && await last(ct) is { } at && time.GetUtcNow().UtcDateTime - at < interval)
            {
                return false;
            }

            await refresh(ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, kind, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The background recomputation of {Kind} failed")]
    private static partial void LogFailed(ILogger logger, Kind kind, Exception exception);
}
