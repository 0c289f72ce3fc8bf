using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Deskbridge.Webhooks;

namespace Deskbridge.Bench;

/// <summary>The CPU work ingress does per request besides storage: parsing a batch and checking HubSpot's signature.</summary>
[MemoryDiagnoser]
public class WebhookParsingBenchmarks
{
    private byte[] _batch = [];

    [Params(1, 10, 100)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup() => _batch = JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, Events).Select(i => new
    {
        eventId = i,
        subscriptionId = 1,
        portalId = 24681357,
        appId = 2345678,
        occurredAt = 1764000000000 + i,
        subscriptionType = "conversation.newMessage",
        attemptNumber = 0,
        objectId = 1000 + i,
        changeSource = "CRM",
        messageId = $"msg-{i}",
        messageType = "MESSAGE",
        changeFlag = "NEW_MESSAGE",
    }));

    [Benchmark]
    public int ParseBatch() => WebhookBatch.TryParse(_batch, out var events, out _) ? events.Count : -1;

    [Benchmark]
    public string SignV3() => HubSpotSignature.ComputeV3("secret", "POST", "https://deskbridge.example.com/webhooks/hubspot/x/1.y", _batch, "1764000000000");
}
