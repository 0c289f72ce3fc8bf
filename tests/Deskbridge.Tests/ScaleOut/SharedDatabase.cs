using System.Globalization;
using Deskbridge.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Deskbridge.Tests.ScaleOut;

/// <summary>
/// The one database several Deskbridge processes share in a scale-out test: the arguments that point an instance at it,
/// and the inbox read straight from it (what survived the kills), not through a service: one SQLite file, or a
/// PostgreSQL database of its own on the test server (DESKBRIDGE_TEST_POSTGRES).
/// </summary>
internal abstract class SharedDatabase : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>Command-line settings for an instance; every instance gets the same, so they share data and keys.</summary>
    public abstract IReadOnlyList<string> Arguments { get; }

    public abstract Task<List<InboxRow>> InboxAsync();

    /// <summary>The owners of the thread leases that have not run out yet.</summary>
    public abstract Task<List<string>> LiveLeaseOwnersAsync();

    public static async Task<SharedDatabase> CreateAsync(string kind, string workDirectory) => kind switch
    {
        "sqlite" => new SqliteFile(Path.Combine(workDirectory, "data")),
        "postgres" => new PostgresDatabase(await PostgresTestDatabase.CreateAsync(), Path.Combine(workDirectory, "data")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such database kind in these tests"),
    };

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class PostgresDatabase(PostgresTestDatabase database, string dataDirectory) : SharedDatabase
    {
        public override string Name => "postgres";

        // The key ring lives in the database, so the instances share keys without sharing a folder; the folder only holds logs.
        public override IReadOnlyList<string> Arguments =>
            ["--Storage:Provider=Postgres", $"--ConnectionStrings:Deskbridge={database.ConnectionString}", $"--Storage:DataDirectory={dataDirectory}"];

        public override async Task<List<InboxRow>> InboxAsync()
        {
            var rows = new List<InboxRow>();
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT \"Id\", \"DedupKey\", \"Status\", \"Fate\", \"OrderingKey\", \"OccurredAt\", \"ReceivedAt\", \"CompletedAt\" FROM \"InboxEvents\" ORDER BY \"Id\"", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(new InboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
            }
            return rows;
        }

        public override async Task<List<string>> LiveLeaseOwnersAsync()
        {
            var owners = new List<string>();
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT \"Owner\" FROM \"InboxLeases\" WHERE \"ExpiresAt\" > @now", connection);
            command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                owners.Add(reader.GetString(0));
            }
            return owners;
        }

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await database.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class SqliteFile(string dataDirectory) : SharedDatabase
    {
        public override string Name => "sqlite";

        // Data Protection keys live beside the database: the instances share the directory, so they read each other's tokens.
        public override IReadOnlyList<string> Arguments => [$"--Storage:DataDirectory={dataDirectory}"];

        public override async Task<List<InboxRow>> InboxAsync()
        {
            var rows = new List<InboxRow>();
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "deskbridge.db")};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id, DedupKey, Status, Fate, OrderingKey, OccurredAt, ReceivedAt, CompletedAt FROM InboxEvents ORDER BY Id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(new InboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5), Time(reader.GetString(6)),
                    reader.IsDBNull(7) ? null : Time(reader.GetString(7))));
            }
            return rows;
        }

        public override async Task<List<string>> LiveLeaseOwnersAsync()
        {
            var owners = new List<string>();
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "deskbridge.db")};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Owner FROM InboxLeases WHERE ExpiresAt > $now";
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                owners.Add(reader.GetString(0));
            }
            return owners;
        }

        private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }
}

internal sealed record InboxRow(long Id, string DedupKey, int Status, int? Fate, string OrderingKey, long? OccurredAt,
    DateTimeOffset ReceivedAt, DateTimeOffset? CompletedAt);
