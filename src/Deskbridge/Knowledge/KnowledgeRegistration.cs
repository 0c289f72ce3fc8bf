using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Knowledge.Import;
using Microsoft.Extensions.Options;

namespace Deskbridge.Knowledge;

public static class KnowledgeRegistration
{
    /// <summary>
    /// Knowledge in the product: the agent's catalog reads the database (organizations whose knowledge lives there) or the
    /// folder (the rest), and the API, dashboard and imports change it. Replaces the folder-only catalog AddSupportAgent registers.
    /// </summary>
    public static WebApplicationBuilder AddKnowledge(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.SectionName);
        builder.Services.AddSingleton<KnowledgeRevisionWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KnowledgeRevisionWatcher>());
        builder.Services.AddSingleton(sp => new DatabaseKnowledgeSource(sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<KnowledgeRevisionWatcher>(), new FolderKnowledgeSource(sp.GetRequiredService<IOptions<EmbeddedAgentOptions>>().Value.KnowledgeRoot)));
        // Recheck interval zero: the source's version is a memory read (the watcher polls the database in the background).
        builder.Services.AddSingleton(sp => new KnowledgeBaseCatalog(sp.GetRequiredService<DatabaseKnowledgeSource>(), TimeSpan.Zero, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddScoped<KnowledgeStore>();
        builder.Services.AddScoped<KnowledgeImports>();
        builder.Services.AddSingleton<ImportAddressPolicy>();
        builder.Services.AddSingleton<SiteCrawler>();
        builder.Services.AddHttpClient(SiteCrawler.ClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Redirects are followed by the crawler, one same-site hop at a time; no proxy, or the address check would see the proxy's.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                ConnectCallback = sp.GetRequiredService<ImportAddressPolicy>().ConnectAsync,
            });
        return builder;
    }

    public static WebApplication MapKnowledge(this WebApplication app)
    {
        app.MapKnowledgeEndpoints();
        return app;
    }
}
