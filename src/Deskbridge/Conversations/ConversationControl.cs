namespace Deskbridge.Conversations;

/// <summary>G5: what the AI does once a human owns the thread (or closed it).</summary>
public enum TakeoverMode
{
    /// <summary>The AI stops on the thread (the default: a human who takes a thread expects the AI to step back).</summary>
    Stop = 0,

    /// <summary>The AI keeps drafting its answers as internal comments for the human; nothing reaches the customer.</summary>
    Draft = 1,

    /// <summary>The AI keeps answering the customer as if the thread were its own.</summary>
    Answer = 2,
}

/// <summary>
/// G3/G5 per organization, in a table of its own so that it can grow without touching the organization row the other
/// settings live on. No row means the defaults: takeover stops the AI, the burst window is the configured one.
/// </summary>
public sealed class ConversationControl
{
    public Guid OrganizationId { get; set; }

    public TakeoverMode Takeover { get; set; }

    /// <summary>G3: the chat burst window in seconds; null = <c>Processing:ChatBurstWindow</c>, 0 = every message answered alone.</summary>
    public int? BurstWindowSeconds { get; set; }
}
