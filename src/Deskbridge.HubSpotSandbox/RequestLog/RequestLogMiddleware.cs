using System.Diagnostics;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.RequestLog;

/// <summary>Records public calls (everything outside /_sandbox) with their final status; tokens appear only as their last 4 characters.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, TimeProvider time)
{
    // Each portal has its own log (a call with a token no portal knows lands in the default portal's).
    public async Task InvokeAsync(HttpContext context, RequestLogStore log)
    {
        if (context.Request.Path.StartsWithSegments(SandboxApplication.AdminPrefix))
        {
            await next(context);
            return;
        }

        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
            var bearer = HubSpotAuthMiddleware.ReadBearer(context);
            log.Add(sequence => new LoggedRequest(
                sequence,
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                MaskQuery(context.Request.QueryString.Value),
                status,
                HubSpotTime.Iso(started),
                stopwatch.Elapsed.TotalMilliseconds,
                bearer is null ? null : AccessToken.Mask(bearer)));
        }
    }

    // The developer API key travels in the query string; never log it.
    private static string? MaskQuery(string? query) =>
        string.IsNullOrEmpty(query) ? null
        : query.Contains("hapikey=", StringComparison.OrdinalIgnoreCase) ? System.Text.RegularExpressions.Regex.Replace(query, "hapikey=[^&]*", "hapikey=****", System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1))
        : query;
}
