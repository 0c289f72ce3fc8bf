using System.Globalization;
using System.Text;

namespace Deskbridge.Analytics;

/// <summary>
/// I2: the report as one long CSV table (metric, key, label, value): one row per figure, per trigger, reason, skip code,
/// draft state and per day, so a spreadsheet can pivot it. RFC 4180 quoting; a cell that a spreadsheet would run as a
/// formula (=, +, -, @ first) gets a leading apostrophe, since handoff reasons are free text.
/// </summary>
public static class AnalyticsCsv
{
    public static string Write(AnalyticsReport r)
    {
        var csv = new StringBuilder();
        csv.Append("metric,key,label,value\r\n");
        void Row(string metric, string? key, string? label, object? value) =>
            csv.Append(Cell(metric)).Append(',').Append(Cell(key)).Append(',').Append(Cell(label)).Append(',').Append(Cell(Format(value))).Append("\r\n");

        Row("period-from", null, "From (included)", r.From.ToString("O", CultureInfo.InvariantCulture));
        Row("period-to", null, "To (not included)", r.To.ToString("O", CultureInfo.InvariantCulture));
        Row("channel", null, "Channel", r.Channel);
        Row("handled", null, "Conversations handled", r.Conversations.Handled);
        Row("answered-by-ai", null, "Answered by the AI without handoff", r.Conversations.AnsweredByAi);
        Row("handed-off", null, "Handed off", r.Conversations.HandedOff);
        Row("human-takeovers", null, "Taken over by a human", r.Conversations.HumanTakeovers);
        Row("human-takeover-rate", null, "Human takeover rate", r.Conversations.HumanTakeoverRate);
        Row("resolved-by-ai", null, "Resolved by AI", r.Resolution.Resolved);
        Row("resolution-not-yet-known", null, "Not yet known (window still open)", r.Resolution.NotYetKnown);
        Row("resolved-by-ai-rate", null, r.Resolution.Definition, r.Resolution.Rate);
        Row("first-ai-answer-count", null, "Conversations with an AI answer", r.TimeToFirstAiAnswer.Answered);
        Row("first-ai-answer-p50-ms", null, "Time to first AI answer, median (ms)", r.TimeToFirstAiAnswer.P50Ms);
        Row("first-ai-answer-p90-ms", null, "Time to first AI answer, 90th percentile (ms)", r.TimeToFirstAiAnswer.P90Ms);
        foreach (var t in r.HandoffsByTrigger)
        {
            Row("handed-off-by-trigger", t.Key, t.Label, t.Count);
        }
        foreach (var reason in r.TopHandoffReasons)
        {
            Row("handed-off-by-reason", reason.Key, reason.Label, reason.Count);
        }
        Row("skipped", null, "Skipped events", r.Skipped);
        foreach (var s in r.SkippedByReason)
        {
            Row("skipped-by-reason", s.Key, s.Label, s.Count);
        }
        Row("drafts", null, "Drafts", r.Drafts.Total);
        Row("drafts-by-outcome", "approved", "Approved as written", r.Drafts.Approved);
        Row("drafts-by-outcome", "edited", "Approved with an edit", r.Drafts.Edited);
        Row("drafts-by-outcome", "discarded", "Discarded", r.Drafts.Discarded);
        Row("drafts-by-outcome", "stale", "Stale", r.Drafts.Stale);
        Row("drafts-by-outcome", "pending", "Waiting for approval", r.Drafts.Pending);
        Row("drafts-by-outcome", "silent", "Silent (recorded only)", r.Drafts.Silent);
        foreach (var day in r.Daily)
        {
            var date = day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Row("daily-handled", date, null, day.Handled);
            Row("daily-answered-by-ai", date, null, day.AnsweredByAi);
            Row("daily-handed-off", date, null, day.HandedOff);
        }
        return csv.ToString();
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(value))
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static bool IsNumber(string value) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
