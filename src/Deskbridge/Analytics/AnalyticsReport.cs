namespace Deskbridge.Analytics;

/// <summary>I2: every figure of one organization over one period and channel, as the page, the API and the CSV show it.</summary>
public sealed record AnalyticsReport(
    Guid OrganizationId,
    DateTimeOffset From,
    DateTimeOffset To,
    string Channel,
    DateTimeOffset ComputedAt,
    ConversationFigures Conversations,
    ResolutionFigures Resolution,
    FirstAnswerTimes TimeToFirstAiAnswer,
    IReadOnlyList<CountBy> HandoffsByTrigger,
    IReadOnlyList<CountBy> TopHandoffReasons,
    IReadOnlyList<CountBy> SkippedByReason,
    int Skipped,
    DraftFigures Drafts,
    IReadOnlyList<DayFigures> Daily);

/// <param name="Handled">Conversations started in the period (first customer message in [from, to)).</param>
/// <param name="AnsweredByAi">Of those, the AI replied at least once and the conversation was never handed off.</param>
/// <param name="HumanTakeoverRate">HumanTakeovers / Handled; null when nothing was handled.</param>
public sealed record ConversationFigures(int Handled, int AnsweredByAi, int HandedOff, int HumanTakeovers, double? HumanTakeoverRate);

/// <param name="Resolved">AI replied, never handed off, no human took over, and the customer did not write within the window after the AI's last reply.</param>
/// <param name="NotYetKnown">Would be resolved, but the window after the AI's last reply has not passed yet: left out of the rate.</param>
/// <param name="Rate">Resolved / (Handled − NotYetKnown); null when that is 0.</param>
public sealed record ResolutionFigures(int Resolved, int NotYetKnown, int Known, double? Rate, TimeSpan Window, string Definition);

/// <param name="Answered">Conversations with a first AI reply: the p50/p90 are over these (nearest rank).</param>
public sealed record FirstAnswerTimes(int Answered, long? P50Ms, long? P90Ms);

/// <param name="Key">The stored value (trigger name, skip code, reason text); null when none was recorded.</param>
public sealed record CountBy(string? Key, string Label, int Count);

/// <summary>Drafts of the conversations started in the period (G1), by what became of them.</summary>
public sealed record DraftFigures(int Total, int Approved, int Edited, int Discarded, int Stale, int Pending, int Silent);

/// <param name="Day">The UTC day (its start).</param>
public sealed record DayFigures(DateOnly Day, int Handled, int AnsweredByAi, int HandedOff);
