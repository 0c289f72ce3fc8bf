using System.Collections.Concurrent;
using System.Globalization;
using Deskbridge.Telemetry;

namespace Deskbridge.HubSpot;

/// <summary>
/// O2: the last successful HubSpot call and the last error of each connection (portal and token, known by its last 4
/// characters, so two organizations on one portal do not blur), as this process saw them.
/// </summary>
public sealed class HubSpotCallTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<(long Portal, string TokenLast4), PortalCalls> _connections = new();

    public PortalCalls? For(long portalId, string tokenLast4) => _connections.TryGetValue((portalId, tokenLast4), out var calls) ? calls : null;

    public void Succeeded(long portalId, string tokenLast4) =>
        _connections.AddOrUpdate((portalId, tokenLast4), _ => new PortalCalls(time.GetUtcNow(), null, null, null), (_, c) => c with { LastSuccessAt = time.GetUtcNow() });

    public void Failed(long portalId, string tokenLast4, int? statusCode, string error) =>
        _connections.AddOrUpdate((portalId, tokenLast4),
            _ => new PortalCalls(null, time.GetUtcNow(), error, statusCode),
            (_, c) => c with { LastErrorAt = time.GetUtcNow(), LastError = error, LastErrorStatus = statusCode });

    /// <summary>A verification (S8) settles the token either way, whatever portal id its calls carried.</summary>
    public void TokenChecked(long portalId, string tokenLast4, bool accepted, string? error)
    {
        if (accepted)
        {
            Succeeded(portalId, tokenLast4);
        }
        else
        {
            Failed(portalId, tokenLast4, 401, error ?? "HubSpot rejected the access token");
        }
    }
}

/// <param name="LastErrorStatus">The HTTP status of the last error; null for network faults and timeouts.</param>
public sealed record PortalCalls(DateTimeOffset? LastSuccessAt, DateTimeOffset? LastErrorAt, string? LastError, int? LastErrorStatus)
{
    /// <summary>False when HubSpot's latest word on the token was a 401; null when no call settled it.</summary>
    public bool? TokenAccepted => LastErrorStatus == 401 && (LastSuccessAt is null || LastErrorAt > LastSuccessAt) ? false
        : LastSuccessAt is not null ? true : null;
}

/// <summary>
/// Sits innermost in the HubSpot client's pipeline, so it sees every attempt (retries included) as HubSpot answered it:
/// feeds <see cref="HubSpotCallTracker"/> (O2) and the calls-by-status counter (O3).
/// </summary>
public sealed class HubSpotCallObserver(HubSpotCallTracker tracker, DeskbridgeMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var portal = HubSpotClient.PortalOf(request);
        var token = request.Headers.Authorization?.Parameter ?? "";
        var last4 = token.Length >= 4 ? token[^4..] : "";
        var method = request.Method.Method;
        var path = request.RequestUri?.AbsolutePath ?? "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            metrics.HubSpotCall(status.ToString(CultureInfo.InvariantCulture), method);
            if (response.IsSuccessStatusCode)
            {
                tracker.Succeeded(portal, last4);
            }
            else
            {
                tracker.Failed(portal, last4, status, $"{method} {path}: HubSpot answered {status} {response.ReasonPhrase}");
            }
            return response;
        }
        catch (OperationCanceledException)
        {
            // The pipeline's attempt timeout cancels this token too, so a timeout and a cancellation look alike here.
            metrics.HubSpotCall("timeout", method);
            tracker.Failed(portal, last4, null, $"{method} {path}: no answer in time (timed out or cancelled)");
            throw;
        }
        catch (HttpRequestException ex)
        {
            metrics.HubSpotCall("network", method);
            tracker.Failed(portal, last4, null, $"{method} {path}: {ex.Message}");
            throw;
        }
    }
}
