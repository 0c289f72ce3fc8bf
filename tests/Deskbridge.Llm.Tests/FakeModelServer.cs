using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deskbridge.Llm.Tests;

/// <summary>One request the fake model server received.</summary>
public sealed record ReceivedRequest(string Path, string? Authorization, JsonNode Body, DateTimeOffset At)
{
    public string? Model => Body["model"]?.GetValue<string>();

    /// <summary>(role, text) of each message; OpenAI content may be a string or a list of text parts.</summary>
    public IReadOnlyList<(string Role, string Text)> Messages =>
        Body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), ContentText(m["content"]))).ToList();

    public string AllText => string.Join("\n", Messages.Select(m => m.Text));

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => string.Empty,
    };
}

/// <summary>What the fake server does with one request.</summary>
public abstract record Reply
{
    /// <summary>200 with this assistant message content, in the protocol of the request's path.</summary>
    public static Reply Content(string content) => new ContentReply(content);

    /// <summary>200 with this object serialized as the assistant message content.</summary>
    public static Reply Json(object content) => new ContentReply(JsonSerializer.Serialize(content));

    public static Reply Status(int status, string? errorMessage = null, params (string Name, string Value)[] headers) =>
        new StatusReply(status, errorMessage ?? "fake failure", headers);

    /// <summary>Holds the request open for <paramref name="duration"/> (or until the client gives up), then answers.</summary>
    public static Reply Hang(TimeSpan duration, string content = "{}") => new HangReply(duration, content);

    internal sealed record ContentReply(string Text) : Reply;

    internal sealed record StatusReply(int Code, string ErrorMessage, (string Name, string Value)[] Headers) : Reply;

    internal sealed record HangReply(TimeSpan Duration, string Text) : Reply;
}

/// <summary>
/// A minimal Kestrel app on 127.0.0.1:0 speaking OpenAI's <c>POST /v1/chat/completions</c> (plain and SSE
/// streaming) and Ollama's <c>POST /api/chat</c> (plain and NDJSON streaming), scripted per test: each request
/// takes the next queued <see cref="Reply"/>, and the last one repeats.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly List<ReceivedRequest> _requests = [];
    private Reply _last = Reply.Content("{}");

    private FakeModelServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The BaseUrl an OpenAI client is configured with.</summary>
    public string OpenAIBaseUrl => new Uri(BaseUri, "v1").ToString();

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeModelServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/api/chat", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Queues replies for the next requests, in order; the last one repeats for any request after.</summary>
    public FakeModelServer Script(params Reply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        lock (_requests)
        {
            _requests.Add(new ReceivedRequest(context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(), body, DateTimeOffset.UtcNow));
        }

        Reply reply;
        lock (_script)
        {
            reply = _script.TryDequeue(out var next) ? _last = next : _last;
        }

        var ollama = context.Request.Path.StartsWithSegments("/api");
        var model = body["model"]?.GetValue<string>() ?? "unknown";
        if (!ollama && InvalidResponseFormat(body["response_format"]) is { } invalid)
        {
            // OpenAI refuses a malformed response_format before the model runs, whatever the script says.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = invalid, ["type"] = "invalid_request_error", ["param"] = "response_format", ["code"] = null },
            });
            return;
        }

        switch (reply)
        {
            case Reply.StatusReply status:
                context.Response.StatusCode = status.Code;
                foreach (var (name, value) in status.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await context.Response.WriteAsJsonAsync(ollama
                    ? new JsonObject { ["error"] = status.ErrorMessage }
                    : new JsonObject { ["error"] = new JsonObject { ["message"] = status.ErrorMessage, ["type"] = "server_error", ["param"] = null, ["code"] = null } });
                return;

            case Reply.HangReply hang:
                try
                {
                    await Task.Delay(hang.Duration, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await WriteContentAsync(context, ollama, body, model, hang.Text);
                return;

            case Reply.ContentReply content:
                await WriteContentAsync(context, ollama, body, model, content.Text);
                return;
        }
    }

    /// <summary>OpenAI's rules for <c>response_format</c>: text, json_object, or json_schema with a name and a schema object.</summary>
    private static string? InvalidResponseFormat(JsonNode? format)
    {
        if (format is null)
        {
            return null;
        }

        switch (format["type"]?.GetValue<string>())
        {
            case "text" or "json_object":
                return null;
            case "json_schema":
                var schema = format["json_schema"];
                var name = schema?["name"]?.GetValue<string>();
                if (name is null || name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                {
                    return "Invalid 'response_format.json_schema.name': expected 1 to 64 letters, digits, underscores or dashes.";
                }

                return schema!["schema"] is JsonObject ? null : "Missing required parameter: 'response_format.json_schema.schema'.";
            default:
                return "Invalid value for 'response_format.type': expected 'text', 'json_object' or 'json_schema'.";
        }
    }

    private static async Task WriteContentAsync(HttpContext context, bool ollama, JsonNode body, string model, string content)
    {
        // Ollama streams unless told not to; OpenAI only when asked.
        var stream = body["stream"]?.GetValue<bool>() ?? ollama;
        if (ollama)
        {
            await WriteOllamaAsync(context, model, content, stream);
        }
        else
        {
            await WriteOpenAIAsync(context, model, content, stream);
        }
    }

    private static async Task WriteOpenAIAsync(HttpContext context, string model, string content, bool stream)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12];
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                    ["logprobs"] = null,
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
                ["system_fingerprint"] = "fp_fake",
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        var half = content.Length / 2;
        foreach (var chunk in new[]
        {
            Chunk(new JsonObject { ["role"] = "assistant", ["content"] = content[..half] }, null),
            Chunk(new JsonObject { ["content"] = content[half..] }, null),
            Chunk([], "stop"),
        })
        {
            await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task WriteOllamaAsync(HttpContext context, string model, string content, bool stream)
    {
        var createdAt = DateTimeOffset.UtcNow.ToString("O");
        JsonObject Final(string text) => new()
        {
            ["model"] = model,
            ["created_at"] = createdAt,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["done"] = true,
            ["done_reason"] = "stop",
            ["total_duration"] = 1000,
            ["load_duration"] = 10,
            ["prompt_eval_count"] = 100,
            ["prompt_eval_duration"] = 100,
            ["eval_count"] = 20,
            ["eval_duration"] = 100,
        };
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(Final(content));
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        var partial = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = createdAt,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["done"] = false,
        };
        await context.Response.WriteAsync(partial.ToJsonString() + "\n");
        await context.Response.WriteAsync(Final(string.Empty).ToJsonString() + "\n");
    }
}
