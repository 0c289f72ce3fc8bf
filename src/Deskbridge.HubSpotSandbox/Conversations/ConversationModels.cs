namespace Deskbridge.HubSpotSandbox.Conversations;

public static class ChannelIds
{
    public const string LiveChat = "1000";
    public const string FacebookMessenger = "1001";
    public const string Email = "1002";
}

public static class ActorIds
{
    public const string System = "S-hubspot";

    public static string Agent(long userId) => $"A-{userId}";

    public static string Visitor(string contactId) => $"V-{contactId}";

    public static string Email(string address) => $"E-{address}";

    public static string Integration(long appId) => $"I-{appId}";

    /// <summary>A chatflow bot (HubSpot's BOT actor type); the prefix is not documented, it is the one HubSpot's data shows.</summary>
    public static string Bot(long botId) => $"B-{botId}";

    /// <summary>An AI actor (HubSpot's LLM actor type, e.g. the Breeze customer agent).</summary>
    public static string Llm(long agentId) => $"L-{agentId}";
}

public sealed record Inbox(string Id, string Name, string Type, DateTimeOffset CreatedAt);

public sealed record ChannelAccount(string Id, string ChannelId, string InboxId, string Name, string? EmailAddress, DateTimeOffset CreatedAt);

public sealed record DeliveryIdentifier(string Type, string Value);

public sealed record MessageParticipant(string? ActorId, string? Name, DeliveryIdentifier? DeliveryIdentifier, string? Field);

public sealed record Attachment(string Type, string? FileId, string? Name, string? Url, string? FileUsageType);

/// <summary>A stored message (or comment / system item) of a thread.</summary>
public sealed record ConversationMessage
{
    public required string Id { get; init; }
    public required string ThreadId { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required string ClientType { get; init; }
    public long? IntegrationAppId { get; init; }
    public IReadOnlyList<MessageParticipant> Senders { get; init; } = [];
    public IReadOnlyList<MessageParticipant> Recipients { get; init; } = [];
    public string? Text { get; init; }
    public string? RichText { get; init; }
    public string? Subject { get; init; }
    public string? Direction { get; init; }
    public string? StatusType { get; init; }
    public string? ChannelId { get; init; }
    public string? ChannelAccountId { get; init; }
    public string? InReplyToId { get; init; }
    public string? NewStatus { get; init; }
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
}

/// <summary>A stored conversation thread. Mutable fields are changed only under the store's lock.</summary>
public sealed class ConversationThread
{
    public required string Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string InboxId { get; init; }
    public required string OriginalChannelId { get; init; }
    public required string OriginalChannelAccountId { get; init; }
    public required string AssociatedContactId { get; set; }
    public string Status { get; set; } = "OPEN";
    public DateTimeOffset? ClosedAt { get; set; }
    public long? AssignedToUserId { get; set; }
    public bool Spam { get; set; }
    public bool Archived { get; set; }
    public List<ConversationMessage> Messages { get; } = [];

    public ThreadSnapshot Snapshot() => new(
        Id, CreatedAt, InboxId, OriginalChannelId, OriginalChannelAccountId, AssociatedContactId, Status, ClosedAt, AssignedToUserId, Spam, Archived, [.. Messages]);
}

public sealed record ThreadSnapshot(
    string Id,
    DateTimeOffset CreatedAt,
    string InboxId,
    string OriginalChannelId,
    string OriginalChannelAccountId,
    string AssociatedContactId,
    string Status,
    DateTimeOffset? ClosedAt,
    long? AssignedToUserId,
    bool Spam,
    bool Archived,
    IReadOnlyList<ConversationMessage> Messages)
{
    private IEnumerable<ConversationMessage> RealMessages => Messages.Where(m => m.Type == "MESSAGE");

    public DateTimeOffset? LatestMessageTimestamp => RealMessages.Select(m => (DateTimeOffset?)m.CreatedAt).Max();

    public DateTimeOffset? LatestMessageSentTimestamp => RealMessages.Where(m => m.Direction == "OUTGOING").Select(m => (DateTimeOffset?)m.CreatedAt).Max();

    public DateTimeOffset? LatestMessageReceivedTimestamp => RealMessages.Where(m => m.Direction == "INCOMING").Select(m => (DateTimeOffset?)m.CreatedAt).Max();
}
