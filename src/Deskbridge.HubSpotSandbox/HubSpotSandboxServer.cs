using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Deskbridge.HubSpotSandbox;

/// <summary>The sandbox running in-process on real Kestrel, for tests and local runs.</summary>
public sealed class HubSpotSandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HubSpotSandboxServer(WebApplication app, Uri baseAddress, SandboxOptions options)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary>The bound address with a trailing slash, e.g. http://127.0.0.1:54321/.</summary>
    public Uri BaseAddress { get; }

    public SandboxOptions Options { get; }

    public static async Task<HubSpotSandboxServer> StartAsync(SandboxOptions? options = null, string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HubSpotSandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The host process may have its own appsettings/Kestrel endpoints; the sandbox must not pick them up.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.AddHubSpotSandbox(options);

        var app = builder.Build();
        app.MapHubSpotSandbox();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address.");
        return new HubSpotSandboxServer(app, new Uri(address.TrimEnd('/') + "/"), options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
