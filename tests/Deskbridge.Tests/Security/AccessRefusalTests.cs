using System.Net;
using System.Net.Http.Json;
using Deskbridge.Tests.Infrastructure;

namespace Deskbridge.Tests.Security;

/// <summary>
/// S1's refusals, as the organization-member policy answers them: the admin API names the reason in ProblemDetails; the
/// dashboard answers 404/403 itself instead of the cookie's access-denied redirect.
/// </summary>
public sealed class AccessRefusalTests : IAsyncLifetime
{
    private DeskbridgeTestHost host = null!;
    private AdminApi.Organization a = null!;
    private AdminApi.Organization b = null!;

    public async Task InitializeAsync()
    {
        host = await DeskbridgeTestHost.StartAsync();
        a = await host.CreateOrganizationAsync("Org A");
        b = await host.CreateOrganizationAsync("Org B");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Api_refusals_say_why_in_problem_details()
    {
        using var anonymous = host.WithKey(null);
        await AssertProblemAsync(await anonymous.GetAsync($"api/organizations/{a.Id}"), HttpStatusCode.Unauthorized, "Sign-in required");
        using var wrongKey = host.WithKey("not-a-key");
        await AssertProblemAsync(await wrongKey.GetAsync($"api/organizations/{a.Id}/events"), HttpStatusCode.Unauthorized, "API key not accepted");

        using var member = await host.SignInAsync(await host.AddMemberAsync(a.Id, "Member"));
        var hidden = await AssertProblemAsync(await member.GetAsync($"api/organizations/{b.Id}"), HttpStatusCode.NotFound, "Organization not found");
        Assert.Contains(b.Id.ToString(), hidden.Detail, StringComparison.Ordinal);
        await AssertProblemAsync(await member.PostAsync($"api/organizations/{a.Id}/webhook-url/rotate", null), HttpStatusCode.Forbidden, "Owners and admins only");

        var (_, key) = await host.CreateApiKeyAsync(a.Id);
        using var script = host.WithKey(key);
        await AssertProblemAsync(await script.PostAsJsonAsync("api/organizations", new { name = "Sneaky" }), HttpStatusCode.Forbidden, "Not with an organization's API key");
    }

    [Fact]
    public async Task Dashboard_refusals_are_not_found_and_forbidden_never_a_redirect()
    {
        using var member = await host.SignInAsync(await host.AddMemberAsync(a.Id, "Member"));
        var hidden = await member.GetAsync($"orgs/{b.Id}/events");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Null(hidden.Headers.Location);

        // Refused before antiforgery is looked at: the role alone decides.
        var post = await member.PostAsync($"orgs/{a.Id}/settings?handler=Rotate", new FormUrlEncodedContent([]));
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
