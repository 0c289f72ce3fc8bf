using System.Net;
using System.Net.Http.Json;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Deskbridge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Deskbridge.Tests.Security;

/// <summary>S1: roles and tenant isolation through the admin API and the dashboard, on a real host.</summary>
public sealed class AccessControlTests : IAsyncLifetime
{
    private DeskbridgeTestHost _host = null!;
    private DeskbridgeApi.Organization _a = null!;
    private DeskbridgeApi.Organization _b = null!;

    public async Task InitializeAsync()
    {
        _host = await DeskbridgeTestHost.StartAsync();
        _a = await _host.CreateOrganizationAsync("Org A");
        _b = await _host.CreateOrganizationAsync("Org B");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Credentials => new { accessToken = "pat-na1-00000000-0000-0000-0000-000000000000", defaultUserId = "123" };

    [Fact]
    public async Task Member_can_read_but_not_change_credentials_or_settings()
    {
        using var member = await _host.SignInAsync(await _host.AddMemberAsync(_a.Id, "Member"));

        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"api/organizations/{_a.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"api/organizations/{_a.Id}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"orgs/{_a.Id}/settings")).StatusCode);

        var save = await member.PutAsJsonAsync($"api/organizations/{_a.Id}/hubspot", Credentials);
        Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
        Assert.Equal("application/problem+json", save.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.DeleteAsync($"api/organizations/{_a.Id}/hubspot")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PutAsJsonAsync($"api/organizations/{_a.Id}/settings", new { assistMode = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"api/organizations/{_a.Id}/webhook-url/rotate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync($"api/organizations/{_a.Id}/api-keys", new { name = "mine" })).StatusCode);

        // The dashboard's forms refuse too (the antiforgery token is valid; the role is not).
        var page = await member.GetStringAsync($"orgs/{_a.Id}/settings");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var post = await member.PostAsync($"orgs/{_a.Id}/settings?handler=Switches", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["assistMode"] = "true",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        var organization = await _host.GetJsonAsync<DeskbridgeApi.Organization>($"api/organizations/{_a.Id}");
        Assert.False(organization.AssistMode);
    }

    [Fact]
    public async Task Admin_can_change_settings_but_not_make_owners()
    {
        using var admin = await _host.SignInAsync(await _host.AddMemberAsync(_a.Id, "Admin"));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/organizations/{_a.Id}/settings", new { assistMode = true })).StatusCode);
        var makeOwner = await admin.PutAsJsonAsync($"api/organizations/{_a.Id}/members", new { email = $"x-{Guid.NewGuid():N}@example.com", password = People.Password, role = "Owner" });
        Assert.Equal(HttpStatusCode.Forbidden, makeOwner.StatusCode);
    }

    [Fact]
    public async Task The_last_owner_stays_an_owner_whether_asked_through_the_api_or_the_dashboard()
    {
        var email = await _host.AddMemberAsync(_b.Id, "Owner");
        using var owner = await _host.SignInAsync(email);

        var demote = await owner.PutAsJsonAsync($"api/organizations/{_b.Id}/members", new { email, password = People.Password, role = "Admin" });
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("last owner", await demote.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // The dashboard's form goes through the same service: same refusal, nothing changed.
        var page = await owner.GetStringAsync($"orgs/{_b.Id}/access");
        var post = await owner.PostAsync($"orgs/{_b.Id}/access?handler=Member", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = People.Password,
            ["role"] = "Admin",
            ["__RequestVerificationToken"] = People.FormToken(page),
        }));
        Assert.True(post.IsSuccessStatusCode || post.StatusCode == HttpStatusCode.Redirect, $"{(int)post.StatusCode}");
        var members = await _host.GetJsonAsync<List<MemberRow>>($"api/organizations/{_b.Id}/members");
        Assert.Equal("Owner", Assert.Single(members, m => m.Email == email).Role);
        var shown = await owner.GetStringAsync($"orgs/{_b.Id}/access");
        Assert.Contains("make someone else an owner first", shown, StringComparison.Ordinal);
    }

    private sealed record MemberRow(string UserId, string Email, string Role);

    [Fact]
    public async Task Member_of_one_organization_never_sees_another()
    {
        using var owner = await _host.SignInAsync(await _host.AddMemberAsync(_a.Id, "Owner"));
        var sessionOfB = await AddSessionAsync(_b.Id);

        foreach (var path in new[]
        {
            $"api/organizations/{_b.Id}", $"api/organizations/{_b.Id}/events", $"api/organizations/{_b.Id}/sessions/{sessionOfB}",
            $"api/organizations/{_b.Id}/members", $"api/organizations/{_b.Id}/api-keys", $"api/organizations/{_b.Id}/routing-rules",
            $"orgs/{_b.Id}/settings", $"orgs/{_b.Id}/events", $"orgs/{_b.Id}/health", $"orgs/{_b.Id}/setup", $"sessions/{sessionOfB}",
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PutAsJsonAsync($"api/organizations/{_b.Id}/hubspot", Credentials)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"api/organizations/{_b.Id}/hubspot")).StatusCode);

        var visible = await owner.GetFromJsonAsync<List<DeskbridgeApi.Organization>>("api/organizations", DeskbridgeTestHost.Json);
        Assert.Equal([_a.Id], visible!.Select(o => o.Id));
        var home = await owner.GetAsync("/");
        Assert.Equal($"/orgs/{_a.Id}/settings", home.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Organization_API_key_reaches_only_its_organization()
    {
        var (_, key) = await _host.CreateApiKeyAsync(_a.Id);
        using var script = _host.WithKey(key);

        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync($"api/organizations/{_a.Id}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.PutAsJsonAsync($"api/organizations/{_a.Id}/settings", new { ticketingEnabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await script.GetAsync($"api/organizations/{_b.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await script.PutAsJsonAsync($"api/organizations/{_b.Id}/settings", new { ticketingEnabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("api/organizations", new { name = "Sneaky" })).StatusCode);

        var (_, readOnly) = await _host.CreateApiKeyAsync(_a.Id, "Member");
        using var reader = _host.WithKey(readOnly);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"api/organizations/{_a.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"api/organizations/{_a.Id}/hubspot")).StatusCode);
    }

    [Fact]
    public async Task Revoked_key_is_rejected_and_only_its_hash_is_stored()
    {
        var (id, key) = await _host.CreateApiKeyAsync(_a.Id);
        using var script = _host.WithKey(key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync($"api/organizations/{_a.Id}")).StatusCode);

        var listed = await _host.Http.GetStringAsync($"api/organizations/{_a.Id}/api-keys");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var stored = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().ApiKeys.Single(k => k.Id == id);
            Assert.NotEqual(key, stored.Hash);
            Assert.DoesNotContain(key, stored.Hash, StringComparison.Ordinal);
        }

        (await _host.Http.DeleteAsync($"api/organizations/{_a.Id}/api-keys/{id}")).EnsureSuccessStatusCode();
        var refused = await script.GetAsync($"api/organizations/{_a.Id}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Nobody_gets_in_without_credentials_even_on_loopback()
    {
        using var anonymous = _host.WithKey(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/organizations/{_a.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/organizations", new { name = "Anon" })).StatusCode);
        using var wrongKey = _host.WithKey("not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync($"api/organizations/{_a.Id}/events")).StatusCode);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
        var page = await browser.GetAsync($"orgs/{_a.Id}/settings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_refused_on_the_sign_in_page_and_signs_nobody_in()
    {
        var email = await _host.AddMemberAsync(_a.Id, "Owner");
        using var browser = _host.Browser();

        var refused = await browser.PostSignInAsync(email, "Wrong-password-1");

        // The refusal itself: the form comes back (no redirect onward) with the alert that says the sign-in failed.
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Deskbridge.Dashboard.LoginModel.Failed), page, StringComparison.Ordinal);
        // And nothing was granted: the same client still meets the sign-in page.
        var dashboard = await browser.GetAsync($"orgs/{_a.Id}/settings");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/login", dashboard.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<Guid> AddSessionAsync(Guid organizationId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var session = new Session { OrganizationId = organizationId, ThreadId = Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture), CreatedAt = DateTimeOffset.UtcNow };
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    // The refusals themselves, as the organization-member policy answers them: ProblemDetails on the API, 404/403 (never
    // the cookie's access-denied redirect) on the dashboard.
    [Fact]
    public async Task Api_refusals_say_why_in_problem_details()
    {
        using var anonymous = _host.WithKey(null);
        await AssertProblemAsync(await anonymous.GetAsync($"api/organizations/{_a.Id}"), HttpStatusCode.Unauthorized, "Sign-in required");
        using var wrongKey = _host.WithKey("not-a-key");
        await AssertProblemAsync(await wrongKey.GetAsync($"api/organizations/{_a.Id}/events"), HttpStatusCode.Unauthorized, "API key not accepted");

        using var member = await _host.SignInAsync(await _host.AddMemberAsync(_a.Id, "Member"));
        var hidden = await AssertProblemAsync(await member.GetAsync($"api/organizations/{_b.Id}"), HttpStatusCode.NotFound, "Organization not found");
        Assert.Contains(_b.Id.ToString(), hidden.Detail, StringComparison.Ordinal);
        await AssertProblemAsync(await member.PostAsync($"api/organizations/{_a.Id}/webhook-url/rotate", null), HttpStatusCode.Forbidden, "Owners and admins only");

        var (_, key) = await _host.CreateApiKeyAsync(_a.Id);
        using var script = _host.WithKey(key);
        await AssertProblemAsync(await script.PostAsJsonAsync("api/organizations", new { name = "Sneaky" }), HttpStatusCode.Forbidden, "Not with an organization's API key");
    }

    [Fact]
    public async Task Dashboard_refusals_are_not_found_and_forbidden_never_a_redirect()
    {
        using var member = await _host.SignInAsync(await _host.AddMemberAsync(_a.Id, "Member"));
        var hidden = await member.GetAsync($"orgs/{_b.Id}/events");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Null(hidden.Headers.Location);

        // Refused before antiforgery is looked at: the role alone decides.
        var post = await member.PostAsync($"orgs/{_a.Id}/settings?handler=Rotate", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Null(post.Headers.Location);
    }

    private sealed record Problem(string? Title, string? Detail, int? Status);

    private static async Task<Problem> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(DeskbridgeTestHost.Json);
        Assert.Equal(title, problem!.Title);
        Assert.Equal((int)status, problem.Status);
        return problem;
    }
}
