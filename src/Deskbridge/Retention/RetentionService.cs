using Microsoft.Extensions.Options;

namespace Deskbridge.Retention;

/// <summary>X5: runs a pruning round every <see cref="RetentionOptions.Interval"/>; a failed round is logged and the next one tries again.</summary>
public sealed partial class RetentionService(RetentionPruner pruner, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        try
        {
            // Not at once: start-up (migrations, the first webhooks HubSpot held back) comes first.
            await Task.Delay(TimeSpan.FromSeconds(30), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var report = await pruner.RunOnceAsync(stoppingToken);
                    if (report.Any)
                    {
                        LogPruned(logger, report.Payloads, report.Events, report.DedupKeys, report.PagesReclaimed);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRoundFailed(logger, ex);
                }
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: emptied {Payloads} payloads, deleted {Events} events and {DedupKeys} dedup keys, returned {Pages} free pages")]
    private static partial void LogPruned(ILogger logger, int payloads, int events, int dedupKeys, long pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention round failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
