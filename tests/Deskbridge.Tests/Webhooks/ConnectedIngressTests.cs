using System.Net;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

using static Deskbridge.Testing.DeskbridgeApi;

namespace Deskbridge.Tests.Webhooks;

/// <summary>Ingress checks that need a connected organization: its portal, its client secret (W6, W7).</summary>
public sealed class ConnectedIngressTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public async Task Event_of_another_portal_is_rejected_and_never_processed()
    {
        var own = NewMessageEvent("9100000777", "m-own-portal", 7001);
        var foreign = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(NewMessageEvent("9100000778", "m-other-portal", 7002)))!;
        foreign["portalId"] = 13579;

        var response = await SignedDelivery.PostAsync(World, $"[{System.Text.Json.JsonSerializer.Serialize(own)},{foreign.ToJsonString()}]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await Eventually.UntilAsync(() => World.Deskbridge.EventsAsync(World.Organization.Id, "&eventId=7002"), e => e.Count == 1, what: "the foreign event");
        var rejected = Assert.Single(events);
        Assert.Equal("Rejected", rejected.Fate);
        Assert.Contains("portalId 13579 is not the connected HubSpot portal 24681357", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(0, rejected.ProcessingAttempts);
        var mine = await World.Deskbridge.EventsAsync(World.Organization.Id, "&eventId=7001");
        Assert.NotEqual("Rejected", Assert.Single(mine).Fate);
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("253402300800000")]
    [InlineData("-5")]
    [InlineData("+1700000000000")]
    [InlineData(" 1700000000000")]
    [InlineData("1.7e12")]
    [InlineData("abc")]
    public async Task V3_timestamp_out_of_range_or_not_a_number_gets_401_not_500(string timestamp)
    {
        var response = await SignedDelivery.PostAsync(World, Batch(NewMessageEvent("9100000779", "m-ts", 7003)), timestamp);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await World.Deskbridge.EventsAsync(World.Organization.Id, "&eventId=7003"));
    }
}
