namespace Deskbridge.HubSpotSandbox.Simulation;

/// <summary>
/// A customer writes: a new thread (no threadId) or a reply on an existing one. Channel "chat" or "email". An email reply
/// quotes the thread's previous message below the new text, as mail clients do, unless <c>quoteHistory</c> is false.
/// <c>withoutTicket</c> starts a thread whose ticket HubSpot does not create (as on channels HubSpot does not own).
/// </summary>
public sealed record CustomerMessageRequest(
    string? Channel,
    string? ThreadId,
    string? Email,
    string? Name,
    string? Text,
    string? RichText,
    string? Subject,
    long? AssigneeUserId,
    bool? Unassigned,
    bool? QuoteHistory = null,
    bool? WithoutTicket = null);

public sealed record CustomerMessageResponse(string ThreadId, string MessageId, string ContactId, string? TicketId, bool NewThread);

/// <summary>A human agent replies (MESSAGE) or leaves an internal note (COMMENT) from HubSpot's inbox. UserId defaults to the human user.</summary>
public sealed record AgentMessageRequest(string? ThreadId, long? UserId, string? Type, string? Text, string? RichText);

public sealed record AgentMessageResponse(string ThreadId, string MessageId);

/// <summary>
/// A HubSpot chatflow bot (<c>actorType</c> BOT, actor <c>B-&lt;botId&gt;</c>) or AI agent (LLM, <c>L-&lt;botId&gt;</c>) answers
/// the visitor. <c>botId</c> defaults to 1.
/// </summary>
public sealed record BotMessageRequest(string? ThreadId, string? ActorType, long? BotId, string? Name, string? Text);

/// <summary>Reassign a thread to a user, or unassign it (userId null).</summary>
public sealed record AssignRequest(string? ThreadId, long? UserId);

public sealed record ThreadStatusRequest(string? ThreadId, string? Status);

/// <summary>An agent edits ticket properties in HubSpot's UI.</summary>
public sealed record TicketPropertyRequest(string? TicketId, Dictionary<string, string?>? Properties, long? UserId);

public sealed record TicketPropertyResponse(string TicketId, IReadOnlyList<Crm.PropertyChange> Changes);
