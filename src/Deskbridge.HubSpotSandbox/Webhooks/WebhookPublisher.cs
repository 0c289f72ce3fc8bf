namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>Turns changes into events for every matching active subscription and queues them for delivery.</summary>
public sealed class WebhookPublisher(SubscriptionStore subscriptions, WebhookQueue queue, SandboxOptions options, TimeProvider time)
{
    private const int HistoryCapacity = 5_000;
    private readonly Lock _lock = new();
    private readonly LinkedList<WebhookEvent> _history = new();
    private long _nextEventId = 1_000_000_000 + Random.Shared.Next(1_000_000);

    public IReadOnlyList<WebhookEvent> Publish(params WebhookEventDraft[] drafts)
    {
        var occurredAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        var events = new List<WebhookEvent>();
        foreach (var draft in drafts)
        {
            foreach (var subscription in subscriptions.Matching(draft.SubscriptionType, draft.PropertyName))
            {
                events.Add(new WebhookEvent
                {
                    EventId = Interlocked.Increment(ref _nextEventId),
                    SubscriptionId = subscription.Id,
                    PortalId = options.PortalId,
                    AppId = options.AppId,
                    OccurredAt = occurredAt,
                    SubscriptionType = draft.SubscriptionType,
                    ObjectId = draft.ObjectId,
                    ChangeSource = draft.ChangeSource,
                    SourceId = draft.SourceId,
                    MessageId = draft.MessageId,
                    MessageType = draft.MessageType,
                    ChangeFlag = draft.ChangeFlag,
                    PropertyName = draft.PropertyName,
                    PropertyValue = draft.PropertyValue,
                });
            }
        }

        if (events.Count > 0)
        {
            lock (_lock)
            {
                foreach (var e in events)
                {
                    _history.AddLast(e);
                }

                while (_history.Count > HistoryCapacity)
                {
                    _history.RemoveFirst();
                }
            }

            queue.Enqueue(events);
        }

        return events;
    }

    public IReadOnlyList<WebhookEvent> History()
    {
        lock (_lock)
        {
            return [.. _history];
        }
    }

    public void ClearHistory()
    {
        lock (_lock)
        {
            _history.Clear();
        }
    }
}
