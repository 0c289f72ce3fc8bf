using Deskbridge.Storage;
using Npgsql;

namespace Deskbridge.Testing;

/// <summary>
/// A database of its own on the PostgreSQL server named by DESKBRIDGE_TEST_POSTGRES, created for one test host and
/// dropped afterwards. Without that variable the PostgreSQL tests fail (never skip): CI always starts a server.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "DESKBRIDGE_TEST_POSTGRES";

    private PostgresTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : throw new InvalidOperationException(
            $"{ServerVariable} is not set, so the PostgreSQL tests cannot run. `bash .ci/run` starts a server itself; by hand: " +
            "apt-get install -y postgresql; mkdir -p /tmp/pg && chown postgres /tmp/pg; " +
            "su postgres -c '/usr/lib/postgresql/15/bin/initdb -D /tmp/pg/data -A trust -U postgres && " +
            "/usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pg/data -o \"-p 55432 -k /tmp/pg -c listen_addresses=127.0.0.1\" -l /tmp/pg/log start'; " +
            $"export {ServerVariable}=\"Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres\"");

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = ServerConnectionString;
        var name = $"deskbridge_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            await create.ExecuteNonQueryAsync();
        }
        return new PostgresTestDatabase(name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    /// <summary>The settings that point a test host at this database.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Storage:Provider"] = nameof(StorageProvider.Postgres),
        [$"ConnectionStrings:{StorageRegistration.ConnectionStringName}"] = ConnectionString,
    };

    public async ValueTask DisposeAsync()
    {
        await using (var own = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(own);
        }
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>The provider switch of the tests that run against both: settings to merge into a host's own.</summary>
public static class TestStorage
{
    /// <summary>
    /// Postgres: the host creates a database of its own and drops it when disposed (see <see cref="DeskbridgeTestHost"/>).
    /// </summary>
    public static Dictionary<string, string?> With(StorageProvider provider, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (provider == StorageProvider.Postgres)
        {
            values["Storage:Provider"] = nameof(StorageProvider.Postgres);
        }
        return values;
    }
}
