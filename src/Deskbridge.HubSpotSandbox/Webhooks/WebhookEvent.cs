namespace Deskbridge.HubSpotSandbox.Webhooks;

/// <summary>One event of a webhook batch, with HubSpot's envelope field names (objectId is a number, as HubSpot sends it).</summary>
public sealed record WebhookEvent
{
    public required long EventId { get; init; }
    public required long SubscriptionId { get; init; }
    public required long PortalId { get; init; }
    public required long AppId { get; init; }
    public required long OccurredAt { get; init; }
    public required string SubscriptionType { get; init; }
    public int AttemptNumber { get; init; }
    public required long ObjectId { get; init; }
    public string? ChangeSource { get; init; }
    public string? SourceId { get; init; }
    public string? MessageId { get; init; }
    public string? MessageType { get; init; }
    public string? ChangeFlag { get; init; }
    public string? PropertyName { get; init; }
    public string? PropertyValue { get; init; }
}

/// <summary>What a change produces; the publisher turns it into one event per matching subscription.</summary>
public sealed record WebhookEventDraft(
    string SubscriptionType,
    long ObjectId,
    string ChangeSource,
    string? PropertyName = null,
    string? PropertyValue = null,
    string? MessageId = null,
    string? MessageType = null,
    string? ChangeFlag = null,
    string? SourceId = null);

public static class ChangeSources
{
    /// <summary>A change made through the public API.</summary>
    public const string Api = "API";

    /// <summary>A change made by a user in HubSpot's UI (simulated agents).</summary>
    public const string CrmUi = "CRM_UI";

    /// <summary>A change made by HubSpot itself (customer messages, inbox routing, automatic tickets).</summary>
    public const string Conversations = "CONVERSATIONS";
}
