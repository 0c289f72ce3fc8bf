using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>A new portal has HubSpot's ticket properties only; custom ones exist once created through the properties API.</summary>
public sealed class PropertiesApiTests
{
    private static object HandedOff(string name = "opencx_handedoff") => new
    {
        name, label = "OpenCX handed off", type = "bool", fieldType = "booleancheckbox", groupName = "ticketinformation",
        options = new[] { new { label = "Yes", value = "true", hidden = false }, new { label = "No", value = "false", hidden = false } },
    };

    [Fact]
    public async Task A_new_portal_has_no_custom_ticket_property_and_refuses_an_update_naming_one_whole()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var read = await sandbox.Client.GetAsync("crm/v3/properties/tickets/opencx_handedoff");
        var update = await sandbox.Client.PatchAsync("crm/v3/objects/tickets/401",
            HttpJson.Body(new { properties = new { hs_pipeline_stage = "3", opencx_handedoff = "true" } }));
        var ticket = await sandbox.GetJsonAsync("_sandbox/tickets/401");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        var body = await update.Json();
        Assert.Equal("VALIDATION_ERROR", body["category"].Str());
        Assert.Contains("PROPERTY_DOESNT_EXIST", body["message"].Str(), StringComparison.Ordinal);
        Assert.Contains("opencx_handedoff", body["message"].Str(), StringComparison.Ordinal);
        Assert.NotEqual("3", ticket["properties"]!["hs_pipeline_stage"].Str());
    }

    [Fact]
    public async Task Created_property_can_be_read_written_and_archived()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var created = await sandbox.Client.PostAsJsonAsync("crm/v3/properties/tickets", HandedOff());
        var read = await sandbox.GetJsonAsync("crm/v3/properties/tickets/opencx_handedoff", sandbox.Client);
        var update = await sandbox.Client.PatchAsync("crm/v3/objects/tickets/401", HttpJson.Body(new { properties = new { opencx_handedoff = "true" } }));
        var badValue = await sandbox.Client.PatchAsync("crm/v3/objects/tickets/401", HttpJson.Body(new { properties = new { opencx_handedoff = "yes" } }));
        var again = await sandbox.Client.PostAsJsonAsync("crm/v3/properties/tickets", HandedOff());
        var archived = await sandbox.Client.DeleteAsync("crm/v3/properties/tickets/opencx_handedoff");
        var afterArchive = await sandbox.Client.PatchAsync("crm/v3/objects/tickets/401", HttpJson.Body(new { properties = new { opencx_handedoff = "false" } }));
        var bin = await sandbox.GetJsonAsync("crm/v3/properties/tickets?archived=true", sandbox.Client);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("bool", read["type"].Str());
        Assert.False(read["hubspotDefined"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badValue.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("OBJECT_ALREADY_EXISTS", (await again.Json())["category"].Str());
        Assert.Equal(HttpStatusCode.NoContent, archived.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, afterArchive.StatusCode);
        Assert.Contains(bin["results"]!.AsArray(), p => p!["name"].Str() == "opencx_handedoff" && p["archived"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"name":"opencx_handedoff","label":"x","type":"bool","fieldType":"booleancheckbox"}""", "groupName")]
    [InlineData("""{"label":"x","type":"string","fieldType":"text","groupName":"ticketinformation"}""", "name")]
    [InlineData("""{"name":"x1","label":"x","type":"boolean","fieldType":"booleancheckbox","groupName":"ticketinformation"}""", "type 'boolean'")]
    [InlineData("""{"name":"x1","label":"x","type":"string","fieldType":"booleancheckbox","groupName":"ticketinformation"}""", "fieldType")]
    [InlineData("""{"name":"x1","label":"x","type":"enumeration","fieldType":"select","groupName":"ticketinformation"}""", "options are required")]
    [InlineData("""{"name":"x1","label":"x","type":"string","fieldType":"text","groupName":"no_such_group"}""", "no_such_group")]
    [InlineData("""{"name":"Bad-Name","label":"x","type":"string","fieldType":"text","groupName":"ticketinformation"}""", "Bad-Name")]
    [InlineData("""{"name":"x1","label":"x","type":"enumeration","fieldType":"select","groupName":"ticketinformation","options":[{"label":"A","value":"a"}]}""", "OptionInput")]
    [InlineData("""{"name":5,"label":"x","type":"string","fieldType":"text","groupName":"ticketinformation"}""", "name must be a string")]
    public async Task Property_create_is_validated_like_HubSpot(string body, string reason)
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PostAsync("crm/v3/properties/tickets", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Json();
        Assert.Equal("VALIDATION_ERROR", error["category"].Str());
        Assert.Contains(reason, error["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_ticket_property_needs_the_tickets_or_schema_scope()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var readOnly = sandbox.NewClient(await sandbox.CreateTokenAsync("crm.schemas.tickets.read"));

        var refused = await readOnly.PostAsJsonAsync("crm/v3/properties/tickets", HandedOff());
        var canRead = await readOnly.GetAsync("crm/v3/properties/tickets");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("MISSING_SCOPES", (await refused.Json())["category"].Str());
        Assert.Equal(HttpStatusCode.OK, canRead.StatusCode);
    }

    [Fact]
    public async Task HubSpot_defined_properties_cannot_be_archived()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.DeleteAsync("crm/v3/properties/tickets/subject");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.GetAsync("crm/v3/properties/tickets/subject")).StatusCode);
    }
}
