using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Segments;

/// <summary>Rebuilds the dynamic segments not built within the last <see cref="AnalyticsOptions.SegmentRefreshHours"/>
/// hours, shortly after start and then on every tick of that interval. Off when the interval is 0.</summary>
public sealed partial class SegmentRefreshJob(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<AnalyticsOptions> options,
    ILogger<SegmentRefreshJob> logger) : BackgroundService
{
    public static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(45);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hours = options.Value.SegmentRefreshHours;
        if (hours <= 0)
        {
            return;
        }

        var interval = TimeSpan.FromHours(hours);
        try
        {
            await Task.Delay(StartDelay, time, stoppingToken);
            await RunOnceAsync(interval, stoppingToken);

            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Rebuilds the segments older than <paramref name="interval"/>; returns how many. Failures are logged,
    /// not thrown, so the next tick tries again.</summary>
    public async Task<int> RunOnceAsync(TimeSpan interval, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var segments = scope.ServiceProvider.GetRequiredService<SegmentService>();
            var rebuilt = await segments.RebuildStaleAsync(time.GetUtcNow().UtcDateTime - interval, ct);
            LogRebuilt(logger, rebuilt);
            return rebuilt;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt {Count} dynamic segments")]
    private static partial void LogRebuilt(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The background segment rebuild failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
