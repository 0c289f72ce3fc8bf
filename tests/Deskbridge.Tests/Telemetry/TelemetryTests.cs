using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Deskbridge.Tests.Telemetry;

/// <summary>O3: one trace per event linked to its webhook batch, HubSpot calls inside it, and the service's metrics.</summary>
public sealed class TelemetryTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public async Task Event_span_links_to_its_batch_span_and_the_fate_counter_and_reply_latency_move()
    {
        var world = fixture.World;
        var organization = world.Organization.Id.ToString();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Deskbridge" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var meters = world.Deskbridge.Services.GetRequiredService<IMeterFactory>();
        using var fates = new MetricCollector<long>(meters, "Deskbridge", "deskbridge.events");
        using var latency = new MetricCollector<double>(meters, "Deskbridge", "deskbridge.reply.latency");
        using var calls = new MetricCollector<long>(meters, "Deskbridge", "deskbridge.hubspot.calls");
        using var depth = new MetricCollector<long>(meters, "Deskbridge", "deskbridge.inbox.depth");

        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        var events = await world.SettledEventsAsync(written.ThreadId, atLeast: 3);
        var answered = events.Single(e => e.MessageId == written.MessageId);

        var eventSpan = await Eventually.UntilAsync(
            () => Task.FromResult(stopped.FirstOrDefault(a => a.OperationName == "process conversation.newMessage" && Equals(a.GetTagItem("deskbridge.event.id"), answered.Id))),
            a => a is not null, what: "the event's span");
        var link = Assert.Single(eventSpan!.Links);
        // The batch span ends when its request is answered, which may be a moment after the event was already processed.
        await Eventually.UntilAsync(
            () => Task.FromResult(stopped.Where(a => a.OperationName == "webhook batch" && (string?)a.GetTagItem("deskbridge.organization_id") == organization).ToList()),
            batchSpans => batchSpans.Any(b => b.TraceId == link.Context.TraceId && b.SpanId == link.Context.SpanId),
            what: "the webhook batch span the event's span links to");
        Assert.NotEqual(link.Context.TraceId, eventSpan.TraceId); // a trace of its own, linked, not a child of the batch
        Assert.Equal("Processed", eventSpan.GetTagItem("deskbridge.event.fate"));
        var hubSpotCalls = stopped.Where(a => a.Source.Name == "System.Net.Http" && a.TraceId == eventSpan.TraceId).ToList();
        Assert.True(hubSpotCalls.Count >= 2, $"{hubSpotCalls.Count} HubSpot calls in the event's trace");

        Assert.Contains(fates.GetMeasurementSnapshot(), m => m.Tags.TryGetValue("fate", out var fate) && (string?)fate == "processed" && m.Value >= 1);
        var replyLatency = Assert.Single(latency.GetMeasurementSnapshot());
        Assert.InRange(replyLatency.Value, 0, 30);
        Assert.Contains(calls.GetMeasurementSnapshot(), m => (string?)m.Tags["status"] == "200");
        depth.RecordObservableInstruments();
        Assert.Equal(0, depth.LastMeasurement!.Value);
    }
}
