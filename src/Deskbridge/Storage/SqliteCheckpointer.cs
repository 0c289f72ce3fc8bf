using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Deskbridge.Storage;

/// <summary>
/// Moves WAL pages into the database file in the background. SQLite's automatic checkpoint runs inside the commit
/// that pushes the WAL past its threshold, on that writer's thread: the webhook whose batch it was waited for a few
/// megabytes to be copied and the database file to be synced before its 200 (the p99 of P2 at batch 10). A passive
/// checkpoint takes no write lock, so commits go on beside it. The automatic checkpoint stays as a backstop at a
/// much larger threshold (<see cref="BackstopPages"/>), so the WAL stays bounded if this service is not running.
/// </summary>
internal sealed partial class SqliteCheckpointer(IOptions<StorageOptions> options, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>SQLite's default is 1,000 pages (4 MB); this loop keeps the WAL far below it.</summary>
    public const int BackstopPages = 20_000;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Its own connection, outside EF: a passive checkpoint takes no write lock, so it needs neither the context's
        // ingress priority nor the busy handler, and it must not hold a pooled context between ticks.
        await using var connection = new SqliteConnection(options.Value.ResolveConnectionString());
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (connection.State != System.Data.ConnectionState.Open)
                    {
                        await connection.OpenAsync(stoppingToken);
                    }
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException ex)
                {
                    // The backstop checkpoints meanwhile; try again at the next tick.
                    LogCheckpointFailed(logger, ex);
                    await connection.CloseAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A background WAL checkpoint failed; the next one is tried in a moment")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
