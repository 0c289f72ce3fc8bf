using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Deskbridge.Storage;

/// <summary>The embedded default; its migrations (Migrations/Sqlite) keep the ids older databases already recorded.</summary>
public sealed class SqliteDeskbridgeDb(DbContextOptions<SqliteDeskbridgeDb> options) : DeskbridgeDb(options);

/// <summary>Several instances on one PostgreSQL database; migrations in Migrations/Postgres.</summary>
public sealed class PostgresDeskbridgeDb(DbContextOptions<PostgresDeskbridgeDb> options) : DeskbridgeDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // timestamptz takes only offset 0: Npgsql refuses any other. Our clocks give UTC already, but values parsed from
        // HubSpot or a client may carry an offset; the instant is what is stored, the offset is not kept anyway.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcInstant>();
    }

    private sealed class UtcInstant() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
}
