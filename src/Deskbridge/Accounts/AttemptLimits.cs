using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Deskbridge.Accounts;

/// <summary>Per-client budgets for credential attempts (Security section).</summary>
public sealed class AttemptLimitOptions
{
    public const string SectionName = "Security";

    /// <summary>Sign-in form posts per client address per minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Requests that carry X-Api-Key, per client address per minute (good keys and guesses alike).</summary>
    public int ApiKeyRequestsPerMinute { get; set; } = 600;
}

/// <summary>
/// Sign-in and API-key attempts are limited per client address before anything looks at the credential. This, not
/// Identity's per-account lockout, is the guard against guessing: a lockout an outsider can trigger would let anyone
/// lock an owner out at will, so sign-in does not lock accounts (see README).
/// </summary>
public static class AttemptLimits
{
    public static WebApplicationBuilder AddAttemptLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttemptLimitOptions>().BindConfiguration(AttemptLimitOptions.SectionName);
        var settings = builder.Configuration.GetSection(AttemptLimitOptions.SectionName).Get<AttemptLimitOptions>() ?? new AttemptLimitOptions();
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, settings));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many attempts",
                        Detail = $"Too many sign-in or API-key attempts from your address. Try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.",
                    },
                });
            };
        });
        return builder;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, AttemptLimitOptions settings)
    {
        // Behind a proxy configure forwarded headers, or every client shares the proxy's budget.
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (HttpMethods.IsPost(http.Request.Method) && IsSignIn(http))
        {
            return Window($"sign-in:{client}", settings.SignInAttemptsPerMinute);
        }
        if (http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return Window($"api-key:{client}", settings.ApiKeyRequestsPerMinute);
        }
        return RateLimitPartition.GetNoLimiter("none");
    }

    // By the endpoint routing chose (so /login/, /LOGIN or a handler query count too), by the path when none matched.
    private static bool IsSignIn(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is { } page
            ? page.ViewEnginePath == "/Login"
            : http.Request.Path.Value?.TrimEnd('/').Equals("/login", StringComparison.OrdinalIgnoreCase) == true;

    private static RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
