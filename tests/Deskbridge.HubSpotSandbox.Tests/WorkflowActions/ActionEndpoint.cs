using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deskbridge.HubSpotSandbox.Tests.WorkflowActions;

public sealed record ActionCall(string Url, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>A real HTTP endpoint standing in for an app's action URL: it records each call and answers what <see cref="Answer"/> says.</summary>
public sealed class ActionEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ActionCall> _calls = new();

    private ActionEndpoint(WebApplication app) => _app = app;

    public Func<int, (int Status, string Body)> Answer { get; set; } = _ => (200, """{"outputFields":{"hs_execution_state":"SUCCESS"}}""");

    public string Url { get; private set; } = "";

    public IReadOnlyList<ActionCall> Calls => [.. _calls];

    public static async Task<ActionEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var endpoint = new ActionEndpoint(app);
        app.MapPost("/actions/run", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            endpoint._calls.Enqueue(new ActionCall($"{context.Request.Scheme}://{context.Request.Host}{rawTarget}", headers, body));
            var (status, answer) = endpoint.Answer(endpoint._calls.Count - 1);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
        });
        await app.StartAsync();
        endpoint.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/actions/run";
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
