using BenchmarkDotNet.Attributes;
using Deskbridge.Agent;
using Deskbridge.Agent.Embedded;

namespace Deskbridge.Bench;

/// <summary>A1: one decision of the embedded agent over the demo knowledge base, warm index (the target: well under 50 ms).</summary>
[MemoryDiagnoser]
public class AgentDecisionBenchmarks
{
    private readonly EmbeddedSupportAgent agent = new();
    private AgentRequest answered = null!;
    private AgentRequest handedOff = null!;

    [GlobalSetup]
    public void Setup()
    {
        answered = Ask("can i return a gift card?");
        handedOff = Ask("my parcel arrived crushed and I want to speak to someone about it now");
        agent.Decide(answered);
    }

    [Benchmark]
    public AgentDecision Answer() => agent.Decide(answered);

    [Benchmark]
    public AgentDecision Handoff() => agent.Decide(handedOff);

    private static AgentRequest Ask(string text) =>
        new("demo", [new TranscriptEntry(Speaker.Customer, text, DateTimeOffset.UnixEpoch)], new Dictionary<string, string>());
}
