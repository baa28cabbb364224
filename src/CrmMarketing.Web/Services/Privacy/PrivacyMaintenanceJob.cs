using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Privacy;

/// <summary>Every <see cref="PrivacyOptions.MaintenanceHours"/> hours: clears merge journals whose undo window has
/// passed, and, when <see cref="PrivacyOptions.RetentionYears"/> is set, erases customers inactive for longer.</summary>
public sealed partial class PrivacyMaintenanceJob(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<PrivacyOptions> options,
    ILogger<PrivacyMaintenanceJob> logger) : BackgroundService
{
    /// <summary>Lets the app finish starting before the first run.</summary>
    public static readonly TimeSpan StartDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hours = options.Value.MaintenanceHours;
        if (hours <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(StartDelay, time, stoppingToken);
            await RunOnceAsync(stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromHours(hours), time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One run. Failures are logged, not thrown, so the next tick tries again.</summary>
    public async Task<(int Purged, int Erased)> RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var purged = await scope.ServiceProvider.GetRequiredService<MergeService>().PurgeExpiredAsync(ct);
            var erased = 0;
            if (options.Value.RetentionYears is { } years)
            {
                erased = await scope.ServiceProvider.GetRequiredService<ErasureService>()
                    .ApplyRetentionAsync(years, options.Value.RetentionBatchSize, ct);
            }

            LogRun(logger, purged, erased);
            return (purged, erased);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
            return (0, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Privacy maintenance: {Purged} merge journals cleared, {Erased} customers erased by retention")]
    private static partial void LogRun(ILogger logger, int purged, int erased);

    [LoggerMessage(Level = LogLevel.Error, Message = "Privacy maintenance failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
