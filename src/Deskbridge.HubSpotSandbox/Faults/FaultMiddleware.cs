using System.Globalization;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.RateLimiting;

namespace Deskbridge.HubSpotSandbox.Faults;

/// <summary>Injected faults act like HubSpot's edge: before authentication, on any public path.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    // "Far longer than any client timeout"; the wait ends early when the caller aborts or the sandbox stops.
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(10);

    // Faults are the selected portal's.
    public async Task InvokeAsync(HttpContext context, FaultStore faults)
    {
        var fault = faults.Take(context.Request.Method, context.Request.Path.Value ?? "/");
        if (fault is null)
        {
            await next(context);
            return;
        }

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        switch (fault.Kind)
        {
            case FaultKind.Delay:
                await DelayAsync(TimeSpan.FromMilliseconds(fault.DelayMilliseconds ?? 1000), abort.Token);
                await next(context);
                break;

            case FaultKind.Timeout:
                await DelayAsync(Hang, abort.Token);
                if (!context.RequestAborted.IsCancellationRequested)
                {
                    await HubSpotErrors.Result(StatusCodes.Status504GatewayTimeout, HubSpotErrors.ServerError(504)).ExecuteAsync(context);
                }

                break;

            case FaultKind.RateLimit:
                if (fault.RetryAfterSeconds is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                }

                await HubSpotErrors.Result(StatusCodes.Status429TooManyRequests, HubSpotErrors.RateLimitBody(fault.PolicyName ?? RateLimiter.TenSecondlyRolling))
                    .ExecuteAsync(context);
                break;

            default:
                var status = fault.StatusCode ?? StatusCodes.Status500InternalServerError;
                if (fault.RetryAfterSeconds is { } errorRetryAfter)
                {
                    context.Response.Headers.RetryAfter = errorRetryAfter.ToString(CultureInfo.InvariantCulture);
                }

                await HubSpotErrors.Result(status, HubSpotErrors.ServerError(status)).ExecuteAsync(context);
                break;
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up (or the sandbox is stopping): nothing more to do.
        }
    }
}
