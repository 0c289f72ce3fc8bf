using System.Text;
using Deskbridge.Agent;
using Deskbridge.Conversations;

namespace Deskbridge.Handoff;

public static class HandoffNote
{
    /// <summary>Starts with the handoff marker byte for byte (C2 recognises it), then what a human needs to take over.</summary>
    public static string Compose(AgentHandoff decision, IReadOnlyList<TranscriptEntry> transcript, Uri sessionLink)
    {
        var customerSaid = transcript.Where(t => t.Speaker == Speaker.Customer).Select(t => t.Text).ToList();
        var text = new StringBuilder();
        text.Append(Markers.Handoff).Append('\n');
        text.Append("Reason: ").Append(decision.Reason).Append('\n');
        text.Append("Summary: ").Append(Summarise(customerSaid)).Append('\n');
        text.Append("Session: ").Append(sessionLink);
        return text.ToString();
    }

    private static string Summarise(IReadOnlyList<string> customerSaid) => customerSaid.Count switch
    {
        0 => "The customer has not written anything yet.",
        1 => $"The customer wrote one message: \"{Clip(customerSaid[0])}\"",
        _ => $"The customer wrote {customerSaid.Count} messages; first: \"{Clip(customerSaid[0])}\", latest: \"{Clip(customerSaid[^1])}\"",
    };

    private static string Clip(string text) => text.Length <= 200 ? text : text[..197] + "...";
}
