using System.ClientModel;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OllamaSharp.Models.Exceptions;
using Polly;
using Polly.Retry;

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
/// model), nor when the server asks to wait longer than allowed. The retries are a Polly pipeline; each attempt
/// returns its fault as a value, so the pipeline decides on what the attempt came to, not on exception types.
/// Every message that leaves this class has the API key redacted.
/// </summary>
internal sealed class ModelCall(IChatClient chatClient, LlmOptions options, ILogger logger, TimeProvider timeProvider)
{
    /// <summary>
    /// Asks for <typeparamref name="TOutput"/> through Microsoft.Extensions.AI's structured output (the JSON schema as the
    /// response format; when <see cref="LlmOptions.JsonResponseFormat"/> is off, plain JSON with the schema in the prompt); <paramref name="read"/>
    /// turns the typed reply into <typeparamref name="T"/> or throws <see cref="ModelOutputException"/>.
    /// </summary>
    public async Task<ModelResult<T>> GetAsync<TOutput, T>(string operation, IList<ChatMessage> messages, Func<ChatResponse<TOutput>, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var chatOptions = new ChatOptions
        {
            ModelId = options.Model,
            Temperature = options.Temperature,
        };
        var attempts = options.MaxRetries + 1;
        var attempt = 0;
        var outcome = await Pipeline<T>(operation, attempts).ExecuteAsync(async ct =>
        {
            attempt++;
            using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attemptCancellation.CancelAfter(options.Timeout);
            try
            {
                var response = await chatClient.GetResponseAsync<TOutput>(
                    messages, ModelOutputJson.Default.Options, chatOptions, useJsonSchemaResponseFormat: options.JsonResponseFormat, attemptCancellation.Token);
                return new Attempt<T>(read(response), default);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                return new Attempt<T>(null, Classify(exception, attemptCancellation.IsCancellationRequested));
            }
        }, cancellationToken);

        if (outcome.Value is { } value)
        {
            return new ModelResult<T>(value, null, attempt);
        }

        var fault = outcome.Fault;
        var reason = options.Redact(fault.Description);
        var failure = attempt < attempts && fault.Transient && fault.RetryAfter > options.MaxRetryDelay
            ? $"{reason}; the server asked to wait {fault.RetryAfter.Value.TotalSeconds:0.#} s, longer than the {options.MaxRetryDelay.TotalSeconds:0.#} s allowed"
            : attempt == 1 ? reason : $"{reason} (after {attempt} attempts)";
        LlmLog.ModelCallFailed(logger, operation, options.Model, attempt, failure);
        return new ModelResult<T>(null, failure, attempt);
    }

    private ResiliencePipeline<Attempt<T>> Pipeline<T>(string operation, int attempts)
        where T : class =>
        // Llm:MaxRetries=0 is allowed, but Polly refuses a retry strategy of zero retries: no strategy then.
        attempts <= 1 ? ResiliencePipeline<Attempt<T>>.Empty : new ResiliencePipelineBuilder<Attempt<T>> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<Attempt<T>>
            {
                MaxRetryAttempts = attempts - 1,
                // A Retry-After beyond what is allowed ends the retries: waiting that long is worse than handing off.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Value: null, Fault: { Transient: true } fault }
                    && !(fault.RetryAfter > options.MaxRetryDelay)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result.Fault.RetryAfter ?? Backoff(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    LlmLog.ModelCallRetrying(logger, operation, options.Model, args.AttemptNumber + 1, attempts,
                        options.Redact(args.Outcome.Result!.Fault.Description), (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .Build();

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

    private readonly record struct Attempt<T>(T? Value, Fault Fault)
        where T : class;
}
