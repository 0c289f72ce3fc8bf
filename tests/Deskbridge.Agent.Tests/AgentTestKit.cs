using Deskbridge.Agent.Embedded;

namespace Deskbridge.Agent.Tests;

internal static class AgentTestKit
{
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    /// <summary>One agent over the shipped knowledge bases, shared by tests (it is thread-safe).</summary>
    public static readonly EmbeddedSupportAgent DemoAgent = new();

    public static AgentRequest Ask(params string[] customerMessages) => Conversation(
        [.. customerMessages.Select(m => (Speaker.Customer, m))]);

    public static AgentRequest Conversation(params (Speaker Speaker, string Text)[] entries) => new(
        "demo",
        [.. entries.Select((e, i) => new TranscriptEntry(e.Speaker, e.Text, Start.AddMinutes(i)))],
        new Dictionary<string, string>());

    public static AgentDecision Decide(string message) => DemoAgent.Decide(Ask(message));
}
