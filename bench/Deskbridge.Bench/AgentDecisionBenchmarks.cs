using BenchmarkDotNet.Attributes;
using Deskbridge.Agent;
using Deskbridge.Agent.Embedded;

namespace Deskbridge.Bench;

/// <summary>A1: one decision of the embedded agent over the demo knowledge base, warm index (the target: well under 50 ms).</summary>
[MemoryDiagnoser]
public class AgentDecisionBenchmarks
{
    private readonly EmbeddedSupportAgent _agent = new();
    private AgentRequest _answered = null!;
    private AgentRequest _handedOff = null!;

    [GlobalSetup]
    public void Setup()
    {
        _answered = Ask("can i return a gift card?");
        _handedOff = Ask("my parcel arrived crushed and I want to speak to someone about it now");
        _agent.Decide(_answered);
    }

    [Benchmark]
    public AgentDecision Answer() => _agent.Decide(_answered);

    [Benchmark]
    public AgentDecision Handoff() => _agent.Decide(_handedOff);

    private static AgentRequest Ask(string text) =>
        new("demo", [new TranscriptEntry(Speaker.Customer, text, DateTimeOffset.UnixEpoch)], new Dictionary<string, string>());
}
