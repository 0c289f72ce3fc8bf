using System.Net.Http.Headers;
using Deskbridge.HubSpotSandbox.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Deskbridge.HubSpotSandbox.Tests.Infrastructure;

/// <summary>
/// The real sandbox on a real port whose clock is a <see cref="FakeTimeProvider"/>: for tests about time windows
/// (rate limits), which move the clock instead of waiting on it. <see cref="HubSpotSandboxServer"/> takes no clock, so this
/// builds the same app (<c>AddHubSpotSandbox</c> keeps a TimeProvider registered before it). Webhook delivery runs on this
/// clock too and does not advance on its own: these tests deliver nothing.
/// </summary>
public sealed class ClockedSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClockedSandbox(WebApplication app, Uri baseAddress, SandboxOptions options, FakeTimeProvider clock)
    {
        _app = app;
        Clock = clock;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.DemoToken);
        Admin = new SandboxAdminClient(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) });
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>Carries the demo token.</summary>
    public HttpClient Client { get; }

    public SandboxAdminClient Admin { get; }

    public static async Task<ClockedSandbox> StartAsync(DateTimeOffset now)
    {
        var clock = new FakeTimeProvider(now);
        var options = new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddHubSpotSandbox(options);
        var app = builder.Build();
        app.MapHubSpotSandbox();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ClockedSandbox(app, new Uri(address.TrimEnd('/') + "/"), options, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
