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
/// differs in two ways. The dedup look-up takes one array parameter (<c>= ANY(@k)</c>) instead of a list that grows
/// with the batch. And the inserts are not sent one by one: every statement is a network round trip there (in SQLite
/// it is a function call), so the group's event ids are taken from the identity sequence in one statement, the rows
/// are queued, and <see cref="FlushAsync"/> sends them as multi-row INSERTs just before the commit: a group of any size
/// costs about four round trips, where one per row made PostgreSQL 5x slower than SQLite.
/// </summary>
internal sealed class InboxCommands : IDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly string _findKeysSql;
    private readonly IProperty _organizationProperty;
    private readonly IProperty _keyProperty;
    private readonly Statement _insertKey;
    private readonly Statement _insertEvent;
    private readonly IReadOnlyList<IProperty> _eventColumns;
    private readonly bool _postgres;
    private readonly RowQueue? _eventRows;
    private readonly RowQueue? _keyRows;
    private readonly string? _reserveIdsSql;
    private readonly Queue<long> _reservedIds = new();
    private int _eventsLeft;

    private InboxCommands(
        DbConnection connection, DbTransaction transaction, string findKeysSql, IProperty organizationProperty, IProperty keyProperty,
        Statement insertKey, Statement insertEvent, IReadOnlyList<IProperty> eventColumns, bool postgres,
        RowQueue? eventRows, RowQueue? keyRows, string? reserveIdsSql, int expectedEvents)
    {
        _postgres = postgres;
        _eventRows = eventRows;
        _keyRows = keyRows;
        _reserveIdsSql = reserveIdsSql;
        _eventsLeft = expectedEvents;
        _connection = connection;
        _transaction = transaction;
        _findKeysSql = findKeysSql;
        _organizationProperty = organizationProperty;
        _keyProperty = keyProperty;
        _insertKey = insertKey;
        _insertEvent = insertEvent;
        _eventColumns = eventColumns;
    }

    /// <param name="expectedEvents">How many events the transaction will insert (PostgreSQL reserves that many ids at once).</param>
    public static InboxCommands For(DeskbridgeDb db, DbTransaction transaction, int expectedEvents = 0)
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
        RowQueue? eventRows = null, keyRows = null;
        string? reserveIds = null;
        if (postgres)
        {
            var idProperty = eventEntity.FindPrimaryKey()!.Properties[0];
            var eventTable = sql.DelimitIdentifier(eventEntity.GetTableName()!);
            eventRows = new RowQueue(connection, transaction, eventTable, [idProperty, .. columns], Column);
            keyRows = new RowQueue(connection, transaction, keyTable, [organization, key, firstEvent], Column);
            // The identity column's own sequence: ids stay unique beside rows inserted without one (EF's SaveChanges).
            reserveIds = $"SELECT nextval(pg_get_serial_sequence('{eventTable.Replace("'", "''", StringComparison.Ordinal)}', " +
                $"'{idProperty.GetColumnName().Replace("'", "''", StringComparison.Ordinal)}')) FROM generate_series(1, @n)";
        }

        return new InboxCommands(connection, transaction, findKeys, organization, key, insertKey, insertEvent, columns, postgres,
            eventRows, keyRows, reserveIds, expectedEvents);
    }

    /// <summary>Which of <paramref name="keys"/> are already stored, with the event that first carried each.</summary>
    public async Task<List<(string Key, long FirstEventId)>> FindDedupKeysAsync(Guid organizationId, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var found = new List<(string, long)>();
        if (_postgres)
        {
            await FindDedupKeysInArrayAsync(organizationId, keys, found, ct);
            return found;
        }
        // Chunks keep the statement under every provider's parameter limit.
        foreach (var chunk in keys.Chunk(500))
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, _findKeysSql, string.Join(", ", chunk.Select((_, i) => $"@k{i}")));
            var orgMapping = (RelationalTypeMapping)_organizationProperty.GetRelationalTypeMapping();
            var orgParameter = orgMapping.CreateParameter(command, "@p0", null, nullable: false);
            orgParameter.Value = orgMapping.Converter?.ConvertToProvider(organizationId) ?? organizationId;
            command.Parameters.Add(orgParameter);
            var keyMapping = (RelationalTypeMapping)_keyProperty.GetRelationalTypeMapping();
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
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = _findKeysSql;
        var orgMapping = (RelationalTypeMapping)_organizationProperty.GetRelationalTypeMapping();
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

    public Task InsertDedupKeyAsync(Guid organizationId, string key, long firstEventId, CancellationToken ct)
    {
        if (_keyRows is not null)
        {
            _keyRows.Add([organizationId, key, firstEventId]);
            return Task.CompletedTask;
        }
        return _insertKey.ScalarAsync([organizationId, key, firstEventId], ct);
    }

    public async Task<long> InsertEventAsync(InboxEvent row, CancellationToken ct)
    {
        if (_eventRows is not null)
        {
            if (_reservedIds.Count == 0)
            {
                await ReserveIdsAsync(Math.Max(_eventsLeft, 16), ct);
            }
            var id = _reservedIds.Dequeue();
            _eventsLeft--;
            var queued = new object?[_eventColumns.Count + 1];
            queued[0] = id;
            for (var i = 0; i < _eventColumns.Count; i++)
            {
                queued[i + 1] = _eventColumns[i].GetGetter().GetClrValue(row);
            }
            _eventRows.Add(queued);
            return id;
        }
        var values = new object?[_eventColumns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _eventColumns[i].GetGetter().GetClrValue(row);
        }
        return Convert.ToInt64(await _insertEvent.ScalarAsync(values, ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends the queued rows (PostgreSQL); call before the commit. SQLite inserts as it goes: nothing to send.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_eventRows is not null && _keyRows is not null)
        {
            await _eventRows.FlushAsync(ct);
            await _keyRows.FlushAsync(ct);
        }
    }

    private async Task ReserveIdsAsync(int count, CancellationToken ct)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = _reserveIdsSql;
        var n = command.CreateParameter();
        n.ParameterName = "@n";
        n.Value = count;
        command.Parameters.Add(n);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            _reservedIds.Enqueue(reader.GetInt64(0));
        }
    }

    public void Dispose()
    {
        _insertKey.Dispose();
        _insertEvent.Dispose();
    }

    /// <summary>Rows for one table, sent as multi-row INSERTs, each parameter with its column's EF type mapping and converter.</summary>
    private sealed class RowQueue(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<IProperty> properties, Func<IProperty, string> column)
    {
        /// <summary>PostgreSQL takes at most 65,535 parameters per statement; well below it.</summary>
        private const int MaxParameters = 30_000;
        private readonly RelationalTypeMapping[] _mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
        private readonly string _prefix = $"INSERT INTO {table} ({string.Join(", ", properties.Select(column))}) VALUES ";
        private readonly List<object?[]> _rows = [];

        public void Add(object?[] values) => _rows.Add(values);

        public async Task FlushAsync(CancellationToken ct)
        {
            var perStatement = Math.Max(1, MaxParameters / _mappings.Length);
            foreach (var chunk in _rows.Chunk(perStatement))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var text = new System.Text.StringBuilder(_prefix, _prefix.Length + (chunk.Length * _mappings.Length * 8));
                var n = 0;
                for (var r = 0; r < chunk.Length; r++)
                {
                    text.Append(r == 0 ? "(" : ", (");
                    for (var c = 0; c < _mappings.Length; c++, n++)
                    {
                        var name = $"@p{n}";
                        text.Append(c == 0 ? name : ", " + name);
                        var value = chunk[r][c];
                        if (value is not null && _mappings[c].Converter is { } converter)
                        {
                            value = converter.ConvertToProvider(value);
                        }
                        command.Parameters.Add(_mappings[c].CreateParameter(command, name, value, properties[c].IsNullable));
                    }
                    text.Append(')');
                }
                command.CommandText = text.ToString();
                await command.ExecuteNonQueryAsync(ct);
            }
            _rows.Clear();
        }
    }

    /// <summary>A command whose parameters carry the EF type mapping (and value converter) of their column.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly DbCommand _command;
        private readonly RelationalTypeMapping[] _mappings;

        public Statement(DbConnection connection, DbTransaction transaction, string text, IReadOnlyList<IProperty> properties)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = text;
            _mappings = properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToArray();
            for (var i = 0; i < _mappings.Length; i++)
            {
                _command.Parameters.Add(_mappings[i].CreateParameter(_command, $"@p{i}", null, properties[i].IsNullable));
            }
        }

        public Task<object?> ScalarAsync(object?[] values, CancellationToken ct)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var value = values[i];
                if (value is not null && _mappings[i].Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                _command.Parameters[i].Value = value ?? DBNull.Value;
            }
            return _command.ExecuteScalarAsync(ct);
        }

        public void Dispose() => _command.Dispose();
    }
}
