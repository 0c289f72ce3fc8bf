using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Storage;

public static class StorageRegistration
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        var options = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));

        var ingressPriority = new IngressPriority();
        builder.Services.AddSingleton(ingressPriority);
        builder.Services.AddDbContextPool<DeskbridgeDb>(db => db
            .UseSqlite(options.ResolveConnectionString())
            .AddInterceptors(new SqliteTuning(options.BusyTimeoutMilliseconds, options.Synchronous), ingressPriority.Interceptor));

        // S10: secrets at rest are encrypted with keys kept beside the database.
        builder.Services.AddDataProtection()
            .SetApplicationName("Deskbridge")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDirectory), "keys")));
        builder.Services.AddSingleton<SecretProtector>();
        return builder;
    }

    /// <summary>Applies pending migrations before the service accepts a single webhook.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        await UseIncrementalVacuumIfNewAsync(db);
        await db.Database.MigrateAsync();
    }

    /// <summary>
    /// X5: auto_vacuum=INCREMENTAL lets retention give freed pages back to the file system in small steps. SQLite
    /// only changes it on a database without tables (or with a VACUUM that rewrites the whole file under the write
    /// lock), so only new databases get it; an older one keeps reusing its freed pages, which bounds its size too.
    /// </summary>
    private static async Task UseIncrementalVacuumIfNewAsync(DeskbridgeDb db)
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

public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Deskbridge.Secrets.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
}
