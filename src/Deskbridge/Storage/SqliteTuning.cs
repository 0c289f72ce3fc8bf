using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Deskbridge.Storage;

/// <summary>
/// WAL lets readers (processing, admin look-ups) run beside the webhook writer; synchronous=FULL (the default) keeps a
/// committed inbox batch on disk even if the machine loses power, which is what our 200 promises HubSpot.
/// </summary>
internal sealed class SqliteTuning(int busyTimeoutMilliseconds, SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}; " +
            $"PRAGMA busy_timeout={busyTimeoutMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;";
        command.ExecuteNonQuery();
    }
}
