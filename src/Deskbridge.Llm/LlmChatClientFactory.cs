using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OllamaSharp;
using OpenAI;

namespace Deskbridge.Llm;

/// <summary>
/// Builds the <see cref="IChatClient"/> for the configured provider. The SDKs' own retries are switched off
/// (the agent retries, so that it can also retry unusable replies and count attempts), and the per-attempt
/// timeout is the agent's, so the SDK's network timeout is set a little longer.
/// </summary>
public static class LlmChatClientFactory
{
    /// <summary>ActivitySource / Meter name of the OpenTelemetry instrumentation (sensitive data off: no prompts, no replies).</summary>
    public const string TelemetrySourceName = "Deskbridge.Llm";

    /// <param name="httpClient">Optional transport (tests, proxies); its timeout should not be shorter than <see cref="LlmOptions.Timeout"/>.</param>
    public static IChatClient Create(LlmOptions options, HttpClient? httpClient = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The LLM options are not usable: " + string.Join(" ", problems));
        }

        var endpoint = new Uri(options.EffectiveBaseUrl);
        IChatClient inner = options.Provider switch
        {
            LlmProvider.Ollama => CreateOllama(options, endpoint, httpClient),
            _ => CreateOpenAI(options, endpoint, httpClient),
        };

        return new ChatClientBuilder(inner)
            .UseOpenTelemetry(loggerFactory, TelemetrySourceName)
            .Build();
    }

    /// <summary>The embedding generator of <see cref="LlmOptions.EmbeddingModel"/> on the same endpoint, with the same key.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(LlmOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.EmbeddingModel))
        {
            throw new InvalidOperationException($"{LlmOptions.SectionName}:EmbeddingModel is not set.");
        }

        var endpoint = new Uri(options.EffectiveBaseUrl);
        if (options.Provider == LlmProvider.Ollama)
        {
#pragma warning disable CA2000 // The generator owns its HttpClient; it lives as long as the app.
            var client = httpClient ?? new HttpClient { Timeout = options.Timeout + TimeSpan.FromSeconds(5) };
#pragma warning restore CA2000
            client.BaseAddress ??= endpoint;
            return new OllamaApiClient(client, options.EmbeddingModel.Trim());
        }

        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(5),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 2),
        };
        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey.Trim();
        return new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetEmbeddingClient(options.EmbeddingModel.Trim()).AsIEmbeddingGenerator();
    }

    private static IChatClient CreateOpenAI(LlmOptions options, Uri endpoint, HttpClient? httpClient)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(5),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        // Local OpenAI-compatible servers take no key, but the SDK insists on one.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey.Trim();
        return new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetChatClient(options.Model).AsIChatClient();
    }

    private static OllamaApiClient CreateOllama(LlmOptions options, Uri endpoint, HttpClient? httpClient)
    {
#pragma warning disable CA2000 // The chat client owns the HttpClient it creates; it lives as long as the app.
        var client = httpClient ?? new HttpClient { Timeout = options.Timeout + TimeSpan.FromSeconds(5) };
#pragma warning restore CA2000
        client.BaseAddress ??= endpoint;
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            // Ollama itself takes no key; a gateway in front of it may.
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey.Trim());
        }

        return new OllamaApiClient(client, options.Model);
    }
}
