using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Conversations;

public sealed record ThreadAssociationsDto(string? AssociatedTicketId);

public sealed record ThreadDto(
    string Id,
    string CreatedAt,
    string? ClosedAt,
    string Status,
    string OriginalChannelId,
    string OriginalChannelAccountId,
    string? LatestMessageTimestamp,
    string? LatestMessageSentTimestamp,
    string? LatestMessageReceivedTimestamp,
    string? AssignedTo,
    bool Spam,
    string InboxId,
    string AssociatedContactId,
    bool Archived,
    ThreadAssociationsDto? ThreadAssociations);

public sealed record ClientDto(string ClientType, long? IntegrationAppId);

public sealed record DeliveryIdentifierDto(string Type, string Value);

public sealed record SenderDto(string? ActorId, string? Name, string? SenderField, DeliveryIdentifierDto? DeliveryIdentifier);

public sealed record RecipientDto(string? ActorId, string? Name, string? RecipientField, DeliveryIdentifierDto? DeliveryIdentifier);

public sealed record MessageStatusDto(string StatusType);

public sealed record MessageDto(
    string Type,
    string Id,
    string ConversationsThreadId,
    string CreatedAt,
    string UpdatedAt,
    string CreatedBy,
    ClientDto Client,
    IReadOnlyList<SenderDto> Senders,
    IReadOnlyList<RecipientDto> Recipients,
    bool Archived,
    string? Text,
    string? RichText,
    IReadOnlyList<Attachment> Attachments,
    string? Subject,
    string? TruncationStatus,
    string? InReplyToId,
    MessageStatusDto? Status,
    string? Direction,
    string? ChannelId,
    string? ChannelAccountId,
    string? NewStatus);

public sealed record ActorDto(string Type, string Id, string? Name, string? Email, string? Avatar);

public sealed record InboxDto(string Id, string Name, string Type, string CreatedAt, string UpdatedAt, bool Archived);

public sealed record ChannelDto(string Id, string Name);

public sealed record ChannelAccountDto(
    string Id, string ChannelId, string InboxId, string Name, bool Active, bool Authorized, bool Archived, string CreatedAt, DeliveryIdentifierDto? DeliveryIdentifier);

internal static class ConversationDtoMapper
{
    public static ThreadDto ToDto(ThreadSnapshot t, string? ticketId, bool includeAssociations) => new(
        t.Id,
        HubSpotTime.Iso(t.CreatedAt),
        HubSpotTime.Iso(t.ClosedAt),
        t.Status,
        t.OriginalChannelId,
        t.OriginalChannelAccountId,
        HubSpotTime.Iso(t.LatestMessageTimestamp),
        HubSpotTime.Iso(t.LatestMessageSentTimestamp),
        HubSpotTime.Iso(t.LatestMessageReceivedTimestamp),
        t.AssignedToUserId is { } userId ? ActorIds.Agent(userId) : null,
        t.Spam,
        t.InboxId,
        t.AssociatedContactId,
        t.Archived,
        includeAssociations ? new ThreadAssociationsDto(ticketId) : null);

    public static MessageDto ToDto(ConversationMessage m) => new(
        m.Type,
        m.Id,
        m.ThreadId,
        HubSpotTime.Iso(m.CreatedAt),
        HubSpotTime.Iso(m.CreatedAt),
        m.CreatedBy,
        new ClientDto(m.ClientType, m.IntegrationAppId),
        [.. m.Senders.Select(s => new SenderDto(s.ActorId, s.Name, s.Field, ToDto(s.DeliveryIdentifier)))],
        [.. m.Recipients.Select(r => new RecipientDto(r.ActorId, r.Name, r.Field, ToDto(r.DeliveryIdentifier)))],
        false,
        m.Text,
        // The spec requires richText on comments; one posted with text only gets its text as HTML.
        m.RichText ?? (m.Type == "COMMENT" && m.Text is { } text ? $"<div>{System.Net.WebUtility.HtmlEncode(text)}</div>" : null),
        m.Attachments,
        m.Subject,
        m.Type is "MESSAGE" or "COMMENT" ? "NOT_TRUNCATED" : null,
        m.InReplyToId,
        m.StatusType is null ? null : new MessageStatusDto(m.StatusType),
        m.Direction,
        m.ChannelId,
        m.ChannelAccountId,
        m.NewStatus);

    public static ChannelAccountDto ToDto(ChannelAccount a) => new(
        a.Id, a.ChannelId, a.InboxId, a.Name, true, true, false, HubSpotTime.Iso(a.CreatedAt),
        a.EmailAddress is null ? null : new DeliveryIdentifierDto("HS_EMAIL_ADDRESS", a.EmailAddress));

    private static DeliveryIdentifierDto? ToDto(DeliveryIdentifier? d) => d is null ? null : new DeliveryIdentifierDto(d.Type, d.Value);
}
