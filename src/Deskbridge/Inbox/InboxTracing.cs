using System.Diagnostics;
using Deskbridge.Telemetry;

namespace Deskbridge.Inbox;

/// <summary>O3: one trace per processed event, on the service's ActivitySource, linked to the webhook batch that brought it.</summary>
public static class InboxTracing
{
    /// <summary>A new trace for one event (not a child of whatever is current), linked to the batch that brought it.</summary>
    public static Activity? StartEvent(InboxEvent inboxEvent)
    {
        if (!DeskbridgeTelemetry.Source.HasListeners())
        {
            return null;
        }
        ActivityLink[]? links = null;
        if (inboxEvent.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var batch))
        {
            links = [new ActivityLink(batch)];
        }
        Activity.Current = null;
        var activity = DeskbridgeTelemetry.Source.StartActivity(ActivityKind.Consumer, parentContext: default, links: links, name: $"process {inboxEvent.SubscriptionType}");
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
