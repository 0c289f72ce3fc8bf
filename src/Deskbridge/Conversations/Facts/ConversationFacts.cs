using Deskbridge.Agent;
using Deskbridge.Agent.Analysis;
using Deskbridge.Sessions;

namespace Deskbridge.Conversations.Facts;

/// <summary>
/// I1/I2: keeps a session's fact columns true as its events are processed. Each method changes the tracked session only;
/// the caller's next save (at the latest, the event's fate) writes them in the same transaction, so the facts cost no
/// query of their own. Counting is idempotent because the counters move only where a transcript entry is first added
/// (<see cref="SessionStore.AddEntryAsync"/> adds each HubSpot message once), and the "first" times are set once.
/// </summary>
public static class ConversationFacts
{
    /// <summary>Below this Lingua confidence a short line ("hi", "ok") says too little; the next message is tried.</summary>
    private const double MinLanguageConfidence = 0.5;

    /// <summary>A transcript entry was added for the first time.</summary>
    /// <param name="answersCustomer">False for a post of ours that is no answer (G6: the customer told a human will reply).</param>
    public static void EntryAdded(Session session, Speaker speaker, string text, DateTimeOffset at, bool answersCustomer)
    {
        switch (speaker)
        {
            case Speaker.Customer:
                CustomerWrote(session, text, at);
                break;
            case Speaker.Ai when answersCustomer:
                AiReplied(session, at);
                break;
            case Speaker.HumanAgent:
                HumanTook(session, at);
                break;
            default:
                Touch(session, at);
                break;
        }
    }

    public static void CustomerWrote(Session session, string text, DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        session.CustomerMessages++;
        // Burst followers and retries can arrive out of HubSpot's order: first is the earliest, last the latest.
        session.FirstCustomerMessageAt = session.FirstCustomerMessageAt is { } first ? Math.Min(first, ms) : ms;
        session.LastCustomerMessageAt = session.LastCustomerMessageAt is { } last ? Math.Max(last, ms) : ms;
        if (session.State != SessionState.HandedOff && session.Status != ConversationStatus.WithHuman)
        {
            // A new question: whatever the AI did before, this one has no answer yet.
            session.Status = ConversationStatus.Waiting;
        }
        session.Language ??= LanguageOf(text);
        Touch(session, at);
    }

    public static void AiReplied(Session session, DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        session.AiReplies++;
        session.FirstAiReplyAt ??= ms;
        session.LastAiReplyAt = session.LastAiReplyAt is { } last ? Math.Max(last, ms) : ms;
        if (session.State != SessionState.HandedOff)
        {
            session.Status = ConversationStatus.AnsweredByAi;
        }
        Touch(session, at);
    }

    /// <summary>H1: the first handoff's time and trigger stay; the status follows the latest.</summary>
    /// <param name="language">The handoff analysis reads the whole transcript, so its language beats a guess from one line.</param>
    public static void HandedOff(Session session, HandoffTrigger trigger, string? language, DateTimeOffset at)
    {
        if (session.HandedOffAt is null)
        {
            session.HandedOffAt = at.ToUnixTimeMilliseconds();
            session.HandoffTrigger = trigger.ToString();
        }
        session.Status = ConversationStatus.HandedOff;
        if (language is { Length: > 0 } && language != LanguageDetector.Undetermined)
        {
            session.Language = language;
        }
        Touch(session, at);
    }

    /// <summary>G5/C6: a human answered the customer, or the thread was found or made theirs.</summary>
    public static void HumanTook(Session session, DateTimeOffset at)
    {
        session.HumanTakeoverAt ??= at.ToUnixTimeMilliseconds();
        session.Status = ConversationStatus.WithHuman;
        Touch(session, at);
    }

    /// <summary>G1: the AI's answer waits for approval (or was recorded silently) instead of reaching the customer.</summary>
    public static void Drafted(Session session, DateTimeOffset at)
    {
        if (session.State != SessionState.HandedOff && session.Status != ConversationStatus.WithHuman)
        {
            session.Status = ConversationStatus.Drafted;
        }
        Touch(session, at);
    }

    /// <summary>G2: a pending draft was discarded; the customer's question is unanswered again.</summary>
    public static void DraftDiscarded(Session session, DateTimeOffset at)
    {
        if (session.Status == ConversationStatus.Drafted)
        {
            session.Status = ConversationStatus.Waiting;
        }
        Touch(session, at);
    }

    /// <summary>The agent's own detection (when its knowledge base has languages to prefer), for the customer's latest line.</summary>
    public static void LanguageTold(Session session, string? language)
    {
        if (language is { Length: > 0 } && language != LanguageDetector.Undetermined)
        {
            session.Language = language;
        }
    }

    public static void Channel(Session session, string? channelId) =>
        session.Channel ??= channelId is null ? null : HubSpot.HubSpotChannels.NameOf(channelId);

    private static void Touch(Session session, DateTimeOffset at) =>
        session.LastActivityAt = Math.Max(session.LastActivityAt, at.ToUnixTimeMilliseconds());

    private static string? LanguageOf(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var guess = LanguageDetector.Default.Detect(text);
        return guess.Language != LanguageDetector.Undetermined && guess.Confidence >= MinLanguageConfidence ? guess.Language : null;
    }
}
