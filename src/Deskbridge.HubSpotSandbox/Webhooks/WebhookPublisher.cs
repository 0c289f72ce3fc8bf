namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>Turns changes into events for every matching active subscription and queues them for delivery.
/// Like HubSpot's, eventIds are not unique: a share of new events (<see cref="SandboxOptions.WebhookEventIdRepeatRate"/>)
/// carries the eventId of one of the last few events instead of a new one.
/// In a portal, every change also goes to the public apps installed there (<see cref="OAuth.OAuthApps.Fanout"/>); in an
/// app's own container the publisher stamps the installing portal's id on the app's events.</summary>
public sealed class WebhookPublisher(SubscriptionStore subscriptions, WebhookQueue queue, SandboxOptions options, TimeProvider time,
    OAuth.OAuthApps? apps = null)
{
    private const int HistoryCapacity = 5_000;
    private const int RepeatCandidates = 32;
    private readonly Lock _lock = new();
    private readonly LinkedList<WebhookEvent> _history = new();
    private readonly Queue<long> _recentIds = new();
    private long _nextEventId = 1_000_000_000 + Random.Shared.Next(1_000_000);

    public IReadOnlyList<WebhookEvent> Publish(params WebhookEventDraft[] drafts)
    {
        var events = PublishFor(options.PortalId, drafts);
        apps?.Fanout(options.PortalId, drafts);
        return events;
    }

    /// <summary>Events of this container's app (its subscriptions, app id and secret) for a change in <paramref name="portalId"/>.</summary>
    public IReadOnlyList<WebhookEvent> PublishFor(long portalId, IReadOnlyList<WebhookEventDraft> drafts)
    {
        var occurredAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        var events = new List<WebhookEvent>();
        foreach (var draft in drafts)
        {
            foreach (var subscription in subscriptions.Matching(draft.SubscriptionType, draft.PropertyName))
            {
                events.Add(new WebhookEvent
                {
                    EventId = NextEventId(),
                    SubscriptionId = subscription.Id,
                    PortalId = portalId,
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

    private long NextEventId()
    {
        lock (_lock)
        {
            var id = _recentIds.Count > 0 && options.WebhookEventIdRepeatRate > 0 && Random.Shared.NextDouble() < options.WebhookEventIdRepeatRate
                ? _recentIds.ElementAt(Random.Shared.Next(_recentIds.Count))
                : ++_nextEventId;
            _recentIds.Enqueue(id);
            if (_recentIds.Count > RepeatCandidates)
            {
                _recentIds.Dequeue();
            }

            return id;
        }
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
            _recentIds.Clear();
        }
    }
}
