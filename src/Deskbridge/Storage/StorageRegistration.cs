using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Deskbridge.Storage;

public static class StorageRegistration
{
    /// <summary>The connection string PostgreSQL is reached with (<c>ConnectionStrings:Deskbridge</c>).</summary>
    public const string ConnectionStringName = "Deskbridge";

    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        var options = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));

        var ingressPriority = new IngressPriority();
        builder.Services.AddSingleton(ingressPriority);
        if (options.Provider == StorageProvider.Postgres)
        {
            var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"Storage:Provider is Postgres but ConnectionStrings:{ConnectionStringName} is not set (e.g. Host=db;Database=deskbridge;Username=deskbridge;Password=…).");
            }
            // No yielding interceptor: PostgreSQL locks rows, not the database, so processing never holds up a webhook's commit.
            builder.Services.AddDbContextPool<DeskbridgeDb, PostgresDeskbridgeDb>(db => db.UseNpgsql(connectionString));
        }
        else
        {
            builder.Services.AddDbContextPool<DeskbridgeDb, SqliteDeskbridgeDb>(db => db
                .UseSqlite(options.ResolveConnectionString())
                .AddInterceptors(new SqliteTuning(options.BusyTimeoutMilliseconds, options.Synchronous), ingressPriority.Interceptor));
            builder.Services.AddHostedService<SqliteCheckpointer>();
        }

        // S10: secrets at rest are encrypted with Data Protection keys kept in the database, so that every instance
        // reads the same key ring (cookies, antiforgery tokens and stored HubSpot tokens work on all of them).
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName("Deskbridge")
            .PersistKeysToDbContext<DeskbridgeDb>();
        if (!string.IsNullOrEmpty(options.KeyCertificatePath))
        {
            protection.ProtectKeysWithCertificate(
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(options.KeyCertificatePath, options.KeyCertificatePassword));
        }
        builder.Services.AddSingleton<SecretProtector>();
        return builder;
    }

    /// <summary>
    /// Applies pending migrations before the service accepts a single webhook; on PostgreSQL one instance at a time.
    /// The key ring is created (or imported from ./data/keys) in the same step, so instances starting together agree on it.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageRegistration));
        if (db.Database.IsNpgsql())
        {
            await using var migrationLock = await PostgresMigrationLock.AcquireAsync(db);
            await MigrateAndPrepareKeysAsync(app.Services, db, options, logger);
        }
        else
        {
            await SqliteTuning.UseIncrementalVacuumIfNewAsync(db);
            await MigrateAndPrepareKeysAsync(app.Services, db, options, logger);
        }
    }

    private static async Task MigrateAndPrepareKeysAsync(IServiceProvider services, DeskbridgeDb db, StorageOptions options, ILogger logger)
    {
        if (db.Database.IsNpgsql())
        {
            // Else EF's first look at a fresh database is a failed query, logged as an error, before it creates the table.
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().CreateIfNotExistsAsync();
        }
        await db.Database.MigrateAsync();
        await KeyFolderImport.ImportAsync(db, Path.Combine(Path.GetFullPath(options.DataDirectory), "keys"), logger);
        // Creates the first key now, under the migration lock, rather than on some instance's first request.
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Deskbridge.Startup").Protect("key ring ready");
    }
}

public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Deskbridge.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
