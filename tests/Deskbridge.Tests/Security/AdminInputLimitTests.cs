using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Accounts;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Security;

/// <summary>Every admin input has a limit (InputLimits): over it, 400 naming the limit, and nothing is stored.</summary>
public sealed class AdminInputLimitTests : IAsyncLifetime
{
    private DeskbridgeTestHost _host = null!;
    private DeskbridgeApi.Organization _org = null!;

    public async Task InitializeAsync()
    {
        _host = await DeskbridgeTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<string?> RefusedAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (string?)problem["errors"]?[field]?[0];
    }

    [Fact]
    public async Task Api_key_name_over_the_limit_is_refused_and_no_key_is_made()
    {
        var response = await _host.Http.PostAsJsonAsync($"api/organizations/{_org.Id}/api-keys", new { name = new string('k', 100_000), role = "Admin" });

        Assert.Contains($"limit of {InputLimits.ApiKeyName}", await RefusedAsync(response, "name"), StringComparison.Ordinal);
        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_org.Id}/api-keys"));
    }

    [Fact]
    public async Task Asking_for_an_owner_api_key_is_refused_not_downgraded()
    {
        var response = await _host.Http.PostAsJsonAsync($"api/organizations/{_org.Id}/api-keys", new { name = "deploy", role = "Owner" });

        Assert.Contains("Admin or Member", await RefusedAsync(response, "role"), StringComparison.Ordinal);
        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_org.Id}/api-keys"));
    }

    [Fact]
    public async Task Organization_name_over_the_limit_is_refused()
    {
        var response = await _host.Http.PostAsJsonAsync("api/organizations", new { name = new string('n', InputLimits.OrganizationName + 1) });

        Assert.Contains($"limit of {InputLimits.OrganizationName}", await RefusedAsync(response, "name"), StringComparison.Ordinal);
        Assert.Single(await _host.GetJsonAsync<JsonArray>("api/organizations"));
    }

    [Fact]
    public async Task Member_email_over_the_limit_is_refused_and_no_one_is_added()
    {
        var email = new string('e', InputLimits.Email) + "@example.com";
        var response = await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/members", new { email, password = People.Password, role = "Member" });

        Assert.Contains($"limit of {InputLimits.Email}", await RefusedAsync(response, "email"), StringComparison.Ordinal);
        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_org.Id}/members"));
    }

    [Fact]
    public async Task Roles_that_do_not_exist_are_refused_for_members_and_keys()
    {
        var member = await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/members", new { email = "someone@example.com", password = People.Password, role = 7 });
        Assert.NotNull(await RefusedAsync(member, "role"));
        var key = await _host.Http.PostAsJsonAsync($"api/organizations/{_org.Id}/api-keys", new { name = "x", role = 7 });
        Assert.NotNull(await RefusedAsync(key, "role"));

        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_org.Id}/members"));
        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_org.Id}/api-keys"));
    }

    [Fact]
    public async Task Routing_rules_over_the_count_or_keyword_limits_are_refused_and_the_old_rules_stay()
    {
        var put = await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/routing-rules", new[] { new { keywords = new[] { "refund" }, assignToUserId = 1 } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var tooMany = Enumerable.Range(0, InputLimits.RoutingRules + 1).Select(_ => new { keywords = new[] { "x" }, assignToUserId = 1 }).ToArray();
        Assert.Contains($"at most {InputLimits.RoutingRules}",
            await RefusedAsync(await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/routing-rules", tooMany), $"rules[{InputLimits.RoutingRules}]"), StringComparison.Ordinal);

        var longKeyword = new[] { new { keywords = new[] { new string('w', InputLimits.Keyword + 1) }, assignToUserId = 1 } };
        Assert.Contains($"limit of {InputLimits.Keyword}",
            await RefusedAsync(await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/routing-rules", longKeyword), "rules[0]"), StringComparison.Ordinal);

        var manyKeywords = new[] { new { keywords = Enumerable.Range(0, InputLimits.KeywordsPerRule + 1).Select(i => $"k{i}").ToArray(), assignToUserId = 1 } };
        Assert.Contains($"at most {InputLimits.KeywordsPerRule}",
            await RefusedAsync(await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/routing-rules", manyKeywords), "rules[0]"), StringComparison.Ordinal);

        var rules = await _host.GetJsonAsync<JsonArray>($"api/organizations/{_org.Id}/routing-rules");
        Assert.Equal("refund", (string?)Assert.Single(rules)!["keywords"]![0]);
    }

    [Fact]
    public async Task Signature_html_and_domain_pattern_over_the_limit_are_refused()
    {
        var html = await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/signatures", new { domainPattern = "open.cx", html = new string('h', InputLimits.SignatureHtml + 1) });
        Assert.Contains($"{InputLimits.SignatureHtml}", await RefusedAsync(html, "html"), StringComparison.Ordinal);

        var pattern = await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/signatures", new { domainPattern = new string('d', 100_000) + ".cx", html = "<p>Hi</p>" });
        Assert.Contains($"limit of {InputLimits.DomainPattern}", await RefusedAsync(pattern, "domainPattern"), StringComparison.Ordinal);

        Assert.Empty(await _host.GetJsonAsync<JsonArray>($"api/organizations/{_org.Id}/signatures"));
    }

    [Fact]
    public async Task Credentials_fields_over_the_limit_are_refused_before_hubspot_is_asked()
    {
        var response = await _host.Http.PutAsJsonAsync($"api/organizations/{_org.Id}/hubspot", new
        {
            accessToken = "pat-na1-" + new string('a', 100_000),
            defaultUserId = "123",
            clientSecret = new string('s', InputLimits.ClientSecret + 1),
        });

        Assert.Contains($"limit of {InputLimits.AccessToken}", await RefusedAsync(response, "accessToken"), StringComparison.Ordinal);
        Assert.Null((await _host.GetJsonAsync<JsonObject>($"api/organizations/{_org.Id}"))["connection"]);
    }
}
