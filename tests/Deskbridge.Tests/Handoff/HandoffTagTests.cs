using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Handoff;

/// <summary>
/// H3's tag on a real portal, which has no <c>opencx_handedoff</c> property until someone creates it: Deskbridge creates it,
/// and where it cannot, the assignment and the note still happen and the outcome says what is missing.
/// </summary>
public sealed class HandoffTagTests
{
    private static async Task<JsonObject?> TagPropertyAsync(ConnectedWorld world)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "crm/v3/properties/tickets/opencx_handedoff");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.Sandbox.Options.DemoToken);
        using var response = await world.SandboxHttp.SendAsync(request);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    private static async Task ArchiveTagPropertyAsync(ConnectedWorld world)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "crm/v3/properties/tickets/opencx_handedoff");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.Sandbox.Options.DemoToken);
        (await world.SandboxHttp.SendAsync(request)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Saving_credentials_creates_the_handoff_tag_property_in_the_portal()
    {
        await using var world = await ConnectedWorld.StartAsync();

        var property = await TagPropertyAsync(world);

        Assert.NotNull(property);
        Assert.Equal("bool", (string?)property["type"]);
        Assert.False((bool)property["hubspotDefined"]!);
    }

    [Fact]
    public async Task Handoff_creates_a_tag_property_removed_since_the_save_and_tags_the_ticket()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await ArchiveTagPropertyAsync(world);

        var written = await world.CustomerWritesAsync("I want to talk to a real person please");
        var handoff = (await world.SettledEventsAsync(written.ThreadId, atLeast: 2)).Single(e => e.MessageId == written.MessageId);

        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains("tagged opencx_handedoff and assigned to Deskbridge AI", handoff.Reason, StringComparison.Ordinal);
        Assert.NotNull(await TagPropertyAsync(world));
        Assert.Equal("true", (string?)(await world.CrmRecordAsync("tickets", written.TicketId!))["properties"]!["opencx_handedoff"]);
    }

    [Fact]
    public async Task Missing_tag_property_never_blocks_the_assignment_or_the_note()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await ArchiveTagPropertyAsync(world);
        await world.AddFaultAsync(new FaultRequest("/crm/v3/properties/tickets", FaultKind.Error, Method: "POST", StatusCode: 403));

        var written = await world.CustomerWritesAsync("I want to talk to a real person please");
        var handoff = (await world.SettledEventsAsync(written.ThreadId, atLeast: 2)).Single(e => e.MessageId == written.MessageId);

        Assert.Equal("Processed", handoff.Fate);
        Assert.Contains("not tagged: the ticket property opencx_handedoff does not exist and could not be created", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains("Settings → Properties", handoff.Reason, StringComparison.Ordinal);
        Assert.Contains($"assigned to Deskbridge AI (owner {SeedData.AiOwnerId}", handoff.Reason, StringComparison.Ordinal);
        var ticket = (await world.CrmRecordAsync("tickets", written.TicketId!))["properties"]!;
        Assert.Equal(SeedData.AiOwnerId, (string?)ticket["hubspot_owner_id"]);
        Assert.Single(await world.MessagesAsync(written.ThreadId), m => (string?)m["type"] == "COMMENT");
    }

    [Fact]
    public async Task Retest_says_how_to_add_the_tag_property_when_the_token_cannot_create_it()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await ArchiveTagPropertyAsync(world);
        await world.AddFaultAsync(new FaultRequest("/crm/v3/properties/tickets", FaultKind.Error, Method: "POST", StatusCode: 403));

        var response = await world.Deskbridge.Http.PostAsync($"api/organizations/{world.Organization.Id}/hubspot/retest", null);
        var retest = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.True(response.IsSuccessStatusCode, retest.ToJsonString());
        var warnings = retest["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Contains(warnings, w => w.Contains("opencx_handedoff does not exist and could not be created", StringComparison.Ordinal)
            && w.Contains("Settings → Properties", StringComparison.Ordinal));
    }
}
