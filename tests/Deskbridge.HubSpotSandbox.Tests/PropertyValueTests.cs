using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

/// <summary>
/// Values written to custom properties are checked against the property's type and options, on tickets and contacts alike,
/// and a refused value refuses the whole update (as HubSpot does).
/// </summary>
public sealed class PropertyValueTests
{
    private static object Property(string name, string type, string fieldType, string group, params string[] options) => new
    {
        name, label = name, type, fieldType, groupName = group,
        options = options.Select((o, i) => new { label = o, value = o, hidden = false, displayOrder = i }).ToArray(),
    };

    private static async Task<Sandbox> WithPropertiesAsync()
    {
        var sandbox = await Sandbox.StartAsync();
        var schemaWriter = sandbox.NewClient(await sandbox.CreateTokenAsync("tickets", "crm.schemas.contacts.write", "crm.objects.contacts.write", "crm.objects.contacts.read"));
        foreach (var (type, body) in new (string, object)[]
        {
            ("tickets", Property("x_outcome", "enumeration", "select", "ticketinformation", "answered", "handed_off")),
            ("tickets", Property("x_replies", "number", "number", "ticketinformation")),
            ("tickets", Property("x_involved", "bool", "booleancheckbox", "ticketinformation", "true", "false")),
            ("contacts", Property("x_last_outcome", "enumeration", "select", "contactinformation", "answered", "handed_off")),
            ("contacts", Property("x_when", "datetime", "date", "contactinformation")),
            ("contacts", Property("x_day", "date", "date", "contactinformation")),
        })
        {
            (await schemaWriter.PostAsJsonAsync($"crm/v3/properties/{type}", body)).EnsureSuccessStatusCode();
        }
        return sandbox;
    }

    [Theory]
    [InlineData("tickets", "401", "x_outcome", "resolved", "INVALID_OPTION")]
    [InlineData("tickets", "401", "x_outcome", "answered ", "LEADING_TRAILING_WHITESPACE")]
    [InlineData("tickets", "401", "x_replies", "three", "INVALID_NUMBER")]
    [InlineData("tickets", "401", "x_replies", "1e3", "INVALID_NUMBER")]
    [InlineData("tickets", "401", "x_involved", "yes", "INVALID_OPTION")]
    [InlineData("contacts", "101", "x_last_outcome", "drafted", "INVALID_OPTION")]
    [InlineData("contacts", "101", "x_when", "yesterday", "INVALID_DATETIME")]
    [InlineData("contacts", "101", "x_day", "1430438400001", "INVALID_DATE")]
    [InlineData("contacts", "101", "x_day", "2026-02-30", "INVALID_DATE")]
    [InlineData("contacts", "101", "x_not_there", "1", "PROPERTY_DOESNT_EXIST")]
    public async Task Refuses_a_value_that_does_not_fit_the_property_and_writes_nothing(string type, string id, string name, string value, string code)
    {
        await using var sandbox = await WithPropertiesAsync();

        var response = await sandbox.Client.PatchAsync($"crm/v3/objects/{type}/{id}",
            HttpJson.Body(new { properties = new Dictionary<string, string> { [name] = value, ["hubspot_owner_id"] = SeedData.HumanOwnerId } }));
        var record = await sandbox.GetJsonAsync($"_sandbox/{type}/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("VALIDATION_ERROR", body["category"].Str());
        Assert.Contains(code, body["message"].Str(), StringComparison.Ordinal);
        Assert.Contains(name, body["message"].Str(), StringComparison.Ordinal);
        Assert.Null(record["properties"]![name]);
    }

    [Theory]
    [InlineData("tickets", "401", "x_outcome", "handed_off")]
    [InlineData("tickets", "401", "x_replies", "3")]
    [InlineData("tickets", "401", "x_replies", "-2.5")]
    [InlineData("tickets", "401", "x_involved", "true")]
    [InlineData("contacts", "101", "x_when", "1764597600123")]
    [InlineData("contacts", "101", "x_when", "2026-12-01T19:20:30.450+01:00")]
    [InlineData("contacts", "101", "x_day", "1430438400000")]
    [InlineData("contacts", "101", "x_day", "2026-12-01")]
    public async Task Takes_a_value_in_the_property_s_format(string type, string id, string name, string value)
    {
        await using var sandbox = await WithPropertiesAsync();

        var response = await sandbox.Client.PatchAsync($"crm/v3/objects/{type}/{id}",
            HttpJson.Body(new { properties = new Dictionary<string, string> { [name] = value } }));
        var record = await sandbox.GetJsonAsync($"_sandbox/{type}/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(value, record["properties"]![name].Str());
    }

    [Fact]
    public async Task Creating_a_contact_property_needs_the_contacts_schema_scope_which_the_demo_token_lacks()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var refused = await sandbox.Client.PostAsJsonAsync("crm/v3/properties/contacts",
            Property("x_last_outcome", "enumeration", "select", "contactinformation", "answered"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var body = await refused.Json();
        Assert.Equal("MISSING_SCOPES", body["category"].Str());
        Assert.Contains("crm.schemas.contacts.write", body.ToJsonString(), StringComparison.Ordinal);
    }
}
