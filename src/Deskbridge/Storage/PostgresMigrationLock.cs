using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Deskbridge.Storage;

/// <summary>
/// A session-level advisory lock held on the context's own connection while start-up migrates and seeds shared state:
/// instances started together wait for each other instead of racing over the same DDL and the same first key.
/// </summary>
internal sealed class PostgresMigrationLock : IAsyncDisposable
{
    /// <summary>Any constant will do, as long as every instance uses the same one ("Deskbridge" in ASCII).</summary>
    private const long LockKey = 0x4465736b62726964;
    private readonly DeskbridgeDb _db;

    private PostgresMigrationLock(DeskbridgeDb db) => _db = db;

    public static async Task<PostgresMigrationLock> AcquireAsync(DeskbridgeDb db)
    {
        await CreateDatabaseIfMissingAsync(db);
        await db.Database.OpenConnectionAsync();
        await ExecuteAsync(db.Database.GetDbConnection(), "SELECT pg_advisory_lock(@key)");
        return new PostgresMigrationLock(db);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync(_db.Database.GetDbConnection(), "SELECT pg_advisory_unlock(@key)");
        }
        finally
        {
            // A pooled connection keeps session locks; closing it for good would too, so the unlock above matters.
            await _db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CreateDatabaseIfMissingAsync(DeskbridgeDb db)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync())
        {
            return;
        }
        try
        {
            await creator.CreateAsync();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance created it a moment ago.
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var key = command.CreateParameter();
        key.ParameterName = "key";
        key.Value = LockKey;
        command.Parameters.Add(key);
        await command.ExecuteScalarAsync();
    }
}
