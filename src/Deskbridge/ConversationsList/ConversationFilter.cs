using System.Globalization;
using Deskbridge.Agent;
using Deskbridge.Periods;
using Deskbridge.Sessions;

namespace Deskbridge.ConversationsList;

/// <summary>I1: the conversations list's filters as a person or a script types them, before they are checked.</summary>
public sealed record ConversationQuery(
    string? Status = null, string? Channel = null, string? From = null, string? To = null, string? Customer = null,
    string? Language = null, string? Trigger = null, string? Reason = null, string? Q = null, string? Cursor = null, int? Limit = null);

/// <summary>
/// The checked filters. Every one narrows the list; all times are epoch ms (UTC), as the session's fact columns store them.
/// <see cref="FromMs"/>/<see cref="ToMs"/> select conversations that started in [from, to): their first customer message.
/// </summary>
public sealed record ConversationFilter(
    ConversationStatus? Status, string? Channel, long? FromMs, long? ToMs, string? Customer, string? Language,
    HandoffTrigger? Trigger, string? Reason, string? Text, ConversationCursor? Cursor, int Limit)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    public const int MaxTextLength = 200;

    public bool Narrows => Status is not null || Channel is not null || FromMs is not null || ToMs is not null || Customer is not null
        || Language is not null || Trigger is not null || Reason is not null || Text is not null;

    /// <summary>The filters, or every problem by the name of its parameter (the API answers them as a 400 ValidationProblem).</summary>
    public static (ConversationFilter? Filter, Dictionary<string, string[]> Problems) Parse(ConversationQuery query)
    {
        var problems = new Dictionary<string, string[]>();
        void Problem(string field, string message) => problems[field] = [message];

        ConversationStatus? status = null;
        if (Blank(query.Status) is { } statusText)
        {
            if (ParseName<ConversationStatus>(statusText) is { } parsed)
            {
                status = parsed;
            }
            else
            {
                Problem("status", $"Unknown status \"{Cut(statusText)}\"; one of: {string.Join(", ", Enum.GetNames<ConversationStatus>())}.");
            }
        }

        HandoffTrigger? trigger = null;
        if (Blank(query.Trigger) is { } triggerText)
        {
            if (ParseName<HandoffTrigger>(triggerText) is { } parsed)
            {
                trigger = parsed;
            }
            else
            {
                Problem("trigger", $"Unknown handoff trigger \"{Cut(triggerText)}\"; one of: {string.Join(", ", Enum.GetNames<HandoffTrigger>())}.");
            }
        }

        var channel = Blank(query.Channel)?.ToLowerInvariant();
        if (channel is not null && (channel.Length > 50 || !channel.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            Problem("channel", "A channel is a name such as chat or email (letters, digits and -, at most 50).");
        }

        var language = Blank(query.Language)?.ToLowerInvariant();
        if (language is not null && (language.Length != 2 || !language.All(char.IsAsciiLetterLower)))
        {
            Problem("language", "A language is an ISO 639-1 code of two letters, e.g. en or de.");
        }

        var from = Time(query.From, "from", Problem);
        var to = Time(query.To, "to", Problem);
        if (from is not null && to is not null && from >= to)
        {
            Problem("to", "to must be after from (the period is [from, to)).");
        }

        var customer = Checked(query.Customer, "customer", InputLimitsEmail, Problem)?.ToLowerInvariant();
        var reason = Checked(query.Reason, "reason", MaxTextLength, Problem)?.ToLowerInvariant();
        var text = Checked(query.Q, "q", MaxTextLength, Problem)?.ToLowerInvariant();

        ConversationCursor? cursor = null;
        if (Blank(query.Cursor) is { } cursorText)
        {
            cursor = ConversationCursor.Decode(cursorText);
            if (cursor is null)
            {
                Problem("cursor", "The cursor is not one this list gave out; start again without it.");
            }
        }

        var limit = query.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            Problem("limit", $"limit is from 1 to {MaxLimit}.");
        }

        return problems.Count > 0
            ? (null, problems)
            : (new ConversationFilter(status, channel, from, to, customer, language, trigger, reason, text, cursor, limit), problems);
    }

    private const int InputLimitsEmail = Accounts.InputLimits.Email;

    /// <summary>Enum names in any case, with or without - and _ (answered-by-ai); never a number, which Enum.TryParse would take.</summary>
    private static T? ParseName<T>(string text) where T : struct, Enum
    {
        var name = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return name.Length > 0 && name.All(char.IsAsciiLetter) && Enum.TryParse<T>(name, ignoreCase: true, out var value) ? value : null;
    }

    private static long? Time(string? value, string field, Action<string, string> problem)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }
        if (InstantText.TryParse(text, out var at))
        {
            return at.ToUnixTimeMilliseconds();
        }
        problem(field, $"{field} {InstantText.Expected}; got {InstantText.Quoted(text)}.");
        return null;
    }

    private static string? Checked(string? value, string field, int max, Action<string, string> problem)
    {
        var text = Blank(value);
        if (text is not null && text.Length > max)
        {
            problem(field, $"{field} is at most {max} characters.");
            return null;
        }
        return text;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
