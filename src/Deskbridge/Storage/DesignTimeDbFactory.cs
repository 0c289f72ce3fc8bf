using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Deskbridge.Storage;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the service.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<DeskbridgeDb>
{
    public DeskbridgeDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DeskbridgeDb>().UseSqlite("Data Source=design-time.db").Options);
}
