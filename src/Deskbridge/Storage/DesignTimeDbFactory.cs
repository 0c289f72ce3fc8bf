using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Deskbridge.Storage;

/// <summary>Lets `dotnet ef migrations add --context SqliteDeskbridgeDb` build the model without starting the service.</summary>
internal sealed class SqliteDesignTimeDbFactory : IDesignTimeDbContextFactory<SqliteDeskbridgeDb>
{
    public SqliteDeskbridgeDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDeskbridgeDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>`dotnet ef migrations add --context PostgresDeskbridgeDb`: no server is contacted to add a migration.</summary>
internal sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresDeskbridgeDb>
{
    public PostgresDeskbridgeDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDeskbridgeDb>().UseNpgsql("Host=localhost;Database=deskbridge_design").Options);
}
