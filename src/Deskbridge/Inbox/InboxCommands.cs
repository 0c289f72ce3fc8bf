using System.Data.Common;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Deskbridge.Inbox;

/// <summary>
/// The three statements of an inbox write, prepared once per transaction. SQL text and parameter conversions are
/// derived from the EF model, so they follow whatever provider and column names the model has. PostgreSQL's dialect
/// differs in the dedup look-up (one array parameter, <c>= ANY(@k)</c>, instead of a list that grows with the batch,
/// so the statement text never changes) and in preparing the inserts on the server (Npgsql keeps a prepared
/// statement on its physical connection, so a pooled connection prepares each insert once, not once per batch).
/// </summary>
internal sealed class InboxCommands : IDisposable
{
    private readonly DbConnection connection;
    private readonly DbTransaction transaction;
    private readonly string findKeysSql;
    private readonly IProperty organizationProperty;
    private readonly IProperty keyProperty;
    private readonly Statement insertKey;
    private readonly Statement insertEvent;
    private readonly IReadOnlyList<IProperty> eventColumns;
    private readonly bool postgres;

    private InboxCommands(
        DbConnection connection, DbTransaction transaction, string findKeysSql, IProperty organizationProperty, IProperty keyProperty,
        Statement insertKey, Statement insertEvent, IReadOnlyList<IProperty> eventColumns, bool postgres)
    {
        this.postgres = postgres;
        this.connection = connection;
        this.transaction = transaction;
        this.findKeysSql = findKeysSql;
        this.organizationProperty = organizationProperty;
        this.keyProperty = keyProperty;
        this.insertKey = insertKey;
        this.insertEvent = insertEvent;
        this.eventColumns = eventColumns;
    }

    public static InboxCommands For(DeskbridgeDb db, DbTransaction transaction)
    {
        var connection = db.Database.GetDbConnection();
        var sql = db.GetService<ISqlGenerationHelper>();

        var keyEntity = db.Model.FindEntityType(typeof(DedupKey))!;
        var keyTable = sql.DelimitIdentifier(keyEntity.GetTableName()!);
        IProperty KeyProperty(string name) => keyEntity.FindProperty(name)!;
        string Column(IProperty property) => sql.DelimitIdentifier(property.GetColumnName());
        var organization = KeyProperty(nameof(DedupKey.OrganizationId));
        var key = KeyProperty(nameof(DedupKey.Key));
        var firstEvent = KeyProperty(nameof(DedupKey.FirstEventId));

        var postgres = db.Database.IsNpgsql();
        var findKeys = $"SELECT {Column(key)}, {Column(firstEvent)} FROM {keyTable} WHERE {Column(organization)} = @p0 AND " +
            (postgres ? $"{Column(key)} = ANY(@k)" : $"{Column(key)} IN ({{0}})");
        var insertKey = new Statement(connection, transaction,
            $"INSERT INTO {keyTable} ({Column(organization)}, {Column(key)}, {Column(firstEvent)}) VALUES (@p0, @p1, @p2)", [organization, key, firstEvent]);

        var eventEntity = db.Model.FindEntityType(typeof(InboxEvent))!;
        var columns = eventEntity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never).ToList();
        var id = Column(eventEntity.FindPrimaryKey()!.Properties[0]);
        var insertEvent = new Statement(connection, transaction,
            $"INSERT INTO {sql.DelimitIdentifier(eventEntity.GetTableName()!)} ({string.Join(", ", columns.Select(Column))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) RETURNING {id}", columns);
        if (postgres)
        {
            insertKey.Prepare();
            insertEvent.Prepare();
        }

        return new InboxCommands(connection, transaction, findKeys, organization, key, insertKey, insertEvent, columns, postgres);
    }

    /// <summary>Which of <paramref name="keys"/> are already stored, with the event that first carried each.</summary>
    public async Task<List<(string Key, long FirstEventId)>> FindDedupKeysAsync(Guid organizationId, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var found = new List<(string, long)>();
        if (postgres)
        {
            await FindDedupKeysInArrayAsync(organizationId, keys, found, ct);
            return found;
        }
        // Chunks keep the statement under every provider's parameter limit.
        foreach (var chunk in keys.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, findKeysSql, string.Join(", ", chunk.Select((_, i) => $"@k{i}")));
            var orgMapping = (RelationalTypeMapping)organizationProperty.GetRelationalTypeMapping();
            var orgParameter = orgMapping.CreateParameter(command, "@p0", null, nullable: false);
            orgParameter.Value = orgMapping.Converter?.ConvertToProvider(organizationId) ?? organizationId;
            command.Parameters.Add(orgParameter);
            var keyMapping = (RelationalTypeMapping)keyProperty.GetRelationalTypeMapping();
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.Add(keyMapping.CreateParameter(command, $"@k{i}", chunk[i], nullable: false));
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        return found;
    }

    private async Task FindDedupKeysInArrayAsync(Guid organizationId, IReadOnlyList<string> keys, List<(string, long)> found, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = findKeysSql;
        var orgMapping = (RelationalTypeMapping)organizationProperty.GetRelationalTypeMapping();
        var orgParameter = orgMapping.CreateParameter(command, "@p0", null, nullable: false);
        orgParameter.Value = orgMapping.Converter?.ConvertToProvider(organizationId) ?? organizationId;
        command.Parameters.Add(orgParameter);
        // text[]: the key column is text, and an array of strings is what Npgsql sends as text[].
        var keysParameter = command.CreateParameter();
        keysParameter.ParameterName = "@k";
        keysParameter.Value = keys as string[] ?? [.. keys];
        command.Parameters.Add(keysParameter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add((reader.GetString(0), reader.GetInt64(1)));
        }
    }

    public Task InsertDedupKeyAsync(Guid organizationId, string key, long firstEventId, CancellationToken ct) =>
        insertKey.ScalarAsync([organizationId, key, firstEventId], ct);

    public async Task<long> InsertEventAsync(InboxEvent row, CancellationToken ct)
    {
        var values = new object?[eventColumns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = eventColumns[i].GetGetter().GetClrValue(row);
        }
        return Convert.ToInt64(await insertEvent.ScalarAsync(values, ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        insertKey.Dispose();
        insertEvent.Dispose();
    }

    /// <summary>A command whose parameters carry the EF type mapping (and value converter) of their column.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly DbCommand command;
        private readonly RelationalTypeMapping[] mappings;

        public Statement(DbConnection connection, DbTransaction transaction, string text, IReadOnlyList<IProperty> properties)
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = text;
            mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
            for (var i = 0; i < mappings.Length; i++)
            {
                command.Parameters.Add(mappings[i].CreateParameter(command, $"@p{i}", null, properties[i].IsNullable));
            }
        }

        public void Prepare() => command.Prepare();

        public Task<object?> ScalarAsync(object?[] values, CancellationToken ct)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i];
                if (value is not null && mappings[i].Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                command.Parameters[i].Value = value ?? DBNull.Value;
            }
            return command.ExecuteScalarAsync(ct);
        }

        public void Dispose() => command.Dispose();
    }
}
