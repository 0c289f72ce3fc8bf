using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Deskbridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deskbridge.HubSpotSandbox.Tests.Infrastructure;

public sealed record ReceivedRequest(int Index, string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt)
{
    public JsonArray Events => JsonNode.Parse(Body)!.AsArray();
}

/// <summary>A minimal Kestrel app on port 0 standing in for Deskbridge's webhook endpoint.
/// <see cref="Respond"/> decides each answer (default 200), given the 0-based request index.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _count;
    private int _inFlight;
    private int _maxInFlight;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Func<int, HttpContext, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    public string Url { get; private set; } = "";

    /// <summary>The most requests that were being answered at the same moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests.OrderBy(r => r.Index)];

    public static async Task<WebhookReceiver> StartAsync(string path = "/hubspot/webhook?org=demo%3Aorg%2Cx")
    {
        var receiver = await ListenAsync();
        receiver.Url = receiver.BaseUrl + path;
        return receiver;
    }

    /// <summary>The scheme and authority the receiver listens on (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    private static async Task<WebhookReceiver> ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hubspot/webhook", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var index = Interlocked.Increment(ref receiver._count) - 1;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            // The request line as it came over the wire, not Kestrel's decoded path.
            var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            var url = $"{context.Request.Scheme}://{context.Request.Host}{rawTarget}";
            receiver._requests.Enqueue(new ReceivedRequest(index, context.Request.Method, url, headers, body, DateTimeOffset.UtcNow));
            var inFlight = Interlocked.Increment(ref receiver._inFlight);
            for (var max = receiver.MaxInFlight; inFlight > max; max = receiver.MaxInFlight)
            {
                Interlocked.CompareExchange(ref receiver._maxInFlight, inFlight, max);
            }

            try
            {
                context.Response.StatusCode = await receiver.Respond(index, context);
            }
            finally
            {
                Interlocked.Decrement(ref receiver._inFlight);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = address.TrimEnd('/');
        return receiver;
    }

    public Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> done, TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(done))] string condition = "") =>
        Eventually.UntilAsync(() => Task.FromResult(Requests), done, timeout, what: $"webhook requests: {condition}", condition: condition);

    public IReadOnlyList<JsonNode> AllEvents => [.. Requests.SelectMany(r => r.Events).Select(e => e!)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
