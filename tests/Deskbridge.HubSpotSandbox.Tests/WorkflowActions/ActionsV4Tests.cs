using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;
using Deskbridge.HubSpotSandbox.WorkflowActions;

namespace Deskbridge.HubSpotSandbox.Tests.WorkflowActions;

public sealed class ActionsV4Tests
{
    private static string Actions(Sandbox sandbox, string rest = "", string? key = null) =>
        $"automation/v4/actions/{sandbox.Options.AppId}{rest}?hapikey={key ?? sandbox.Options.DeveloperApiKey}";

    /// <summary>A definition as the spec's PublicActionDefinitionEgg requires it.</summary>
    private static JsonObject Egg(string actionUrl, params string[] objectTypes) => new()
    {
        ["actionUrl"] = actionUrl,
        ["published"] = true,
        ["objectTypes"] = new JsonArray([.. (objectTypes.Length == 0 ? ["TICKET"] : objectTypes).Select(t => (JsonNode)t)]),
        ["functions"] = new JsonArray(),
        ["inputFields"] = new JsonArray
        {
            new JsonObject
            {
                ["typeDefinition"] = new JsonObject { ["name"] = "reason", ["type"] = "string", ["fieldType"] = "textarea", ["options"] = new JsonArray() },
                ["supportedValueTypes"] = new JsonArray("STATIC_VALUE"),
                ["isRequired"] = true,
            },
        },
        ["outputFields"] = new JsonArray
        {
            new JsonObject
            {
                ["typeDefinition"] = new JsonObject
                {
                    ["name"] = "result", ["type"] = "string", ["fieldType"] = "text", ["options"] = new JsonArray(),
                    ["externalOptions"] = false, ["useChirp"] = false, ["schema"] = new JsonObject { ["type"] = "STRING" },
                },
            },
        },
        ["objectRequestOptions"] = new JsonObject { ["properties"] = new JsonArray("subject") },
        ["labels"] = new JsonObject { ["en"] = new JsonObject { ["actionName"] = "Escalate" } },
    };

    private static async Task<JsonNode> CreateAsync(Sandbox sandbox, JsonObject egg)
    {
        var response = await sandbox.Anonymous.PostAsJsonAsync(Actions(sandbox), egg);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    [Fact]
    public async Task Definition_is_created_patched_into_a_new_revision_and_archived()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var created = await CreateAsync(sandbox, Egg("https://app.example.com/run"));
        var id = created["id"].Str();
        Assert.Equal("1", created["revisionId"].Str());
        Assert.Equal("Escalate", created["labels"]!["en"]!["actionName"].Str());

        var patched = await sandbox.Anonymous.PatchAsJsonAsync(Actions(sandbox, $"/{id}"), new { actionUrl = "https://app.example.com/run2" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var patchedBody = await patched.Json();
        Assert.Equal("2", patchedBody["revisionId"].Str());
        Assert.Equal("https://app.example.com/run2", patchedBody["actionUrl"].Str());
        Assert.Equal("TICKET", patchedBody["objectTypes"]![0].Str());

        var revisions = await sandbox.GetJsonAsync(Actions(sandbox, $"/{id}/revisions"));
        Assert.Equal(["https://app.example.com/run", "https://app.example.com/run2"],
            revisions["results"]!.AsArray().Select(r => r!["definition"]!["actionUrl"].Str()));

        var list = await sandbox.GetJsonAsync(Actions(sandbox));
        Assert.Equal(id, Assert.Single(list["results"]!.AsArray())!["id"].Str());

        Assert.Equal(HttpStatusCode.NoContent, (await sandbox.Anonymous.DeleteAsync(Actions(sandbox, $"/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Anonymous.GetAsync(Actions(sandbox, $"/{id}"))).StatusCode);
        Assert.Empty((await sandbox.GetJsonAsync(Actions(sandbox)))["results"]!.AsArray());
        var archived = await sandbox.GetJsonAsync(Actions(sandbox) + "&archived=true");
        Assert.True(Assert.Single(archived["results"]!.AsArray())!["archivedAt"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Definition_missing_what_the_spec_requires_is_refused_with_HubSpots_validation_error()
    {
        await using var sandbox = await Sandbox.StartAsync();
        var egg = Egg("https://app.example.com/run");
        egg.Remove("functions");
        egg["outputFields"]![0]!["typeDefinition"]!.AsObject().Remove("schema");

        var response = await sandbox.Anonymous.PostAsJsonAsync(Actions(sandbox), egg);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("VALIDATION_ERROR", body["category"].Str());
        var fields = body["errors"]!.AsArray().Select(e => e!["in"].Str()).ToList();
        Assert.Contains("functions", fields);
        Assert.Contains("outputFields[0].typeDefinition.schema", fields);
        Assert.Empty((await sandbox.GetJsonAsync(Actions(sandbox)))["results"]!.AsArray());
    }

    [Theory]
    [InlineData("CONVERSATION")]
    [InlineData("ticket")]
    public async Task Definition_for_an_object_type_workflows_do_not_enroll_is_refused(string objectType)
    {
        await using var sandbox = await Sandbox.StartAsync();

        var response = await sandbox.Anonymous.PostAsJsonAsync(Actions(sandbox), Egg("https://app.example.com/run", objectType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("objectTypes[0]", (await response.Json())["errors"]![0]!["in"].Str());
    }

    [Fact]
    public async Task Definitions_need_the_developer_key_and_a_known_app()
    {
        await using var sandbox = await Sandbox.StartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await sandbox.Anonymous.GetAsync(Actions(sandbox, key: "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sandbox.Client.GetAsync($"automation/v4/actions/{sandbox.Options.AppId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await sandbox.Anonymous.GetAsync($"automation/v4/actions/999?hapikey={sandbox.Options.DeveloperApiKey}")).StatusCode);
    }

    [Fact]
    public async Task Execution_posts_HubSpots_request_signed_with_the_apps_secret_and_keeps_the_output_fields()
    {
        await using var endpoint = await ActionEndpoint.StartAsync();
        endpoint.Answer = _ => (200, """{"outputFields":{"hs_execution_state":"SUCCESS","result":"escalated"}}""");
        await using var sandbox = await Sandbox.StartAsync();
        var definition = await CreateAsync(sandbox, Egg(endpoint.Url));
        var actions = new WorkflowActionsAdminClient(sandbox.Admin);

        var execution = await actions.RunAsync(new ExecutionRequest(definition["id"].Str(), null, "TICKET", "401", new() { ["reason"] = "VIP" }, WorkflowId: 77));

        Assert.Equal("SUCCESS", execution.State);
        Assert.Equal("escalated", execution.OutputFields!["result"]);
        var call = Assert.Single(endpoint.Calls);
        var body = JsonNode.Parse(call.Body)!;
        Assert.Equal(execution.CallbackId, body["callbackId"].Str());
        Assert.Equal(sandbox.Options.PortalId, body["origin"]!["portalId"]!.GetValue<long>());
        Assert.Equal(long.Parse(definition["id"].Str(), System.Globalization.CultureInfo.InvariantCulture), body["origin"]!["actionDefinitionId"]!.GetValue<long>());
        Assert.Equal(1, body["origin"]!["actionDefinitionVersion"]!.GetValue<int>());
        Assert.Equal("WORKFLOWS", body["context"]!["source"].Str());
        Assert.Equal(77, body["context"]!["workflowId"]!.GetValue<long>());
        Assert.Equal(401, body["object"]!["objectId"]!.GetValue<long>());
        Assert.Equal("TICKET", body["object"]!["objectType"].Str());
        Assert.Equal("Refund for order #1042", body["object"]!["properties"]!["subject"].Str());
        Assert.Equal("VIP", body["inputFields"]!["reason"].Str());

        var timestamp = call.Headers["X-HubSpot-Request-Timestamp"];
        Assert.True(HubSpotSignatureV3.IsValid(call.Headers["X-HubSpot-Signature-v3"], sandbox.Options.ClientSecret, "POST", call.Url, call.Body, timestamp, DateTimeOffset.UtcNow));
        Assert.False(HubSpotSignatureV3.IsValid(call.Headers["X-HubSpot-Signature-v3"], "another-secret", "POST", call.Url, call.Body, timestamp, DateTimeOffset.UtcNow));
        Assert.Equal("v2", call.Headers["X-HubSpot-Signature-Version"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sandbox.Options.ClientSecret + "POST" + call.Url + call.Body))),
            call.Headers["X-HubSpot-Signature"]);
    }

    [Fact]
    public async Task Blocked_execution_waits_for_the_callbacks_api_which_needs_the_automation_scope()
    {
        await using var endpoint = await ActionEndpoint.StartAsync();
        endpoint.Answer = _ => (200, """{"outputFields":{"hs_execution_state":"BLOCK"}}""");
        await using var sandbox = await Sandbox.StartAsync();
        var definition = await CreateAsync(sandbox, Egg(endpoint.Url));
        var actions = new WorkflowActionsAdminClient(sandbox.Admin);
        var execution = await actions.RunAsync(new ExecutionRequest(definition["id"].Str(), null, "TICKET", "401", new() { ["reason"] = "later" }));
        Assert.Equal("BLOCK", execution.State);
        var completion = new { outputFields = new Dictionary<string, string> { ["hs_execution_state"] = "SUCCESS", ["result"] = "done" }, typedOutputs = new { } };

        var withoutScope = await sandbox.Client.PostAsJsonAsync($"automation/v4/actions/callbacks/{execution.CallbackId}/complete", completion);
        using var automation = sandbox.NewClient(await sandbox.CreateTokenAsync("automation"));
        var missingTypedOutputs = await automation.PostAsJsonAsync($"automation/v4/actions/callbacks/{execution.CallbackId}/complete",
            new { outputFields = new { result = "done" } });
        var completed = await automation.PostAsJsonAsync($"automation/v4/actions/callbacks/{execution.CallbackId}/complete", completion);
        var again = await automation.PostAsJsonAsync($"automation/v4/actions/callbacks/{execution.CallbackId}/complete", completion);
        var unknown = await automation.PostAsJsonAsync("automation/v4/actions/callbacks/ap-1-2-3-0/complete", completion);

        Assert.Equal(HttpStatusCode.Forbidden, withoutScope.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missingTypedOutputs.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var view = await actions.ExecutionAsync(execution.CallbackId);
        Assert.Equal("SUCCESS", view.State);
        Assert.Equal("done", view.OutputFields!["result"]);
    }

    [Fact]
    public async Task Execution_answered_429_is_redelivered_with_the_same_callback_id()
    {
        await using var endpoint = await ActionEndpoint.StartAsync();
        endpoint.Answer = i => i == 0 ? (429, "{}") : (200, """{"outputFields":{"hs_execution_state":"FAIL_CONTINUE","result":"no"}}""");
        await using var sandbox = await Sandbox.StartAsync();
        var definition = await CreateAsync(sandbox, Egg(endpoint.Url));
        var actions = new WorkflowActionsAdminClient(sandbox.Admin);

        var first = await actions.RunAsync(new ExecutionRequest(definition["id"].Str(), null, "TICKET", "401", new() { ["reason"] = "x" }));
        var second = await actions.RedeliverAsync(first.CallbackId);

        Assert.Equal("RETRY", first.State);
        Assert.Equal("FAIL_CONTINUE", second.State);
        Assert.Equal([429, 200], second.Attempts.Select(a => a.StatusCode));
        Assert.Equal(2, endpoint.Calls.Count);
        Assert.Single(endpoint.Calls.Select(c => JsonNode.Parse(c.Body)!["callbackId"].Str()).Distinct());
    }

    [Fact]
    public async Task Execution_is_refused_for_a_record_that_does_not_exist_or_a_missing_required_input()
    {
        await using var endpoint = await ActionEndpoint.StartAsync();
        await using var sandbox = await Sandbox.StartAsync();
        var definition = await CreateAsync(sandbox, Egg(endpoint.Url));
        var actions = new WorkflowActionsAdminClient(sandbox.Admin);

        var missingRecord = await Assert.ThrowsAsync<Admin.SandboxAdminException>(() =>
            actions.RunAsync(new ExecutionRequest(definition["id"].Str(), null, "TICKET", "999999", new() { ["reason"] = "x" })));
        var missingInput = await Assert.ThrowsAsync<Admin.SandboxAdminException>(() =>
            actions.RunAsync(new ExecutionRequest(definition["id"].Str(), null, "TICKET", "401", [])));
        var wrongType = await Assert.ThrowsAsync<Admin.SandboxAdminException>(() =>
            actions.RunAsync(new ExecutionRequest(definition["id"].Str(), null, "CONTACT", "101", new() { ["reason"] = "x" })));

        Assert.All(new[] { missingRecord, missingInput, wrongType }, e => Assert.Equal(400, e.StatusCode));
        Assert.Empty(endpoint.Calls);
    }
}
