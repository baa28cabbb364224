using CrmMarketing.Web.Data;
using CrmMarketing.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace CrmMarketing.Web.Services.Import;

/// <summary>Processes queued dry runs and imports one at a time, oldest first. A run interrupted by a restart
/// continues after its last committed batch.</summary>
public sealed partial class ImportWorker(IServiceScopeFactory scopes, ImportQueue queue, ILogger<ImportWorker> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                while (await RunNextAsync(stoppingToken))
                {
                }

                await queue.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a running import resumes at its last committed batch on the next start.
        }
    }

    /// <summary>Runs the oldest waiting job, if any. Returns whether there was one.</summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        int? jobId = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
            jobId = await db.ImportJobs.AsNoTracking()
                .Where(j => j.Status == ImportStatus.DryRunQueued || j.Status == ImportStatus.DryRunning
                    || j.Status == ImportStatus.Queued || j.Status == ImportStatus.Running)
                .OrderBy(j => j.Id).Select(j => (int?)j.Id).FirstOrDefaultAsync(ct);
            if (jobId is null)
            {
                return false;
            }

            await scope.ServiceProvider.GetRequiredService<ImportRunner>().ProcessAsync(jobId.Value, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, jobId ?? 0);
            if (jobId is { } id)
            {
                await MarkFailedAsync(id, ct);
            }

            return false;
        }
    }

    private async Task MarkFailedAsync(int id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        await db.ImportJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, j => j.Status == ImportStatus.DryRunning || j.Status == ImportStatus.DryRunQueued ? ImportStatus.Uploaded : ImportStatus.Failed)
            .SetProperty(j => j.Message, "The import stopped because of an unexpected error."), ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed unexpectedly")]
    private static partial void LogFailed(ILogger logger, Exception exception, int jobId);
}
