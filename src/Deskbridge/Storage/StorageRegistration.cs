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
        await db.Database.MigrateAsync();
    }
}

public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Deskbridge.Secrets.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
}
