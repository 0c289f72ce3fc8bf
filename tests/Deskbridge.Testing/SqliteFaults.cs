using Microsoft.Data.Sqlite;

namespace Deskbridge.Testing;

/// <summary>
/// Storage faults on Deskbridge's real SQLite file, from a second connection as another process would: triggers that
/// refuse chosen rows, and a write lock held for a while.
/// </summary>
public static class SqliteFaults
{
    public static string DatabasePath(this DeskbridgeTestHost host) => Path.Combine(host.DataDirectory, "deskbridge.db");

    /// <summary>Makes SQLite refuse (RAISE ABORT) the statements the trigger matches, e.g. "BEFORE INSERT ON SessionMessages WHEN …".</summary>
    public static async Task AddRefusingTriggerAsync(this DeskbridgeTestHost host, string name, string on, string message)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath()};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TRIGGER {name} {on} BEGIN SELECT RAISE(ABORT, '{message}'); END;";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Holds SQLite's write lock (BEGIN IMMEDIATE) until disposed: every other writer finds the database busy.</summary>
    public static async Task<IAsyncDisposable> HoldWriteLockAsync(this DeskbridgeTestHost host)
    {
        var connection = new SqliteConnection($"Data Source={host.DatabasePath()};Pooling=False");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA busy_timeout=5000; BEGIN IMMEDIATE;";
            await command.ExecuteNonQueryAsync();
        }
        return new Lock(connection);
    }

    private sealed class Lock(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "ROLLBACK;";
                await command.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }
}
