using System.Globalization;
using System.Text;
using Deskbridge.Agent;
using Deskbridge.Conversations;

namespace Deskbridge.Handoff;

public static class HandoffNote
{
    /// <summary>
    /// H1: starts with the handoff marker byte for byte (C2 recognises it), then the AI's reason, a summary, the
    /// customer's sentiment and language, and the link to the session.
    /// </summary>
    public static string Compose(AgentHandoff decision, ConversationAnalysis analysis, Uri sessionLink)
    {
        var text = new StringBuilder();
        text.Append(Markers.Handoff).Append('\n');
        text.Append("Reason: ").Append(decision.Reason).Append('\n');
        text.Append("Summary: ").Append(analysis.Summary).Append('\n');
        text.Append("Sentiment: ").Append(analysis.Sentiment.Label.ToString().ToLowerInvariant())
            .Append(" (").Append(analysis.Sentiment.Score.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)).Append(")\n");
        text.Append("Language: ").Append(LanguageName(analysis.Language)).Append('\n');
        text.Append("Session: ").Append(sessionLink);
        return text.ToString();
    }

    private static string LanguageName(string code)
    {
        if (code == "und")
        {
            return "undetermined";
        }
        try
        {
            return $"{CultureInfo.GetCultureInfo(code).EnglishName} ({code})";
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }
}
