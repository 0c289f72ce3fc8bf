using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests;

public sealed class CrmApiTests
{
    private static object EmailFilter(string email) => new { filters = new[] { new { propertyName = "email", @operator = "EQ", value = email } } };

    [Fact]
    public async Task Owner_can_be_read_by_owner_id_and_by_user_id()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var byId = await sandbox.GetJsonAsync("crm/v3/owners/601", sandbox.Client);
        var byUser = await sandbox.GetJsonAsync($"crm/v3/owners/{sandbox.Options.AiUserId}?idProperty=userId", sandbox.Client);
        var list = await sandbox.GetJsonAsync("crm/v3/owners", sandbox.Client);

        Assert.Equal("601", byId["id"].Str());
        Assert.Equal(sandbox.Options.AiUserId, byId["userId"]!.GetValue<long>());
        Assert.Equal("601", byUser["id"].Str());
        Assert.Equal("PERSON", byUser["type"].Str());
        Assert.NotEmpty(byUser["teams"]!.AsArray());
        Assert.Equal(2, list["results"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Client.GetAsync("crm/v3/owners/999")).StatusCode);
    }

    [Fact]
    public async Task Contact_search_by_email_finds_the_contact_case_insensitively()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search([EmailFilter("ADA@northwind.example")], properties: ["email", "firstname", "phone"]));

        response.EnsureSuccessStatusCode();
        var body = await response.Json();
        Assert.Equal(1, body["total"]!.GetValue<int>());
        var contact = body["results"]![0]!;
        Assert.Equal("101", contact["id"].Str());
        Assert.Equal("+1 206 555 0101", contact["properties"]!["phone"].Str());
        Assert.Equal("101", contact["properties"]!["hs_object_id"].Str());
        Assert.False(response.Headers.Contains("X-HubSpot-RateLimit-Max"));
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(1, 7)]
    [InlineData(4, 5)]
    public async Task Search_beyond_filter_limits_returns_400(int groups, int filtersPerGroup)
    {
        await using var sandbox = await Sandbox.StartAsync();
        var filterGroups = Enumerable.Range(0, groups).Select(_ => new
        {
            filters = Enumerable.Range(0, filtersPerGroup).Select(i => new { propertyName = "email", @operator = "NEQ", value = $"x{i}@example.com" }).ToArray(),
        }).ToArray();

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(filterGroups));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", (await response.Json())["category"].Str());
    }

    [Fact]
    public async Task Search_limit_above_200_returns_400_and_paging_uses_after()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var tooMany = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(limit: 201));
        var page = await (await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(limit: 2))).Json();
        var next = await (await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(limit: 2, after: page["paging"]!["next"]!["after"].Str()))).Json();

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(3, page["total"]!.GetValue<int>());
        Assert.Equal(2, page["results"]!.AsArray().Count);
        Assert.Equal("103", Assert.Single(next["results"]!.AsArray())!["id"].Str());
    }

    [Fact]
    public async Task Duplicate_contact_email_returns_409_with_existing_id()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts", SpecBodies.Create(new { email = "ada@northwind.example", firstname = "Ada" }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("CONFLICT", body["category"].Str());
        Assert.Equal("Contact already exists. Existing ID: 101", body["message"].Str());
        Assert.Matches(@"Existing ID:\s*101", body["message"].Str());
    }

    [Fact]
    public async Task Contact_create_returns_201_and_can_be_read_by_email_with_associations()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var created = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts", new
        {
            properties = new { email = "new@example.com", firstname = "New", lastname = "Person" },
            associations = new[] { new { to = new { id = "201" }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 279 } } } },
        });
        var read = await sandbox.GetJsonAsync("crm/v3/objects/contacts/new@example.com?idProperty=email&properties=email,lastname&associations=companies", sandbox.Client);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Json())["id"].Str();
        Assert.Equal(id, read["id"].Str());
        Assert.Equal("Person", read["properties"]!["lastname"].Str());
        Assert.Equal("201", read["associations"]!["companies"]!["results"]![0]!["id"].Str());
    }

    [Fact]
    public async Task Contact_patch_updates_properties()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PatchAsync("crm/v3/objects/contacts/103", HttpJson.Body(new { properties = new { phone = "+44 20 7946 0000" } }));

        response.EnsureSuccessStatusCode();
        Assert.Equal("+44 20 7946 0000", (await response.Json())["properties"]!["phone"].Str());
    }

    [Fact]
    public async Task Missing_records_return_404_with_hubspot_body()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.GetAsync("crm/v3/objects/contacts/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("OBJECT_NOT_FOUND", (await response.Json())["category"].Str());
    }

    [Fact]
    public async Task Ticket_without_subject_or_stage_returns_400_VALIDATION_ERROR()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/tickets", SpecBodies.Create(new { content = "no subject" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("VALIDATION_ERROR", body["category"].Str());
        Assert.StartsWith("Property values were not valid: [", body["message"].Str(), StringComparison.Ordinal);
        Assert.Contains("REQUIRED_PROPERTY", body["message"].Str(), StringComparison.Ordinal);
        Assert.Contains("subject", body["message"].Str(), StringComparison.Ordinal);
        Assert.Contains("hs_pipeline_stage", body["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticket_with_unknown_property_returns_PROPERTY_DOESNT_EXIST()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/tickets", SpecBodies.Create(new Dictionary<string, string> { ["subject"] = "x", ["hs_pipeline_stage"] = "1", ["customer_mood"] = "grumpy" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Contains("PROPERTY_DOESNT_EXIST", body["message"].Str(), StringComparison.Ordinal);
        Assert.Contains("Property \\\"customer_mood\\\" does not exist", body["message"].Str(), StringComparison.Ordinal);
        Assert.Equal("PROPERTY_DOESNT_EXIST", body["errors"]![0]!["code"].Str());
    }

    [Fact]
    public async Task Ticket_create_with_associations_returns_201_and_links_the_contact()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/tickets", new
        {
            properties = new { subject = "Login issue", content = "transcript", hs_pipeline = "0", hs_pipeline_stage = "1", hs_ticket_priority = "HIGH", hubspot_owner_id = "602" },
            associations = new[] { new { to = new { id = "102" }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 16 } } } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ticket = await response.Json();
        Assert.Equal("Login issue", ticket["properties"]!["subject"].Str());
        var links = await sandbox.GetJsonAsync($"crm/v4/objects/tickets/{ticket["id"].Str()}/associations/contacts", sandbox.Client);
        var link = links["results"]![0]!;
        Assert.Equal("102", link["toObjectId"].Str());
        Assert.Equal(16, link["associationTypes"]![0]!["typeId"]!.GetValue<int>());
        Assert.Equal("HUBSPOT_DEFINED", link["associationTypes"]![0]!["category"].Str());
        var reverse = await sandbox.GetJsonAsync("crm/v4/objects/contacts/102/associations/tickets", sandbox.Client);
        Assert.Contains(reverse["results"]!.AsArray(), r => r!["toObjectId"].Str() == ticket["id"].Str());
    }

    [Fact]
    public async Task Ticket_patch_updates_and_rejects_invalid_owner()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var ok = await sandbox.Client.PatchAsync("crm/v3/objects/tickets/401", HttpJson.Body(new { properties = new { hs_pipeline_stage = "3", hs_ticket_priority = "HIGH" } }));
        var badOwner = await sandbox.Client.PatchAsync("crm/v3/objects/tickets/401", HttpJson.Body(new { properties = new { hubspot_owner_id = sandbox.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture) } }));

        ok.EnsureSuccessStatusCode();
        Assert.Equal("3", (await ok.Json())["properties"]!["hs_pipeline_stage"].Str());
        Assert.Equal(HttpStatusCode.BadRequest, badOwner.StatusCode);
        Assert.Contains("INVALID_OWNER_ID", (await badOwner.Json())["message"].Str(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticket_property_definitions_list_the_known_properties()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var body = await sandbox.GetJsonAsync("crm/v3/properties/tickets", sandbox.Client);

        var names = body["results"]!.AsArray().Select(p => p!["name"].Str()).ToList();
        Assert.Contains("subject", names);
        Assert.Contains("hs_pipeline_stage", names);
        Assert.Contains("hs_ticket_priority", names);
        Assert.DoesNotContain("customer_mood", names);
    }

    [Fact]
    public async Task Default_v4_association_links_both_ways()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var put = await sandbox.Client.PutAsync("crm/v4/objects/contacts/103/associations/default/companies/202", null);
        var fromCompany = await sandbox.GetJsonAsync("crm/v4/objects/companies/202/associations/contacts", sandbox.Client);

        put.EnsureSuccessStatusCode();
        Assert.Equal(279, (await put.Json())["results"]![0]!["associationSpec"]!["associationTypeId"]!.GetValue<int>());
        Assert.Contains(fromCompany["results"]!.AsArray(), r => r!["toObjectId"].Str() == "103");
    }

    [Fact]
    public async Task Companies_and_deals_batch_read_return_requested_properties()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var companies = await (await sandbox.Client.PostAsJsonAsync("crm/v3/objects/companies/batch/read", SpecBodies.BatchRead(["201", "202"], ["name", "domain", "industry", "numberofemployees"]))).Json();
        var deals = await (await sandbox.Client.PostAsJsonAsync("crm/v3/objects/deals/batch/read", SpecBodies.BatchRead(["301"], ["dealstage", "amount", "closedate"]))).Json();

        Assert.Equal("COMPLETE", companies["status"].Str());
        Assert.Equal(2, companies["results"]!.AsArray().Count);
        Assert.Equal("RETAIL", companies["results"]![0]!["properties"]!["industry"].Str());
        Assert.Equal("closedwon", deals["results"]![0]!["properties"]!["dealstage"].Str());
    }
}
