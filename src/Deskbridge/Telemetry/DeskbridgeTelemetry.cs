using System.Diagnostics;
using System.Diagnostics.Metrics;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

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

    /// <summary>A new trace for one event (not a child of whatever is current), linked to the batch that brought it.</summary>
    public static Activity? StartEvent(InboxEvent inboxEvent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        ActivityLink[]? links = null;
        if (inboxEvent.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var batch))
        {
            links = [new ActivityLink(batch)];
        }
        Activity.Current = null;
        var activity = Source.StartActivity(ActivityKind.Consumer, parentContext: default, links: links, name: $"process {inboxEvent.SubscriptionType}");
        if (activity is not null)
        {
            activity.SetTag("deskbridge.organization_id", inboxEvent.OrganizationId.ToString());
            activity.SetTag("deskbridge.event.id", inboxEvent.Id);
            activity.SetTag("deskbridge.event.type", inboxEvent.SubscriptionType);
            activity.SetTag("deskbridge.event.attempt", inboxEvent.ProcessingAttempts);
            activity.SetTag("deskbridge.batch_id", inboxEvent.BatchId.ToString());
            if (inboxEvent.ThreadId is { } thread)
            {
                activity.SetTag("deskbridge.thread_id", thread);
            }
        }
        return activity;
    }

    /// <summary>The event's fate on its span (an error status when it failed).</summary>
    public static void Finish(Activity? activity, InboxEvent inboxEvent)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("deskbridge.event.fate", inboxEvent.Fate?.ToString() ?? "Deferred");
        activity.SetTag("deskbridge.event.reason", inboxEvent.Reason);
        if (inboxEvent.SessionId is { } session)
        {
            activity.SetTag("deskbridge.session_id", session.ToString());
        }
        if (inboxEvent.Fate == EventFate.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, inboxEvent.LastError);
        }
    }
}

/// <summary>
/// O3: the service's own metrics, created through <see cref="IMeterFactory"/> so each host (and each test) has its own.
/// </summary>
public sealed class DeskbridgeMetrics
{
    private readonly Counter<long> events;
    private readonly Counter<long> hubSpotCalls;
    private readonly Histogram<double> replyLatency;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;

    public DeskbridgeMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time)
    {
        this.scopes = scopes;
        this.time = time;
        var meter = meters.Create(DeskbridgeTelemetry.Name, "1.0");
        events = meter.CreateCounter<long>("deskbridge.events", "{event}", "Webhook events by final fate (processed, skipped, failed, duplicate, ignored)");
        hubSpotCalls = meter.CreateCounter<long>("deskbridge.hubspot.calls", "{call}", "HubSpot API call attempts by status");
        replyLatency = meter.CreateHistogram<double>("deskbridge.reply.latency", "s", "From receiving the customer's message event to the AI reply posted in HubSpot");
        meter.CreateObservableGauge("deskbridge.inbox.depth", ReadInboxDepth, "{event}", "Events in the inbox that have no fate yet");
        meter.CreateObservableGauge("deskbridge.inbox.oldest_pending_age", ReadOldestPendingAge, "s", "Age of the oldest event still pending");
    }

    public void EventFinished(EventFate fate, string subscriptionType) =>
        events.Add(1, new("fate", fate.ToString().ToLowerInvariant()), new("type", subscriptionType));

    public void EventsStoredWithFate(EventFate fate, int count)
    {
        if (count > 0)
        {
            events.Add(count, new KeyValuePair<string, object?>("fate", fate.ToString().ToLowerInvariant()));
        }
    }

    public void HubSpotCall(string status, string method) =>
        hubSpotCalls.Add(1, new("status", status), new("http.request.method", method));

    public void ReplyPosted(DateTimeOffset receivedAt, DateTimeOffset postedAt, string channel) =>
        replyLatency.Record(Math.Max(0, (postedAt - receivedAt).TotalSeconds), new KeyValuePair<string, object?>("channel", channel));

    private long ReadInboxDepth()
    {
        try
        {
            using var scope = scopes.CreateScope();
            return scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().InboxEvents.LongCount(e => e.Status == EventStatus.Pending);
        }
        catch (Exception)
        {
            return 0; // a collection must never throw (database gone during shutdown)
        }
    }

    private double ReadOldestPendingAge()
    {
        try
        {
            using var scope = scopes.CreateScope();
            var oldest = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().InboxEvents.AsNoTracking()
                .Where(e => e.Status == EventStatus.Pending).OrderBy(e => e.Id).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefault();
            return oldest is { } at ? Math.Max(0, (time.GetUtcNow() - at).TotalSeconds) : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
