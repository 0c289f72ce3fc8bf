using System.Net;
using System.Net.Http.Json;
using System.Text;
using Deskbridge.Testing;

using static Deskbridge.Testing.DeskbridgeApi;

namespace Deskbridge.Tests.Webhooks;

/// <summary>W7: no body gets a 5xx; invalid events inside a batch are rejected one by one, with the rule they broke.</summary>
public sealed class WebhookBadInputTests : IAsyncLifetime
{
    private DeskbridgeTestHost _host = null!;
    private Organization _org = null!;

    public async Task InitializeAsync()
    {
        _host = await DeskbridgeTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private const string Valid = """{"eventId":7,"subscriptionId":1,"portalId":24681357,"appId":2345678,"occurredAt":1700000000000,"subscriptionType":"conversation.newMessage","attemptNumber":0,"objectId":501,"messageId":"m-ok","messageType":"MESSAGE"}""";

    private Task<HttpResponseMessage> PostAsync(byte[] body) =>
        _host.Http.PostAsync(_org.WebhookUrl, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

    private Task<HttpResponseMessage> PostAsync(string body) => PostAsync(Encoding.UTF8.GetBytes(body));

    /// <summary>A batch of the valid event and one that has <paramref name="field"/> set to the raw JSON bytes given.</summary>
    private static byte[] WithField(string field, byte[] rawValue)
    {
        var before = Encoding.UTF8.GetBytes($$"""[{{Valid}},{"eventId":8,"portalId":24681357,"occurredAt":1700000000000,"subscriptionType":"conversation.newMessage","objectId":502,"messageId":"m-2",""");
        var name = Encoding.UTF8.GetBytes($"\"{field}\":");
        return [.. before, .. name, .. rawValue, .. "}]"u8];
    }

    public static TheoryData<string, string> BrokenText => new()
    {
        { "messageType", "lone surrogate" },
        { "propertyValue", "lone surrogate" },
        { "someUnknownField", "lone surrogate" },
        { "messageType", "invalid utf-8" },
        { "changeSource", "invalid utf-8" },
        { "someUnknownField", "invalid utf-8" },
    };

    [Theory]
    [MemberData(nameof(BrokenText))]
    public async Task Broken_text_in_any_string_field_rejects_that_event_and_keeps_the_others(string field, string kind)
    {
        var raw = kind == "lone surrogate" ? "\"x\\ud800y\""u8.ToArray() : [(byte)'"', (byte)'x', 0xFF, 0xC3, (byte)'"'];

        var response = await PostAsync(WithField(field, raw));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await _host.EventsAsync(_org.Id);
        Assert.Equal(2, events.Count);
        Assert.Single(events, e => e.MessageId == "m-ok" && e.Fate != "Rejected");
        var rejected = Assert.Single(events, e => e.Fate == "Rejected");
        Assert.Contains($"{field} is not valid text", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal("Done", rejected.Status);
    }

    [Fact]
    public async Task Broken_text_in_a_field_name_rejects_that_event()
    {
        var body = Encoding.UTF8.GetBytes($$"""[{{Valid}},{"eventId":9,"portalId":1,"occurredAt":1,"subscriptionType":"a.b","objectId":1,"x""").Concat(new byte[] { 0xFE }).Concat("\":1}]"u8.ToArray()).ToArray();

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(await _host.EventsAsync(_org.Id), e => e.Fate == "Rejected" && e.Reason!.Contains("A field name is not valid text", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":5}""", "eventId is missing")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"objectId":5}""", "subscriptionType is missing")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange"}""", "objectId is missing")]
    [InlineData("""{"eventId":1,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":5}""", "portalId is missing")]
    [InlineData("""{"eventId":1,"portalId":24681357,"subscriptionType":"ticket.propertyChange","objectId":5}""", "occurredAt is missing")]
    [InlineData("""{"eventId":-1,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":5}""", "eventId must be a whole number")]
    [InlineData("""{"eventId":1.5,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":5}""", "eventId must be a whole number")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":"abc"}""", "objectId must be a whole number")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":99999999999999999999}""", "objectId must be a whole number")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1e300,"subscriptionType":"ticket.propertyChange","objectId":5}""", "occurredAt must be a whole number")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":5,"attemptNumber":"x"}""", "attemptNumber must be a whole number")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":{"a":1},"objectId":5}""", "subscriptionType must be a string")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket property change","objectId":5}""", "subscriptionType must look like object.event")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":"conversation.newMessage","objectId":5}""", "messageId is missing")]
    [InlineData("""{"eventId":1,"eventId":2,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":5}""", "eventId appears more than once")]
    [InlineData("""{"eventId":1,"portalId":24681357,"occurredAt":1,"subscriptionType":"ticket.propertyChange","objectId":5,"propertyValue":[1]}""", "propertyValue must be a string")]
    public async Task Invalid_event_is_rejected_with_its_reason_while_the_valid_one_is_stored(string invalid, string reason)
    {
        var response = await PostAsync($"[{Valid},{invalid}]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<Stored>())!.Rejected);
        var events = await _host.EventsAsync(_org.Id);
        Assert.Single(events, e => e.MessageId == "m-ok" && e.Fate != "Rejected");
        var rejected = Assert.Single(events, e => e.Fate == "Rejected");
        Assert.Contains(reason, rejected.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subscriptionType", 65, "subscriptionType is longer than the limit of 64")]
    [InlineData("messageId", 129, "messageId is longer than the limit of 128")]
    [InlineData("propertyName", 257, "propertyName is longer than the limit of 256")]
    [InlineData("propertyValue", 65_537, "propertyValue is longer than the limit of 65536")]
    public async Task Value_over_its_length_limit_is_rejected_with_the_limit_named(string field, int length, string reason)
    {
        var value = field == "subscriptionType" ? "ticket." + new string('p', length - 7) : new string('v', length);
        var fields = new Dictionary<string, object>
        {
            ["eventId"] = 3, ["portalId"] = 24681357, ["occurredAt"] = 1_700_000_000_000, ["subscriptionType"] = "ticket.propertyChange",
            ["objectId"] = 5, ["propertyName"] = "subject", ["propertyValue"] = "x",
        };
        fields[field] = value;

        var response = await PostAsync($"[{Valid},{System.Text.Json.JsonSerializer.Serialize(fields)}]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rejected = Assert.Single(await _host.EventsAsync(_org.Id), e => e.Fate == "Rejected");
        Assert.Contains(reason, rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_at_its_length_limit_is_accepted()
    {
        var body = Batch(new
        {
            eventId = 4, portalId = 24681357, occurredAt = 1_700_000_000_000, subscriptionType = "ticket.propertyChange", objectId = 5,
            propertyName = new string('n', 256), propertyValue = new string('v', 65_536),
        });

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body)).StatusCode);

        Assert.DoesNotContain(await _host.EventsAsync(_org.Id), e => e.Fate == "Rejected");
    }

    [Theory]
    [InlineData("01.")]
    [InlineData("+1.")]
    [InlineData(" 1.")]
    [InlineData("1 .")]
    public async Task Webhook_url_with_a_second_spelling_of_its_generation_gets_401(string generation)
    {
        var token = _org.WebhookUrl.Split('/')[^1];
        var respelled = _org.WebhookUrl[..^token.Length] + Uri.EscapeDataString(generation) + token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.PostAsync(_org.WebhookUrl, new StringContent($"[{Valid}]", Encoding.UTF8, "application/json"))).StatusCode);

        var response = await _host.Http.PostAsync(respelled, new StringContent($"[{Valid}]", Encoding.UTF8, "application/json"));

        Assert.True(token.StartsWith("1.", StringComparison.Ordinal), token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_url_with_an_upper_case_organization_id_gets_401()
    {
        var parts = _org.WebhookUrl.Split('/');
        parts[^2] = parts[^2].ToUpperInvariant();

        var response = await _host.Http.PostAsync(string.Join('/', parts), new StringContent($"[{Valid}]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await _host.EventsAsync(_org.Id));
    }

    private sealed record Stored(int Accepted, int Duplicates, int Ignored, int Rejected);
}
