using System.Globalization;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Errors;

namespace Deskbridge.HubSpotSandbox.RateLimiting;

/// <summary>Counts authenticated private-app calls and answers 429 with HubSpot's RATE_LIMITS body.
/// Non-search responses carry the X-HubSpot-RateLimit-* headers; search responses carry none.</summary>
internal sealed class RateLimitMiddleware(RequestDelegate next)
{
    // The limiter is the selected portal's: each portal has its own windows, as HubSpot counts per account and app.
    public async Task InvokeAsync(HttpContext context, RateLimiter limiter)
    {
        if (context.Items[HubSpotAuthMiddleware.TokenItemKey] is not AccessToken)
        {
            await next(context);
            return;
        }

        var isSearch = context.GetEndpoint()?.Metadata.GetMetadata<SearchEndpointMetadata>() is not null;
        var decision = limiter.TryAcquire(isSearch);
        if (!isSearch)
        {
            WriteHeaders(context.Response.Headers, decision);
        }

        if (!decision.Allowed)
        {
            await HubSpotErrors.Result(StatusCodes.Status429TooManyRequests, HubSpotErrors.RateLimitBody(decision.PolicyName!)).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static void WriteHeaders(IHeaderDictionary headers, RateLimitDecision decision)
    {
        headers["X-HubSpot-RateLimit-Max"] = decision.Settings.RequestsPer10Seconds.ToString(CultureInfo.InvariantCulture);
        headers["X-HubSpot-RateLimit-Remaining"] = decision.BurstRemaining.ToString(CultureInfo.InvariantCulture);
        headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
        headers["X-HubSpot-RateLimit-Daily"] = decision.Settings.DailyRequestLimit.ToString(CultureInfo.InvariantCulture);
        headers["X-HubSpot-RateLimit-Daily-Remaining"] = decision.DailyRemaining.ToString(CultureInfo.InvariantCulture);
    }
}
