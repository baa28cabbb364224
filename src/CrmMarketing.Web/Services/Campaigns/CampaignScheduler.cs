using CrmMarketing.Web.Options;
using Microsoft.Extensions.Options;

namespace CrmMarketing.Web.Services.Campaigns;

/// <summary>The in-process scheduler: every <see cref="CampaignOptions.SchedulerPollSeconds"/> it launches scheduled
/// activities that are due, decides A/B tests whose duration is over and completes activities with nothing left to
/// send (<see cref="CampaignLaunchService.RunDueAsync"/>). Several instances may run it: a launch and a decision are
/// each guarded by a status check inside their transaction.</summary>
public sealed partial class CampaignScheduler(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<CampaignOptions> options,
    ILogger<CampaignScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SchedulerEnabled)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SchedulerPollSeconds), time);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass; failures are logged, not thrown, so the next tick tries again.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var changed = await scope.ServiceProvider.GetRequiredService<CampaignLaunchService>().RunDueAsync(ct);
            if (changed > 0)
            {
                LogChanged(logger, changed);
            }

            return changed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
            return 0;
        }
    }

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "Campaign scheduler changed {Count} activities")]
    private static partial void LogChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Error, Message = "Campaign scheduler pass failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
