using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge.Retrieval;

namespace Deskbridge.Playground;

/// <summary>One earlier line of the conversation: who said it ("customer" or "ai") and what.</summary>
public sealed record PlaygroundLine(string Speaker, string Text);

/// <summary>What a team member writes as a customer.</summary>
public sealed record PlaygroundInput(string? Channel, string? Text, string? Language = null, IReadOnlyList<PlaygroundLine>? Earlier = null)
{
    public const int MaxTextLength = 4000;
    public const int MaxEarlierLines = 20;

    /// <summary>Every problem, by field name (the API's ValidationProblem, the page's messages).</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Channel is null || !HubSpot.HubSpotChannels.KnownNames.Contains(Channel))
        {
            problems["channel"] = [$"The channel must be one of HubSpot's: {string.Join(", ", HubSpot.HubSpotChannels.KnownNames)}."];
        }

        if (string.IsNullOrWhiteSpace(Text))
        {
            problems["text"] = ["Write the customer's message."];
        }
        else if (Text.Length > MaxTextLength)
        {
            problems["text"] = [$"At most {MaxTextLength} characters."];
        }

        if (Language is { Length: > 0 } language && (language.Length is < 2 or > 3 || !language.All(char.IsAsciiLetterLower)))
        {
            problems["language"] = ["An ISO 639-1 code in lower case (en, de, fr, es, …), or nothing."];
        }

        if (Earlier is { } earlier)
        {
            if (earlier.Count > MaxEarlierLines)
            {
                problems["earlier"] = [$"At most {MaxEarlierLines} earlier lines."];
            }
            else if (earlier.Any(l => l.Speaker is not ("customer" or "ai") || string.IsNullOrWhiteSpace(l.Text) || l.Text.Length > MaxTextLength))
            {
                problems["earlier"] = ["Each earlier line needs a speaker (customer or ai) and a text."];
            }
        }

        return problems;
    }
}

/// <summary>A passage retrieval found, with every score it had (the page's sources table).</summary>
public sealed record PlaygroundPassage(
    string PassageId,
    string ArticleId,
    string ArticleTitle,
    string? Heading,
    double Score,
    double? Bm25,
    double? Coverage,
    double? Similarity,
    int? LexicalRank,
    int? SemanticRank,
    bool InCustomerLanguage,
    bool Quoted);

/// <summary>The message as Deskbridge would send it to HubSpot: the send-message body, shown, never sent. Kind: reply or draft.</summary>
public sealed record PlaygroundPost(string Kind, HubSpot.HubSpotNewMessage Body);

/// <summary>Which send-policy rule would apply to the answer. Filled once send policies (src/Deskbridge/Policies) land.</summary>
public sealed record PlaygroundPolicyVerdict(string Rule, string Verdict, string Reason);

/// <summary>
/// What the agent would do with the message, without touching HubSpot: its decision ("answer" or "handoff"), the post
/// exactly as it would go out, the passages with their scores, why it hands off, and what the organization's settings
/// would do around it (autopilot off for the channel, assist mode drafting instead of replying).
/// </summary>
public sealed record PlaygroundOutcome(
    string Decision,
    string? HandoffTrigger,
    string? HandoffReason,
    string? AnswerText,
    PlaygroundPost? Post,
    IReadOnlyList<KnowledgeSource> Sources,
    IReadOnlyList<PlaygroundPassage> Passages,
    RetrievalMode Retrieval,
    string? DetectedLanguage,
    string? StatedLanguage,
    IReadOnlyList<string> Notes,
    PlaygroundPolicyVerdict? Policy);

/// <summary>One saved case as the API shows it.</summary>
public sealed record PlaygroundCaseView(
    Guid Id, string Channel, string Text, string? Language, IReadOnlyList<PlaygroundLine> Earlier, PlaygroundExpectation Expected, string? ExpectedArticleId, DateTimeOffset CreatedAt);

/// <summary>A saved case run now: passed or not, and what the agent did.</summary>
public sealed record PlaygroundCaseResult(PlaygroundCaseView Case, bool Passed, string Actual, PlaygroundOutcome Outcome);

/// <summary>The regression suite of an organization: every saved case, run now.</summary>
public sealed record PlaygroundSuiteResult(int Total, int Passed, double PassRate, IReadOnlyList<PlaygroundCaseResult> Results);
