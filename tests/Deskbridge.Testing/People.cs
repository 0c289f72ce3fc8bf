using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Deskbridge.Testing;

/// <summary>People and API keys of an organization, as an owner sets them up and as the people then use Deskbridge.</summary>
public static partial class People
{
    public const string Password = "Correct-horse-42";

    /// <summary>Adds (creating if needed) a person with this role, through the operator key.</summary>
    public static async Task<string> AddMemberAsync(this DeskbridgeTestHost host, Guid organizationId, string role, string? email = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var response = await host.Http.PutAsJsonAsync($"api/organizations/{organizationId}/members", new { email, password = Password, role });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return email;
    }

    /// <summary>A client that keeps cookies and does not follow redirects, as a browser's first request would show them.</summary>
    public static HttpClient Browser(this DeskbridgeTestHost host) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Loads the sign-in form and posts it (with its antiforgery token) to <paramref name="path"/>; answers the raw response.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(this HttpClient browser, string email, string password, string path = "login")
    {
        var page = await browser.GetStringAsync("login");
        return await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["__RequestVerificationToken"] = FormToken(page),
        }));
    }

    /// <summary>The antiforgery token a rendered form carries.</summary>
    public static string FormToken(string page) => AntiforgeryToken().Match(page).Groups[1].Value;

    /// <summary>An HTTP client signed in through the login page (cookie), without the operator key.</summary>
    public static async Task<HttpClient> SignInAsync(this DeskbridgeTestHost host, string email, string password = Password)
    {
        var client = host.Browser();
        var response = await client.PostSignInAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in failed: {(int)response.StatusCode}");
        return client;
    }

    /// <summary>A client that sends only this key.</summary>
    public static HttpClient WithKey(this DeskbridgeTestHost host, string? key)
    {
        var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }

    public static async Task<(Guid Id, string Key)> CreateApiKeyAsync(this DeskbridgeTestHost host, Guid organizationId, string role = "Admin")
    {
        var response = await host.Http.PostAsJsonAsync($"api/organizations/{organizationId}/api-keys", new { name = "script", role });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var created = (await response.Content.ReadFromJsonAsync<CreatedKey>(DeskbridgeTestHost.Json))!;
        return (created.Id, created.Key);
    }

    private sealed record CreatedKey(Guid Id, string Key);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
