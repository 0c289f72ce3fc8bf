using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Deskbridge.Storage;

/// <summary>
/// WAL lets readers (processing, admin look-ups) run beside the webhook writer; synchronous=FULL (the default) keeps a
/// committed inbox batch on disk even if the machine loses power, which is what our 200 promises HubSpot.
/// A writer that finds the database locked waits in a busy handler that looks again every millisecond
/// (<see cref="SqliteBusyWait"/>), instead of SQLite's <c>busy_timeout</c>, which sleeps in growing steps of up to
/// 100 ms and so may wake 100 ms after the lock came free.
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
            $"PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages};";
        command.ExecuteNonQuery();
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            SqliteBusyWait.Install(handle, busyTimeoutMilliseconds);
        }
    }

    /// <summary>
    /// X5: auto_vacuum=INCREMENTAL lets retention give freed pages back to the file system in small steps. SQLite
    /// only changes it on a database without tables (or with a VACUUM that rewrites the whole file under the write
    /// lock), so only new databases get it; an older one keeps reusing its freed pages, which bounds its size too.
    /// </summary>
    internal static async Task UseIncrementalVacuumIfNewAsync(DeskbridgeDb db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                // In WAL mode the setting is applied by the VACUUM, which is instant on an empty file.
                command.CommandText = "PRAGMA auto_vacuum=INCREMENTAL; VACUUM;";
                await command.ExecuteNonQueryAsync();
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
