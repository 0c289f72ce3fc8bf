using System.ClientModel;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OllamaSharp.Models.Exceptions;

namespace Deskbridge.Llm;

/// <summary>The outcome of a model call: the parsed value, or why no usable value came back.</summary>
internal readonly record struct ModelResult<T>(T? Value, string? Failure, int Attempts)
    where T : class
{
    public bool Succeeded => Value is not null;
}

/// <summary>
/// One structured request to the model, with the fault handling both services share: a timeout per
/// attempt; retries with exponential backoff (or the server's Retry-After) for 429, 408, 5xx, network
/// errors, timeouts and replies that are not the JSON asked for; no retry for other 4xx (bad key, unknown
/// model). Every message that leaves this class has the API key redacted.
/// </summary>
internal sealed class ModelCall(IChatClient chatClient, LlmOptions options, ILogger logger, TimeProvider timeProvider)
{
    public async Task<ModelResult<T>> GetAsync<T>(string operation, IList<ChatMessage> messages, Func<string, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var chatOptions = new ChatOptions
        {
            ModelId = options.Model,
            Temperature = options.Temperature,
            ResponseFormat = options.JsonResponseFormat ? ChatResponseFormat.Json : null,
        };
        var attempts = options.MaxRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            Fault fault;
            using (var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptCancellation.CancelAfter(options.Timeout);
                try
                {
                    var response = await chatClient.GetResponseAsync(messages, chatOptions, attemptCancellation.Token);
                    return new ModelResult<T>(read(response.Text), null, attempt);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception exception)
                {
                    fault = Classify(exception, attemptCancellation.IsCancellationRequested);
                }
            }

            var reason = options.Redact(fault.Description);
            if (!fault.Transient || attempt >= attempts)
            {
                var failure = attempt == 1 ? reason : $"{reason} (after {attempt} attempts)";
                LlmLog.ModelCallFailed(logger, operation, options.Model, attempt, reason);
                return new ModelResult<T>(null, failure, attempt);
            }

            var delay = fault.RetryAfter ?? Backoff(attempt);
            if (delay > options.MaxRetryDelay)
            {
                var failure = $"{reason}; the server asked to wait {delay.TotalSeconds:0.#} s, longer than the {options.MaxRetryDelay.TotalSeconds:0.#} s allowed";
                LlmLog.ModelCallFailed(logger, operation, options.Model, attempt, failure);
                return new ModelResult<T>(null, failure, attempt);
            }

            LlmLog.ModelCallRetrying(logger, operation, options.Model, attempt, attempts, reason, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(exponential * jitter, options.MaxRetryDelay.TotalMilliseconds));
    }

    private Fault Classify(Exception exception, bool timedOut)
    {
        switch (exception)
        {
            case ModelOutputException output:
                return new Fault(true, null, "the reply was unusable: " + output.Message);
            case OperationCanceledException or TimeoutException when timedOut:
                return new Fault(true, null, $"no reply within {options.Timeout.TotalSeconds:0.#} s");
            case OperationCanceledException or TimeoutException:
                return new Fault(true, null, "the request timed out");
            case ClientResultException result when result.Status == 0:
                return new Fault(true, null, "the model endpoint could not be reached: " + FirstLine(result.InnerException?.Message ?? result.Message));
            case ClientResultException result:
                return FromStatus(result.Status, RetryAfter(result), ErrorDetail(result));
            case HttpRequestException http when http.StatusCode is { } status:
                return FromStatus((int)status, null, null);
            case HttpRequestException http:
                return new Fault(true, null, "the model endpoint could not be reached: " + FirstLine(http.Message));
            case OllamaException ollama:
                return new Fault(true, null, "the model endpoint reported an error: " + FirstLine(ollama.Message));
            case System.Text.Json.JsonException:
                return new Fault(true, null, "the model endpoint sent a response that is not valid JSON");
            default:
                return new Fault(true, null, $"{exception.GetType().Name}: {FirstLine(exception.Message)}");
        }
    }

    private static Fault FromStatus(int status, TimeSpan? retryAfter, string? detail)
    {
        var name = Enum.IsDefined((HttpStatusCode)status) ? $" ({(HttpStatusCode)status})" : string.Empty;
        var description = $"the model endpoint answered HTTP {status}{name}" + (string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail);
        var transient = status is 408 or 429 or >= 500;
        return new Fault(transient, transient ? retryAfter : null, description);
    }

    /// <summary>OpenAI sends <c>retry-after-ms</c> as well as the standard <c>Retry-After</c> (seconds or an HTTP date).</summary>
    private TimeSpan? RetryAfter(ClientResultException exception)
    {
        var headers = exception.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }

        if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.TryGetValue("Retry-After", out var value) && !string.IsNullOrWhiteSpace(value))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - timeProvider.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    /// <summary>The <c>error.message</c> of an OpenAI-style error body, shortened.</summary>
    private static string? ErrorDetail(ClientResultException exception)
    {
        try
        {
            var body = exception.GetRawResponse()?.Content?.ToString();
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object
                   && error.TryGetProperty("message", out var message) && message.ValueKind == System.Text.Json.JsonValueKind.String
                ? ModelOutput.Shorten(message.GetString()!, 200)
                : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string FirstLine(string text) => ModelOutput.Shorten(text.Split('\n', 2)[0].Trim(), 200);

    private readonly record struct Fault(bool Transient, TimeSpan? RetryAfter, string Description);
}
