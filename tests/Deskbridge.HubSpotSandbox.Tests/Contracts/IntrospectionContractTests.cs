using System.Net;
using System.Net.Http.Json;
using Deskbridge.HubSpotSandbox.Tests.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Tests.Contracts;

/// <summary>Token introspection (no scope, no credentials) and account details (scope oauth).</summary>
public sealed class IntrospectionContractTests
{
    [Fact]
    public async Task Access_token_info_answers_ids_as_numbers_and_needs_a_token_key_string()
    {
        await using var sandbox = await Sandbox.StartAsync();

        var info = await sandbox.Anonymous.PostAsJsonAsync("oauth/v2/private-apps/get/access-token-info", new { tokenKey = sandbox.Options.DemoToken });
        var missing = await sandbox.Anonymous.PostAsJsonAsync("oauth/v2/private-apps/get/access-token-info", new { });
        var number = await sandbox.Anonymous.PostAsJsonAsync("oauth/v2/private-apps/get/access-token-info", new { tokenKey = 1 });
        var unknown = await sandbox.Anonymous.PostAsJsonAsync("oauth/v2/private-apps/get/access-token-info", new { tokenKey = "pat-na1-unknown" });

        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        var body = Expect.Fields(await info.Json(), "token info", ("userId", Json.WholeNumber), ("hubId", Json.WholeNumber), ("appId", Json.WholeNumber), ("scopes", Json.Array));
        Assert.All(body["scopes"]!.AsArray(), s => Expect.Is(s, Json.Text, "scopes[]"));
        await Expect.InvalidAsync(missing, "tokenKey", "REQUIRED");
        await Expect.InvalidAsync(number, "tokenKey", "INVALID_TYPE");
        await Expect.ErrorAsync(unknown, HttpStatusCode.NotFound, "OBJECT_NOT_FOUND");
    }

    [Fact]
    public async Task Account_details_answer_every_required_field_and_need_the_oauth_scope()
    {
        await using var sandbox = await Sandbox.StartAsync();
        using var withoutOauth = sandbox.NewClient(await sandbox.CreateTokenAsync("tickets", "conversations.read"));

        var details = await sandbox.GetJsonAsync("account-info/v3/details", sandbox.Client);
        var refused = await withoutOauth.GetAsync("account-info/v3/details");

        Expect.Fields(details, "PortalInformationResponse", ("portalId", Json.WholeNumber), ("accountType", Json.Text), ("timeZone", Json.Text),
            ("companyCurrency", Json.Text), ("additionalCurrencies", Json.Array), ("utcOffset", Json.Text), ("utcOffsetMilliseconds", Json.WholeNumber),
            ("uiDomain", Json.Text), ("dataHostingLocation", Json.Text));
        Expect.OneOf(details["accountType"], "accountType", "APP_DEVELOPER", "DEVELOPER_TEST", "SANDBOX", "STANDARD");
        var error = await Expect.ErrorAsync(refused, HttpStatusCode.Forbidden, "MISSING_SCOPES");
        Assert.Contains("oauth", error["errors"]![0]!["context"]!["requiredGranularScopes"]!.AsArray().Select(s => (string?)s));
    }
}
