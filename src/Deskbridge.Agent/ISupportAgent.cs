namespace Deskbridge.Agent;

/// <summary>
/// The one seam between Deskbridge and whatever produces answers: the embedded knowledge-base agent
/// or a real LLM. Given the session so far, it answers the customer's latest message or hands off.
/// </summary>
public interface ISupportAgent
{
    Task<AgentDecision> DecideAsync(AgentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The decision with what retrieval found on the way (the playground shows it). Agents that cannot say return their
    /// decision with nothing retrieved.
    /// </summary>
    async Task<AgentTrace> TraceAsync(AgentRequest request, CancellationToken cancellationToken) =>
        new(await DecideAsync(request, cancellationToken), [], null, Knowledge.Retrieval.RetrievalMode.Lexical);

    /// <summary>Whether <see cref="AgentRequest.Crm"/> is read at all; when not, no HubSpot calls are spent on it per message.</summary>
    bool UsesCrmContext => true;
}

/// <param name="KnowledgeBaseKey">Folder name of the organization's knowledge base (e.g. "demo").</param>
/// <param name="Transcript">Everything said on the thread so far, oldest first; the last customer entry is the one to answer.</param>
/// <param name="CustomData">The session's custom data (ticket properties synced back, etc.).</param>
/// <param name="Crm">CRM context when it could be fetched; null otherwise.</param>
/// <param name="NewMessages">How many of the transcript's last customer entries this one answer is for: more than one for a burst (G3).</param>
public sealed record AgentRequest(
    string KnowledgeBaseKey,
    IReadOnlyList<TranscriptEntry> Transcript,
    IReadOnlyDictionary<string, string> CustomData,
    CrmContext? Crm = null,
    int NewMessages = 1);

public enum Speaker
{
    Customer,
    Ai,
    HumanAgent,
    InternalNote,
}

public sealed record TranscriptEntry(Speaker Speaker, string Text, DateTimeOffset At);

public abstract record AgentDecision;

/// <summary>A decision and the passages retrieval found for it (best first), with the customer's language when it was detected.</summary>
public sealed record AgentTrace(
    AgentDecision Decision,
    IReadOnlyList<Knowledge.Retrieval.RetrievalHit> Retrieved,
    string? CustomerLanguage,
    Knowledge.Retrieval.RetrievalMode Mode);

/// <summary>An answer for the customer, with the knowledge it was built from.</summary>
/// <param name="Confidence">From 0 to 1: how sure the agent is that the answer fits the question (G1 send policies read it).
/// Agents that cannot tell say 1.</param>
public sealed record AgentAnswer(string Text, IReadOnlyList<KnowledgeSource> Sources, double Confidence = 1.0) : AgentDecision;

/// <summary>The agent will not answer; a human should take over, for the stated reason.</summary>
public sealed record AgentHandoff(string Reason, HandoffTrigger Trigger) : AgentDecision;

public enum HandoffTrigger
{
    LowConfidence,
    CustomerAskedForHuman,
    AngryCustomer,
    AgentUnavailable,

    /// <summary>G1: the agent had an answer, and the organization's send policy sent the conversation to a human instead.</summary>
    SendPolicy,
}

public sealed record KnowledgeSource(string ArticleId, string Title, string Quote, double Score);

/// <summary>What HubSpot's CRM knows about the customer; each part may be missing (with the reason).</summary>
public sealed record CrmContext(
    CrmContact? Contact,
    CrmCompany? Company,
    IReadOnlyList<CrmDeal> Deals,
    IReadOnlyList<CrmTicket> PreviousTickets,
    IReadOnlyList<string> MissingParts);

public sealed record CrmContact(string Id, string? Name, string? Email, string? Phone, string? OwnerId);
public sealed record CrmCompany(string Id, string? Name, string? Domain, string? Industry, string? Size);
public sealed record CrmDeal(string Id, string? Name, string? Stage, string? Amount, string? CloseDate);
public sealed record CrmTicket(string Id, string? Subject, string? Status);

/// <summary>A2: what a human taking over needs to know at a glance: summary, sentiment and language.</summary>
public interface IConversationAnalyzer
{
    Task<ConversationAnalysis> AnalyzeAsync(IReadOnlyList<TranscriptEntry> transcript, CancellationToken cancellationToken);
}

/// <param name="Language">ISO 639-1 code of the customer's language (e.g. "en", "de"); "und" when it cannot be told.</param>
public sealed record ConversationAnalysis(string Summary, SentimentResult Sentiment, string Language, double LanguageConfidence);

/// <param name="Score">From -1 (very negative) to 1 (very positive).</param>
public sealed record SentimentResult(SentimentLabel Label, double Score);

public enum SentimentLabel
{
    Negative,
    Neutral,
    Positive,
}
