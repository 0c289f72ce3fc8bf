using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deskbridge.Testing;

namespace Deskbridge.Tests.Security;

/// <summary>Sign-in and API-key attempts: limited per client, and a failure says nothing about which part was wrong.</summary>
public sealed class AttemptLimitTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Failed = "That email and password do not match an account.";

    private static HttpClient Browser(DeskbridgeTestHost host) => host.Browser();

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password, string path = "login") =>
        browser.PostSignInAsync(email, password, path);

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Too many attempts", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Sign_in_attempts_past_the_per_client_limit_get_429_problem_details()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinute"] = "3" });
        var email = await host.AddMemberAsync((await host.CreateOrganizationAsync()).Id, "Owner");
        using var browser = Browser(host);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInAsync(browser, email, "wrong-password-1")).StatusCode);
        }
        await AssertTooManyAsync(await SignInAsync(browser, email, People.Password));
        // Other spellings of the same page share the budget.
        await AssertTooManyAsync(await SignInAsync(browser, email, People.Password, "LOGIN/"));
        // The form itself still loads: only attempts are counted.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("login")).StatusCode);
    }

    [Fact]
    public async Task Api_key_attempts_past_the_per_client_limit_get_429_problem_details()
    {
        await using var host = await DeskbridgeTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Security:ApiKeyRequestsPerMinute"] = "3" });
        using var guesser = host.WithKey("dbk_guess");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("api/me")).StatusCode);
        }
        await AssertTooManyAsync(await guesser.GetAsync("api/me"));
    }

    [Fact]
    public async Task Unknown_email_and_wrong_password_read_the_same_and_take_about_as_long()
    {
        await using var host = await DeskbridgeTestHost.StartAsync();
        var email = await host.AddMemberAsync((await host.CreateOrganizationAsync()).Id, "Owner");
        using var browser = Browser(host);
        await SignInAsync(browser, "warm-up@example.com", "whatever-123"); // first hash computations and JIT

        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            foreach (var (who, times) in new[] { ($"nobody-{i}@example.com", unknown), (email, wrong) })
            {
                var page = await browser.GetStringAsync("login");
                var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["email"] = who,
                    ["password"] = "not-the-password-1",
                    ["__RequestVerificationToken"] = People.FormToken(page),
                });
                var clock = Stopwatch.StartNew();
                var response = await browser.PostAsync("login", form);
                times.Add(clock.Elapsed.TotalMilliseconds);
                Assert.Contains(Failed, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        output.WriteLine($"sign-in failure, median of 6: unknown email {Median(unknown):0.0} ms, wrong password {Median(wrong):0.0} ms");
        // Without the decoy hash an unknown email answers in a few ms against PBKDF2's tens of ms.
        Assert.True(Median(unknown) > Median(wrong) * 0.5, $"unknown email {Median(unknown):0.0} ms, wrong password {Median(wrong):0.0} ms");
    }

    [Fact]
    public async Task Many_wrong_passwords_do_not_lock_the_owner_out()
    {
        await using var host = await DeskbridgeTestHost.StartAsync();
        var email = await host.AddMemberAsync((await host.CreateOrganizationAsync()).Id, "Owner");
        using var outsider = Browser(host);
        for (var i = 0; i < 15; i++)
        {
            Assert.Contains(Failed, await (await SignInAsync(outsider, email, $"guess-{i}-abcdef")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var owner = Browser(host);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(owner, email, People.Password)).StatusCode);
    }
}
