using Deskbridge.Inbox;
using Deskbridge.Policies;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Analytics;

/// <summary>
/// I2: the figures of one organization over a period, straight from the stored facts (Session fact columns, the inbox's
/// fates and skip codes, the drafts). Every figure is counted by the database (GROUP BY, COUNT(CASE …)); what comes back
/// is at most one row per day, per trigger, per reason or per skip code, never the conversations themselves. Both
/// providers run the same LINQ; times are epoch ms, which both compare and divide as integers.
/// </summary>
public sealed class AnalyticsService(DeskbridgeDb db, IOptions<AnalyticsOptions> options, TimeProvider time)
{
    private const long DayMs = 86_400_000;

    /// <summary>What "resolved by AI" means, shown next to the figure (page, API, CSV).</summary>
    public static string ResolvedDefinition(TimeSpan window) =>
        $"Resolved by AI: the AI replied at least once, the conversation was never handed off, no human took it over, and the customer " +
        $"has not written again since the AI's last reply for at least {Describe(window)}. Conversations whose {Describe(window)} have not passed yet " +
        "are not yet known and are left out of the rate: resolved ÷ (handled − not yet known).";

    public async Task<AnalyticsReport> ComputeAsync(Guid organizationId, AnalyticsPeriod period, CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var windowMs = (long)settings.ResolutionWindow.TotalMilliseconds;
        var quietSince = now.ToUnixTimeMilliseconds() - windowMs;
        var (fromMs, toMs) = (period.FromMs, period.ToMs);

        var sessions = db.Sessions.AsNoTracking()
            .Where(s => s.OrganizationId == organizationId && s.FirstCustomerMessageAt >= fromMs && s.FirstCustomerMessageAt < toMs);
        if (period.Channel is { } channel)
        {
            sessions = sessions.Where(s => s.Channel == channel);
        }

        // One pass over the period's conversations gives the daily trend and, summed, every conversation count.
        var days = await sessions
            .GroupBy(s => s.FirstCustomerMessageAt!.Value / DayMs)
            .Select(g => new
            {
                Day = g.Key,
                Handled = g.Count(),
                Answered = g.Count(s => s.AiReplies > 0 && s.HandedOffAt == null),
                HandedOff = g.Count(s => s.HandedOffAt != null),
                Takeovers = g.Count(s => s.HumanTakeoverAt != null),
                // Eligible and quiet: the AI replied, no handoff, no takeover, no customer message after the AI's last reply.
                Resolved = g.Count(s => s.AiReplies > 0 && s.LastAiReplyAt != null && s.HandedOffAt == null && s.HumanTakeoverAt == null
                    && (s.LastCustomerMessageAt == null || s.LastCustomerMessageAt <= s.LastAiReplyAt) && s.LastAiReplyAt <= quietSince),
                NotYetKnown = g.Count(s => s.AiReplies > 0 && s.LastAiReplyAt != null && s.HandedOffAt == null && s.HumanTakeoverAt == null
                    && (s.LastCustomerMessageAt == null || s.LastCustomerMessageAt <= s.LastAiReplyAt) && s.LastAiReplyAt > quietSince),
                FirstAnswered = g.Count(s => s.FirstAiReplyAt != null),
            })
            .ToListAsync(ct);

        var handled = days.Sum(d => d.Handled);
        var takeovers = days.Sum(d => d.Takeovers);
        var conversations = new ConversationFigures(handled, days.Sum(d => d.Answered), days.Sum(d => d.HandedOff), takeovers,
            handled == 0 ? null : (double)takeovers / handled);

        var resolved = days.Sum(d => d.Resolved);
        var notYetKnown = days.Sum(d => d.NotYetKnown);
        var known = handled - notYetKnown;
        var resolution = new ResolutionFigures(resolved, notYetKnown, known, known == 0 ? null : (double)resolved / known,
            settings.ResolutionWindow, ResolvedDefinition(settings.ResolutionWindow));

        var firstAnswered = days.Sum(d => d.FirstAnswered);
        var answerTimes = sessions.Where(s => s.FirstAiReplyAt != null).Select(s => s.FirstAiReplyAt!.Value - s.FirstCustomerMessageAt!.Value);
        var firstAnswer = new FirstAnswerTimes(firstAnswered,
            await NearestRankAsync(answerTimes, firstAnswered, 0.5, ct), await NearestRankAsync(answerTimes, firstAnswered, 0.9, ct));

        var handedOff = sessions.Where(s => s.HandedOffAt != null);
        var triggers = await handedOff.GroupBy(s => s.HandoffTrigger).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var reasons = await handedOff.GroupBy(s => s.HandoffReason).Select(g => new { g.Key, Count = g.Count() })
            .OrderByDescending(r => r.Count).ThenBy(r => r.Key).Take(settings.TopReasons).ToListAsync(ct);

        var skipped = await SkipsAsync(organizationId, period, ct);
        var drafts = await DraftsAsync(organizationId, sessions, ct);

        return new AnalyticsReport(organizationId, period.From, period.To, period.Channel ?? "all", now,
            conversations, resolution, firstAnswer,
            [.. triggers.OrderByDescending(t => t.Count).ThenBy(t => t.Key is null).ThenBy(t => t.Key, StringComparer.Ordinal).Select(t => new CountBy(t.Key, TriggerLabel(t.Key), t.Count))],
            [.. reasons.Select(r => new CountBy(r.Key, r.Key ?? "(no reason recorded)", r.Count))],
            skipped, skipped.Sum(s => s.Count), drafts,
            Daily(period, days.ToDictionary(d => d.Day, d => (d.Handled, d.Answered, d.HandedOff))));
    }

    /// <summary>
    /// The nearest-rank percentile (the smallest value with at least p of all values at or below it: rank ⌈p·n⌉): the
    /// database sorts the answer times and returns the one at that rank (ORDER BY … LIMIT 1 OFFSET rank − 1), on both providers.
    /// </summary>
    private static async Task<long?> NearestRankAsync(IQueryable<long> values, int count, double p, CancellationToken ct)
    {
        if (count == 0)
        {
            return null;
        }
        var rank = Math.Max(1, (int)Math.Ceiling(p * count));
        // The rank-th smallest is the (count − rank + 1)-th largest: sort from the nearer end, so the database keeps fewer
        // values while it sorts (the p90 keeps a tenth of them).
        return rank - 1 <= count - rank
            ? await values.OrderBy(v => v).Skip(rank - 1).Take(1).Select(v => (long?)v).FirstOrDefaultAsync(ct)
            : await values.OrderByDescending(v => v).Skip(count - rank).Take(1).Select(v => (long?)v).FirstOrDefaultAsync(ct);
    }

    /// <summary>Skipped events that occurred (HubSpot's occurredAt) in the period, by skip code; for one channel, those on its conversations' threads.</summary>
    private async Task<List<CountBy>> SkipsAsync(Guid organizationId, AnalyticsPeriod period, CancellationToken ct)
    {
        var (fromMs, toMs) = (period.FromMs, period.ToMs);
        var events = db.InboxEvents.AsNoTracking()
            .Where(e => e.OrganizationId == organizationId && e.Fate == EventFate.Skipped && e.OccurredAt >= fromMs && e.OccurredAt < toMs);
        if (period.Channel is { } channel)
        {
            // The channel's thread ids as one IN (subquery), probed per event read from the skip index (which holds ThreadId).
            // "ThreadId + ''" is not indexable on purpose: with a bare column SQLite drove the query from the thread list
            // through the (organization, thread) index and read every event row of every thread — 8 s at 1M events.
            var threads = db.Sessions.Where(s => s.OrganizationId == organizationId && s.FirstCustomerMessageAt < toMs && s.Channel == channel).Select(s => s.ThreadId);
            events = events.Where(e => threads.Contains(e.ThreadId + ""));
        }
        var codes = await events.GroupBy(e => e.SkipCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return [.. codes.OrderByDescending(c => c.Count).ThenBy(c => c.Key is null).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new CountBy(c.Key, c.Key is null ? "(no code: skipped before codes were recorded)" : SkipCodes.LabelOf(c.Key), c.Count))];
    }

    /// <summary>The drafts of the period's conversations (joined by SessionId), by state.</summary>
    private async Task<DraftFigures> DraftsAsync(Guid organizationId, IQueryable<Session> sessions, CancellationToken ct)
    {
        var states = await db.AnswerDrafts.AsNoTracking().Where(d => d.OrganizationId == organizationId)
            .Join(sessions, d => d.SessionId, s => s.Id, (d, _) => d.State)
            .GroupBy(state => state).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        int Of(DraftState state) => states.GetValueOrDefault(state);
        // A draft being sent (claimed by one approval) is still waiting for its outcome.
        return new DraftFigures(states.Values.Sum(), Of(DraftState.Approved), Of(DraftState.Edited), Of(DraftState.Discarded), Of(DraftState.Stale),
            Of(DraftState.Pending) + Of(DraftState.Sending), Of(DraftState.Silent));
    }

    /// <summary>Every UTC day the period touches, with zeros where nothing started.</summary>
    private static List<DayFigures> Daily(AnalyticsPeriod period, Dictionary<long, (int Handled, int Answered, int HandedOff)> byDay)
    {
        var first = period.FromMs / DayMs;
        var last = (period.ToMs - 1) / DayMs;
        var list = new List<DayFigures>((int)(last - first + 1));
        for (var day = first; day <= last; day++)
        {
            var (h, a, o) = byDay.GetValueOrDefault(day);
            list.Add(new DayFigures(DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(day * DayMs).UtcDateTime), h, a, o));
        }
        return list;
    }

    /// <summary>LowConfidence → "Low confidence".</summary>
    public static string TriggerLabel(string? trigger)
    {
        if (string.IsNullOrEmpty(trigger))
        {
            return "(no trigger recorded)";
        }
        var words = new System.Text.StringBuilder(trigger.Length + 8);
        for (var i = 0; i < trigger.Length; i++)
        {
            if (i > 0 && char.IsUpper(trigger[i]))
            {
                words.Append(' ').Append(char.ToLowerInvariant(trigger[i]));
            }
            else
            {
                words.Append(trigger[i]);
            }
        }
        return words.ToString();
    }

    public static string Describe(TimeSpan window) =>
        window.TotalHours >= 1 && window.TotalHours == Math.Floor(window.TotalHours) ? $"{window.TotalHours:0} h" : $"{window.TotalMinutes:0.#} min";
}
