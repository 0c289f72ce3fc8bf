namespace Deskbridge.HubSpotSandbox.Webhooks;

public sealed record WebhookSubscription(long Id, string EventType, string? PropertyName, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class SubscriptionTypes
{
    public const string ConversationCreation = "conversation.creation";
    public const string ConversationDeletion = "conversation.deletion";
    public const string ConversationPrivacyDeletion = "conversation.privacyDeletion";
    public const string ConversationPropertyChange = "conversation.propertyChange";
    public const string ConversationNewMessage = "conversation.newMessage";
    public const string TicketPropertyChange = "ticket.propertyChange";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        ConversationCreation, ConversationDeletion, ConversationPrivacyDeletion, ConversationPropertyChange, ConversationNewMessage,
        "contact.creation", "contact.deletion", "contact.propertyChange", "contact.privacyDeletion", "contact.associationChange",
        "company.creation", "company.deletion", "company.propertyChange", "company.associationChange",
        "deal.creation", "deal.deletion", "deal.propertyChange", "deal.associationChange",
        "ticket.creation", "ticket.deletion", TicketPropertyChange, "ticket.associationChange",
    };

    /// <summary>CRM property-change subscriptions watch one named property each.</summary>
    public static bool RequiresPropertyName(string eventType) =>
        eventType.EndsWith(".propertyChange", StringComparison.Ordinal) && eventType != ConversationPropertyChange;
}

/// <summary>The app's webhook subscriptions (one app per sandbox).</summary>
public sealed class SubscriptionStore(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<WebhookSubscription> _subscriptions = [];
    private long _nextId = 1;

    public WebhookSubscription Add(string eventType, string? propertyName, bool active)
    {
        lock (_lock)
        {
            var existing = _subscriptions.FirstOrDefault(s => s.EventType == eventType && s.PropertyName == propertyName);
            if (existing is not null)
            {
                return existing;
            }

            var now = time.GetUtcNow();
            var subscription = new WebhookSubscription(_nextId++, eventType, propertyName, active, now, now);
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    public WebhookSubscription? Find(long id)
    {
        lock (_lock)
        {
            return _subscriptions.FirstOrDefault(s => s.Id == id);
        }
    }

    public WebhookSubscription? SetActive(long id, bool active)
    {
        lock (_lock)
        {
            var index = _subscriptions.FindIndex(s => s.Id == id);
            if (index < 0)
            {
                return null;
            }

            _subscriptions[index] = _subscriptions[index] with { Active = active, UpdatedAt = time.GetUtcNow() };
            return _subscriptions[index];
        }
    }

    public bool Remove(long id)
    {
        lock (_lock)
        {
            return _subscriptions.RemoveAll(s => s.Id == id) > 0;
        }
    }

    public IReadOnlyList<WebhookSubscription> All()
    {
        lock (_lock)
        {
            return [.. _subscriptions];
        }
    }

    public IReadOnlyList<WebhookSubscription> Matching(string eventType, string? propertyName)
    {
        lock (_lock)
        {
            return [.. _subscriptions.Where(s => s.Active && s.EventType == eventType && (s.PropertyName is null || s.PropertyName == propertyName))];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _subscriptions.Clear();
            _nextId = 1;
        }
    }
}
