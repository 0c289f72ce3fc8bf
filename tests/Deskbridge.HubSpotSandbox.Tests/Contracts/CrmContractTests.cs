using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests.Contracts;

/// <summary>CRM objects v3 (contacts, companies, deals, tickets share one contract), v4 associations and the search limit.</summary>
public sealed class CrmContractTests
{
    private static readonly string[] AllCrmScopes =
    [
        "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.companies.write",
        "crm.objects.deals.read", "crm.objects.deals.write", "tickets",
    ];

    public static TheoryData<string, string, string> Types => new()
    {
        { "contacts", "email", "contract@example.com" },
        { "companies", "name", "Contract Ltd" },
        { "deals", "dealname", "Contract deal" },
        { "tickets", "subject", "Contract ticket" },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Create_get_patch_search_and_batch_read_answer_simple_public_objects(string type, string property, string value)
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var client = sandbox.NewClient(await sandbox.CreateTokenAsync(AllCrmScopes));

        var create = await client.PostAsJsonAsync($"crm/v3/objects/{type}", SpecBodies.Create(Properties(type, property, value)));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var created = await create.Json();
        SimplePublicObject(created);
        var id = created["id"].Str();

        var read = await sandbox.GetJsonAsync($"crm/v3/objects/{type}/{id}?properties={property}", client);
        var patch = await client.PatchAsync($"crm/v3/objects/{type}/{id}", HttpJson.Body(new { properties = new Dictionary<string, string> { [property] = value + " 2" } }));
        var search = await client.PostAsJsonAsync($"crm/v3/objects/{type}/search", SpecBodies.Search(
            [new { filters = new[] { new { propertyName = property, @operator = "EQ", value = value + " 2" } } }], properties: [property]));
        var batch = await client.PostAsJsonAsync($"crm/v3/objects/{type}/batch/read", SpecBodies.BatchRead([id], [property]));
        var partial = await client.PostAsJsonAsync($"crm/v3/objects/{type}/batch/read", SpecBodies.BatchRead([id, "999999"], [property]));

        SimplePublicObject(read);
        Assert.Equal(value, read["properties"]![property].Str());
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        SimplePublicObject(await patch.Json());
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var found = Expect.Fields(await search.Json(), "CollectionResponseWithTotalSimplePublicObject", ("total", Json.WholeNumber), ("results", Json.Array));
        Assert.Equal(1, found["total"]!.GetValue<int>());
        Assert.All(found["results"]!.AsArray(), SimplePublicObject);
        Expect.Paging(found, "search");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        BatchResponse(await batch.Json(), 1);
        Assert.Equal((HttpStatusCode)207, partial.StatusCode);
        var withErrors = await partial.Json();
        BatchResponse(withErrors, 1);
        Expect.Is(withErrors["numErrors"], Json.WholeNumber, "numErrors");
        Expect.StandardError(withErrors["errors"]![0], "errors[0]");
    }

    [Fact]
    public async Task Object_list_pages_forward_without_a_total()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var page = await sandbox.GetJsonAsync("crm/v3/objects/contacts?limit=1&associations=companies", sandbox.Client);

        Assert.Null(page["total"]);
        Assert.All(Expect.Results(page, "contacts"), SimplePublicObject);
        Expect.Paging(page, "contacts");
        Assert.NotNull(page["paging"]?["next"]?["after"]);
        var associations = page["results"]![0]!["associations"]!["companies"]!;
        Expect.Fields(associations["results"]![0], "AssociatedId", ("id", Json.Text), ("type", Json.Text));
    }

    [Fact]
    public async Task Create_needs_properties_and_associations_with_string_values()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var noAssociations = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts", new { properties = new { email = "a@example.com" } });
        var numberValue = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts", SpecBodies.Create(new { email = "b@example.com", numemployees = 5 }));
        var numberId = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts", SpecBodies.Create(new { email = "c@example.com" },
            [new { to = new { id = 201 }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 279 } } }]));
        var badCategory = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts", SpecBodies.Create(new { email = "d@example.com" },
            [new { to = new { id = "201" }, types = new[] { new { associationCategory = "MADE_UP", associationTypeId = 279 } } }]));

        await Expect.InvalidAsync(noAssociations, "associations", "REQUIRED");
        await Expect.InvalidAsync(numberValue, "properties.numemployees", "INVALID_TYPE");
        await Expect.InvalidAsync(numberId, "associations[0].to.id", "INVALID_TYPE");
        await Expect.InvalidAsync(badCategory, "associations[0].types[0].associationCategory", "INVALID_ENUM");
    }

    [Fact]
    public async Task Search_needs_every_field_the_spec_requires_and_known_operators()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var bare = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", new { limit = 1 });
        var sortObjects = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search",
            new { filterGroups = Array.Empty<object>(), properties = Array.Empty<string>(), limit = 1, after = "0", sorts = new[] { new { propertyName = "createdate", direction = "DESCENDING" } } });
        var unknownOperator = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search",
            SpecBodies.Search([new { filters = new[] { new { propertyName = "email", @operator = "LIKE", value = "x" } } }]));
        var numberValue = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search",
            SpecBodies.Search([new { filters = new[] { new { propertyName = "hs_object_id", @operator = "EQ", value = 101 } } }]));

        var missing = await Expect.InvalidAsync(bare, "after", "REQUIRED");
        var named = missing["errors"]!.AsArray().Select(e => (string?)e!["in"]).ToHashSet();
        Assert.Superset(named, new HashSet<string?> { "after", "filterGroups", "properties", "sorts" });
        await Expect.InvalidAsync(sortObjects, "sorts[0]", "INVALID_TYPE");
        await Expect.InvalidAsync(unknownOperator, "filterGroups[0].filters[0].operator", "INVALID_ENUM");
        await Expect.InvalidAsync(numberValue, "filterGroups[0].filters[0].value", "INVALID_TYPE");
    }

    [Fact]
    public async Task Batch_read_needs_inputs_properties_and_properties_with_history()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/companies/batch/read", new { inputs = new[] { new { id = "201" } }, properties = new[] { "name" } });

        await Expect.InvalidAsync(response, "propertiesWithHistory", "REQUIRED");
    }

    [Theory]
    [InlineData("POST", "crm/v3/objects/contacts")]
    [InlineData("PATCH", "crm/v3/objects/contacts/101")]
    [InlineData("POST", "crm/v3/objects/contacts/search")]
    [InlineData("POST", "crm/v3/objects/contacts/batch/read")]
    [InlineData("PUT", "crm/v4/objects/contacts/101/associations/companies/201")]
    [InlineData("POST", "conversations/v3/conversations/actors/batch/read")]
    [InlineData("POST", "oauth/v2/private-apps/get/access-token-info")]
    public async Task Malformed_json_on_any_public_endpoint_gets_hubspots_error_body(string method, string path)
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("{\"properties\": {", System.Text.Encoding.UTF8, "application/json"),
        });

        await Expect.InvalidAsync(response, "body", "INVALID_JSON");
    }

    [Fact]
    public async Task V4_associations_type_object_ids_as_strings_and_omit_missing_labels()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var put = await sandbox.Client.PutAsJsonAsync("crm/v4/objects/contacts/103/associations/companies/202",
            new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 279 } });
        var list = await sandbox.GetJsonAsync("crm/v4/objects/contacts/103/associations/companies", sandbox.Client);
        var badSpec = await sandbox.Client.PutAsJsonAsync("crm/v4/objects/contacts/103/associations/companies/202",
            new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = "279" } });

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Expect.Fields(await put.Json(), "LabelsBetweenObjectPair", ("fromObjectTypeId", Json.Text), ("fromObjectId", Json.Text),
            ("toObjectTypeId", Json.Text), ("toObjectId", Json.Text), ("labels", Json.Array));
        Expect.Paging(list, "associations");
        var item = Expect.Fields(Assert.Single(Expect.Results(list, "associations")), "MultiAssociatedObjectWithLabel", ("toObjectId", Json.Text), ("associationTypes", Json.Array));
        Assert.Equal("202", item["toObjectId"].Str());
        foreach (var type in item["associationTypes"]!.AsArray())
        {
            Expect.Fields(type, "AssociationSpecWithLabel", ("category", Json.Text), ("typeId", Json.WholeNumber));
            Expect.OneOf(type!["category"], "category", "HUBSPOT_DEFINED", "INTEGRATOR_DEFINED", "USER_DEFINED", "WORK");
            Expect.Optional(type, "AssociationSpecWithLabel", ("label", Json.Text));
        }

        await Expect.InvalidAsync(badSpec, "[0].associationTypeId", "INVALID_TYPE");
    }

    [Fact]
    public async Task Searches_count_against_the_ten_second_window_as_well_as_their_own_limit()
    {
        await using var sandbox = await Sandbox.StartAsync();
        await sandbox.Admin.SetRateLimitsAsync(requestsPer10Seconds: 3, searchRequestsPerSecond: 10);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(limit: 1))).StatusCode);
        }

        var read = await sandbox.Client.GetAsync("crm/v3/objects/contacts/101");
        var search = await sandbox.Client.PostAsJsonAsync("crm/v3/objects/contacts/search", SpecBodies.Search(limit: 1));

        var body = await Expect.ErrorAsync(read, HttpStatusCode.TooManyRequests, "RATE_LIMITS");
        Assert.Equal("TEN_SECONDLY_ROLLING", body["policyName"].Str());
        Assert.Equal("TEN_SECONDLY_ROLLING", (await Expect.ErrorAsync(search, HttpStatusCode.TooManyRequests, "RATE_LIMITS"))["policyName"].Str());
    }

    private static object Properties(string type, string property, string value) => type == "tickets"
        ? new Dictionary<string, string> { [property] = value, ["hs_pipeline_stage"] = "1" }
        : new Dictionary<string, string> { [property] = value };

    /// <summary>SimplePublicObject(WithAssociations): id, properties (string values, null when unset), createdAt, updatedAt, archived.</summary>
    private static void SimplePublicObject(JsonNode? item)
    {
        Expect.Fields(item, "SimplePublicObject", ("id", Json.Text), ("properties", Json.Map), ("createdAt", Json.DateTime), ("updatedAt", Json.DateTime), ("archived", Json.Boolean));
        foreach (var (name, value) in item!["properties"]!.AsObject())
        {
            Assert.True(value is null || value.GetValueKind() == System.Text.Json.JsonValueKind.String, $"property {name} should be a string, was {value?.ToJsonString()}");
        }

        Expect.Optional(item, "SimplePublicObject", ("associations", Json.Map), ("archivedAt", Json.DateTime));
    }

    private static void BatchResponse(JsonNode body, int results)
    {
        Expect.Fields(body, "BatchResponseSimplePublicObject", ("status", Json.Text), ("results", Json.Array), ("startedAt", Json.DateTime), ("completedAt", Json.DateTime));
        Expect.OneOf(body["status"], "status", "CANCELED", "COMPLETE", "PENDING", "PROCESSING");
        Assert.Equal(results, body["results"]!.AsArray().Count);
        Assert.All(body["results"]!.AsArray(), SimplePublicObject);
    }
}
