using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Admin;

namespace Deskbridge.HubSpotSandbox.Tests.Infrastructure;

/// <summary>A running sandbox plus an HttpClient carrying the demo token, and small JSON helpers.</summary>
public sealed class Sandbox : IAsyncDisposable
{
    private Sandbox(HubSpotSandboxServer server)
    {
        Server = server;
        Client = NewClient(server.Options.DemoToken);
        Anonymous = NewClient(null);
        Admin = new SandboxAdminClient(Anonymous);
    }

    public HubSpotSandboxServer Server { get; }
    public HttpClient Client { get; }
    public HttpClient Anonymous { get; }

    /// <summary>The admin API, typed; tests of the admin API's own wire shape use <see cref="Anonymous"/> instead.</summary>
    public SandboxAdminClient Admin { get; }
    public SandboxOptions Options => Server.Options;

    public static async Task<Sandbox> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { WebhookRetryWindow = TimeSpan.FromSeconds(50), WebhookTimeout = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        return new Sandbox(await HubSpotSandboxServer.StartAsync(options));
    }

    public HttpClient NewClient(string? token)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<string> CreateTokenAsync(params string[] scopes) => (await Admin.CreateTokenAsync(scopes)).Token;

    public async Task<JsonNode> AdminPostAsync(string path, object body)
    {
        var response = await Anonymous.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    public async Task<JsonNode> GetJsonAsync(string path, HttpClient? client = null)
    {
        var response = await (client ?? Anonymous).GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Json();
    }

    /// <summary>A new chat thread from a customer; returns the simulation's answer (threadId, messageId, contactId, ticketId).</summary>
    public Task<JsonNode> CustomerStartsChatAsync(string email = "new.customer@example.com", string text = "Hello, where is my order?", long? assignee = null) =>
        AdminPostAsync("_sandbox/simulate/customer-message", new { channel = "chat", email, name = "New Customer", text, assigneeUserId = assignee });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await Server.DisposeAsync();
    }
}

public static class HttpJson
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static string Str(this JsonNode? node) => node?.GetValue<string>() ?? throw new InvalidOperationException("missing value");

    public static StringContent Body(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
