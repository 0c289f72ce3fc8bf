using System.Text.Json.Serialization;

namespace Deskbridge.HubSpot;

// Only the fields Deskbridge reads; HubSpot sends more and unknown fields are ignored.

public sealed record HubSpotThread(
    string Id,
    string? Status,
    string? AssignedTo,
    string? InboxId,
    string? AssociatedContactId,
    string? OriginalChannelId,
    string? OriginalChannelAccountId,
    HubSpotThreadAssociations? ThreadAssociations);

public sealed record HubSpotThreadAssociations(string? AssociatedTicketId);

public sealed record HubSpotMessage(
    string Id,
    string? ConversationsThreadId,
    string Type,
    string? Text,
    string? RichText,
    string? Subject,
    string? Direction,
    string? ChannelId,
    string? ChannelAccountId,
    DateTimeOffset? CreatedAt,
    string? CreatedBy,
    IReadOnlyList<HubSpotActorRef>? Senders,
    IReadOnlyList<HubSpotRecipient>? Recipients)
{
    /// <summary>Email participants may carry no actorId (delivery identifiers only); createdBy still names the actor.</summary>
    public string? SenderActorId => (Senders is [var first, ..] ? first.ActorId : null) ?? CreatedBy;
}

public sealed record HubSpotActorRef(string? ActorId, string? Name, HubSpotDeliveryIdentifier? DeliveryIdentifier);

public sealed record HubSpotDeliveryIdentifier(string Type, string Value);

public sealed record HubSpotRecipient(
    string? ActorId,
    string? Name,
    string? RecipientField,
    HubSpotDeliveryIdentifier? DeliveryIdentifier,
    IReadOnlyList<HubSpotDeliveryIdentifier>? DeliveryIdentifiers);

/// <summary>The message list's sort: createdAt (oldest first) or -createdAt (newest first, HubSpot's default).</summary>
public enum MessageOrder
{
    OldestFirst,
    NewestFirst,
}

public sealed record HubSpotPage<T>(IReadOnlyList<T> Results, HubSpotPaging? Paging);

public sealed record HubSpotPaging(HubSpotNextPage? Next);

public sealed record HubSpotNextPage(string After, string? Link);

/// <summary>Body of POST /conversations/v3/conversations/threads/{threadId}/messages. HubSpot's spec requires
/// attachments on messages and comments (none is sent as []), and on messages also senderActorId, channelId,
/// channelAccountId and recipients (each with deliveryIdentifiers).</summary>
public sealed record HubSpotNewMessage
{
    public required string Type { get; init; }
    public required string Text { get; init; }
    public IReadOnlyList<HubSpotNewAttachment> Attachments { get; init; } = [];
    public string? RichText { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SenderActorId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ChannelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ChannelAccountId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subject { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HubSpotNewRecipient>? Recipients { get; init; }
}

/// <summary>A file attachment of a sent message (PublicFileEgg); Deskbridge sends none so far.</summary>
public sealed record HubSpotNewAttachment(string Type, string FileId);

/// <summary>HubSpot's PublicRecipientEgg: deliveryIdentifiers are required, the actorId is not (email participants may have none).</summary>
public sealed record HubSpotNewRecipient(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ActorId,
    string? Name,
    string RecipientField,
    IReadOnlyList<HubSpotDeliveryIdentifier> DeliveryIdentifiers);

public sealed record HubSpotOwner(string Id, string? Email, string? FirstName, string? LastName, long? UserId, bool Archived);

public sealed record HubSpotTokenInfo(long UserId, long HubId, long AppId, IReadOnlyList<string> Scopes);

public sealed record HubSpotAccountDetails(long PortalId, string? AccountType, string? UiDomain, string? DataHostingLocation);
