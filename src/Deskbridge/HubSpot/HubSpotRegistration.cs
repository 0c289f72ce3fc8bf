using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Deskbridge.HubSpot;

public static class HubSpotRegistration
{
    public static WebApplicationBuilder AddHubSpot(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubSpotOptions>().BindConfiguration(HubSpotOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<PortalRateLimiters>();
        builder.Services.AddSingleton<SharedPortalBudget>();
        builder.Services.AddTransient<PortalRateLimitHandler>();
        builder.Services.AddSingleton<HubSpotCircuits>();

        var client = builder.Services.AddHttpClient<HubSpotClient>((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<HubSpotOptions>>().Value.BaseUrl;
                // Timeouts are the pipeline's job (per attempt and in total).
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("Deskbridge/1.0");
            });
        client.AddResilienceHandler("hubspot", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<HubSpotOptions>>().Value;
                var circuits = context.ServiceProvider.GetRequiredService<HubSpotCircuits>();
                pipeline
                    .AddTimeout(options.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryBaseDelay,
                        DelayGenerator = args => RetryDelays.ForHubSpot(args.Outcome.Result, args.AttemptNumber, options),
                        ShouldHandle = args => ValueTask.FromResult(
                            args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests ||
                            (IsSafeToRepeat(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome))),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                        FailureRatio = options.CircuitBreakerFailureRatio,
                        BreakDuration = options.CircuitBreakerBreakDuration,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        // A 429 means "slow down", not "HubSpot is broken": it must not open the circuit.
                        ShouldHandle = args => ValueTask.FromResult(
                            args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests &&
                            HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                        // C9: the event processor parks a portal's events until the break ends, instead of spending their attempts.
                        OnOpened = args =>
                        {
                            circuits.Opened(PortalOf(args.Context), args.BreakDuration);
                            return ValueTask.CompletedTask;
                        },
                        OnClosed = args =>
                        {
                            circuits.Closed(PortalOf(args.Context));
                            return ValueTask.CompletedTask;
                        },
                    })
                    .AddTimeout(options.AttemptTimeout);
            })
            // One circuit per portal: one portal's outage must not stop the others.
            .SelectPipelineBy(_ => request => HubSpotClient.PortalOf(request).ToString(System.Globalization.CultureInfo.InvariantCulture));
        client.AddHttpMessageHandler<PortalRateLimitHandler>();
        // Inside the retries and after the limiter's wait, so every attempt carries the OAuth app installation's token as it
        // is when the call leaves (a token chosen before a wait could expire in it); a 401 refreshes once and is sent again.
        client.AddHttpMessageHandler<HubSpotApp.HubSpotAppAuthHandler>();
        // Innermost: the call observer (O2 figures, O3 metrics) sees every attempt, retries included.
        builder.Services.AddSingleton<HubSpotCallTracker>();
        builder.Services.AddTransient<HubSpotCallObserver>();
        client.AddHttpMessageHandler<HubSpotCallObserver>();

        return builder;
    }

    private static long PortalOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } request ? HubSpotClient.PortalOf(request) : 0;

    /// <summary>
    /// A 5xx or a timeout on a POST that creates something may have created it; repeating it blindly could
    /// post a reply twice. Those are retried by the event processor, which first checks what HubSpot already has.
    /// Reads (GET, and POSTs that only read) are always safe.
    /// </summary>
    private static bool IsSafeToRepeat(HttpRequestMessage? request) => request is not null &&
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete ||
         request.RequestUri?.AbsolutePath.EndsWith("/search", StringComparison.Ordinal) == true ||
         request.RequestUri?.AbsolutePath.EndsWith("/batch/read", StringComparison.Ordinal) == true ||
         request.RequestUri?.AbsolutePath.EndsWith("/access-token-info", StringComparison.Ordinal) == true);
}

internal static class RetryDelays
{
    /// <summary>
    /// Honours Retry-After; a 429 without it waits <see cref="HubSpotOptions.RateLimitedDelay"/> per attempt
    /// (HubSpot's own clients do the same). Null lets the exponential jittered backoff decide.
    /// </summary>
    public static ValueTask<TimeSpan?> ForHubSpot(HttpResponseMessage? response, int attempt, HubSpotOptions options)
    {
        if (response?.Headers.RetryAfter is { } retryAfter)
        {
            var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
            if (delay is { } d)
            {
                return ValueTask.FromResult<TimeSpan?>(d < TimeSpan.Zero ? TimeSpan.Zero : d);
            }
        }

        if (response?.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
            return ValueTask.FromResult<TimeSpan?>(options.RateLimitedDelay * (attempt + 1) + jitter);
        }

        return ValueTask.FromResult<TimeSpan?>(null);
    }
}
