using System.Buffers;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Deskbridge.Webhooks;

public static partial class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks").WithTags("Webhooks");
        group.MapPost("/hubspot/{organizationId}/{token}", ReceiveAsync).DisableAntiforgery();
        return group;
    }

    /// <summary>W1–W6: answer 200 only once the whole batch is committed to the inbox.</summary>
    private static async Task<Results<Ok<InboxWriteResult>, ProblemHttpResult>> ReceiveAsync(
        string organizationId,
        string token,
        HttpRequest request,
        WebhookUrlSigner signer,
        OrganizationDirectory organizations,
        InboxBatcher inbox,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<WebhookUrlSigner> logger,
        DeskbridgeMetrics metrics,
        CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        if (!signer.TryVerify(organizationId, token, out var orgId, out var generation))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Unknown webhook URL", "The webhook URL is not one Deskbridge issued (tampered or mistyped). Copy it again from the HubSpot settings page.");
        }
        var identity = await organizations.FindAsync(orgId, ct);
        if (identity is null || !identity.Accepts(generation, now, settings.PreviousUrlGracePeriod))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Webhook URL no longer valid", "This webhook URL was rotated and its grace period has ended, or its organization no longer exists. Use the current URL from the HubSpot settings page.");
        }

        var body = await ReadBodyAsync(request, settings.MaxBodyBytes, ct);
        if (body is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Body too large", $"The body exceeds {settings.MaxBodyBytes} bytes; HubSpot sends at most 100 events per request.");
        }

        if (identity.ClientSecret is { } secret)
        {
            var check = HubSpotSignature.VerifyV3(secret, request.Method, PublicUri(request, settings), body,
                request.Headers["X-HubSpot-Signature-v3"], request.Headers["X-HubSpot-Request-Timestamp"], now, settings.SignatureMaxAge);
            if (!check.IsValid)
            {
                LogBadSignature(logger, orgId, check.Problem!);
                return Problem(StatusCodes.Status401Unauthorized, "Invalid HubSpot signature", check.Problem!);
            }
        }

        if (!WebhookBatch.TryParse(body, out var events, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed webhook body", error!);
        }

        // W7: an event of another portal is not this organization's to act on (a misrouted app or a replay).
        if (identity.PortalId is { } portal)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Rejection is null && events[i].PortalId != portal)
                {
                    events[i] = events[i].Reject($"portalId {events[i].PortalId} is not the connected HubSpot portal {portal}.");
                }
            }
        }

        try
        {
            using var activity = DeskbridgeTelemetry.StartBatch(orgId, events.Count);
            var stored = await inbox.WriteAsync(new IncomingBatch(orgId, events, (activity ?? System.Diagnostics.Activity.Current)?.Id), ct);
            activity?.SetTag("deskbridge.batch_id", stored.BatchId.ToString());
            metrics.EventsStoredWithFate(nameof(EventFate.Duplicate), stored.Duplicates);
            metrics.EventsStoredWithFate(nameof(EventFate.Ignored), stored.Ignored);
            metrics.EventsStoredWithFate(nameof(EventFate.Rejected), stored.Rejected);
            return TypedResults.Ok(stored);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // 503 makes HubSpot deliver the batch again; a 200 here would lose it.
            LogStoreFailed(logger, ex, orgId, events.Count);
            return Problem(StatusCodes.Status503ServiceUnavailable, "Inbox unavailable", "The events could not be stored; HubSpot will retry the delivery.");
        }
    }

    internal static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(8192), ct);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// HubSpot signs the URL it called: behind a proxy the public one (Webhooks:PublicBaseUrl), not ours. The path and
    /// query are taken from the request line as received (not Kestrel's decoded path), so escapes match what was signed.
    /// </summary>
    internal static string PublicUri(HttpRequest request, WebhookOptions settings)
    {
        var rawTarget = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        var pathAndQuery = request.PathBase.HasValue || string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/'
            ? request.PathBase + request.Path + request.QueryString
            : rawTarget;
        return settings.PublicBaseUrl is { } publicBase
            ? publicBase.GetLeftPart(UriPartial.Authority) + pathAndQuery
            : $"{request.Scheme}://{request.Host}{pathAndQuery}";
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a webhook for organization {OrganizationId}: {Problem}")]
    private static partial void LogBadSignature(ILogger logger, Guid organizationId, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} webhook events for organization {OrganizationId}; answered 503")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, Guid organizationId, int count);
}
