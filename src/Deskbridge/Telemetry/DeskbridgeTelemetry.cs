using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Deskbridge.Telemetry;

/// <summary>O3: the service's own traces. One span per webhook batch, one trace per processed event, linked to its batch.</summary>
public static class DeskbridgeTelemetry
{
    public const string Name = "Deskbridge";

    public static readonly ActivitySource Source = new(Name, "1.0");

    /// <summary>The ingress span; its context is stored on each of the batch's inbox rows.</summary>
    public static Activity? StartBatch(Guid organizationId, int events)
    {
        var activity = Source.StartActivity("webhook batch", ActivityKind.Internal);
        activity?.SetTag("deskbridge.organization_id", organizationId.ToString());
        activity?.SetTag("deskbridge.batch.events", events);
        return activity;
    }
}

/// <summary>
/// O3: the service's own metrics, created through <see cref="IMeterFactory"/> so each host (and each test) has its own.
/// </summary>
public sealed class DeskbridgeMetrics
{
    private readonly Counter<long> _events;
    private readonly Counter<long> _hubSpotCalls;
    private readonly Histogram<double> _replyLatency;

    public DeskbridgeMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(DeskbridgeTelemetry.Name, "1.0");
        _events = meter.CreateCounter<long>("deskbridge.events", "{event}", "Webhook events by final fate (processed, skipped, failed, duplicate, ignored)");
        _hubSpotCalls = meter.CreateCounter<long>("deskbridge.hubspot.calls", "{call}", "HubSpot API call attempts by status");
        _replyLatency = meter.CreateHistogram<double>("deskbridge.reply.latency", "s", "From receiving the customer's message event to the AI reply posted in HubSpot");
    }

    /// <param name="fate">The event's fate as a word (processed, skipped, failed, duplicate, ignored, rejected).</param>
    public void EventFinished(string fate, string subscriptionType) =>
        _events.Add(1, new("fate", fate.ToLowerInvariant()), new("type", subscriptionType));

    public void EventsStoredWithFate(string fate, int count)
    {
        if (count > 0)
        {
            _events.Add(count, new KeyValuePair<string, object?>("fate", fate.ToLowerInvariant()));
        }
    }

    public void HubSpotCall(string status, string method) =>
        _hubSpotCalls.Add(1, new("status", status), new("http.request.method", method));

    public void ReplyPosted(DateTimeOffset receivedAt, DateTimeOffset postedAt, string channel) =>
        _replyLatency.Record(Math.Max(0, (postedAt - receivedAt).TotalSeconds), new KeyValuePair<string, object?>("channel", channel));
}
