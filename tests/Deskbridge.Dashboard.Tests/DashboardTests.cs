using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Deskbridge.Testing;
using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace Deskbridge.Dashboard.Tests;

/// <summary>The dashboard in Chromium against a real sandbox and a real Deskbridge.</summary>
public sealed partial class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private ConnectedWorld World => fixture.World;

    [Fact]
    public Task Sign_in_leads_to_the_owners_organizations() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/events"));
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await page.FillAsync("#email", fixture.OwnerEmail);
        await page.FillAsync("#password", "Wrong-password-1");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");

        await fixture.SignInAsync(page, fixture.OwnerEmail);
        await page.GotoAsync(fixture.Url(""));
        await Expect(page.Locator("main")).ToContainTextAsync("Demo Shop");
        await Expect(page.Locator("main")).ToContainTextAsync("Spare Shop");
        await page.ClickAsync("text=Sign out");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
    }, signedIn: false);

    [Fact]
    public Task Saving_credentials_names_every_problem_then_shows_portal_and_region() => fixture.RunAsync(async page =>
    {
        var settings = fixture.Url($"orgs/{fixture.Spare.Id}/settings");
        var sandbox = World.Sandbox.Options;
        var userId = sandbox.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        async Task SaveAsync(string token, string user)
        {
            await page.GotoAsync(settings);
            await page.EvalOnSelectorAsync("#credentials details", "d => d.open = true");
            await page.FillAsync("#accessToken", token);
            await page.FillAsync("#defaultUserId", user);
            await page.FillAsync("#apiBaseUrl", World.Sandbox.BaseAddress.ToString());
            await page.ClickAsync("#save-credentials");
        }

        // S2: the A- prefix, shown next to the field.
        await SaveAsync(sandbox.DemoToken, $"A-{userId}");
        await Expect(page.Locator("[data-field=defaultUserId]")).ToContainTextAsync("Enter the number only, without A-");
        await Expect(page.Locator("#check-result")).ToContainTextAsync("Not saved");

        // S2: not a pat-<region>- token at all.
        await SaveAsync("my-token", userId);
        await Expect(page.Locator("[data-field=accessToken]")).ToContainTextAsync("pat-<region>-");

        // S3: well-formed, but HubSpot does not know it.
        await SaveAsync("pat-na1-11111111-2222-4333-8444-555555555555", userId);
        await Expect(page.Locator("[data-field=accessToken]")).ToContainTextAsync("HubSpot does not accept this access token");
        await Expect(page.Locator("#connection-status")).ToContainTextAsync("Not connected");

        // S3/S4: a token without two scopes: saved, shown as partial, both scopes named.
        var limited = await World.CreateTokenAsync(Deskbridge.Organizations.RequiredScopes.All.Except(["tickets", "crm.objects.deals.read"]).ToArray());
        await SaveAsync(limited, userId);
        await Expect(page.Locator("#check-result")).ToContainTextAsync("Saved, but incomplete");
        await Expect(page.Locator("#missing-scopes")).ToContainTextAsync("tickets");
        await Expect(page.Locator("#missing-scopes")).ToContainTextAsync("crm.objects.deals.read");
        await Expect(page.Locator("#scopes li[data-scope='tickets']")).ToContainTextAsync("missing");
        await Expect(page.Locator("#scopes li[data-scope='conversations.read']")).ToContainTextAsync("✓");

        // Everything right: portal and region detected.
        await SaveAsync(sandbox.DemoToken, userId);
        await Expect(page.Locator("#check-result")).ToContainTextAsync("Saved and verified");
        await Expect(page.Locator("#portal-id")).ToHaveTextAsync(sandbox.PortalId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#region")).ToHaveTextAsync(sandbox.Region);
        await Expect(page.Locator("#connection-status")).ToContainTextAsync(sandbox.DemoToken[^4..]);
        Assert.DoesNotContain(sandbox.DemoToken, await page.ContentAsync(), StringComparison.Ordinal);
    });

    [Fact]
    public Task Retest_then_disconnect() => fixture.RunAsync(async page =>
    {
        var connect = await World.Deskbridge.Http.PutAsJsonAsync($"api/organizations/{fixture.Spare.Id}/hubspot", new
        {
            accessToken = World.Sandbox.Options.DemoToken,
            defaultUserId = World.Sandbox.Options.AiUserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            apiBaseUrl = World.Sandbox.BaseAddress.ToString(),
        });
        connect.EnsureSuccessStatusCode();

        await page.GotoAsync(fixture.Url($"orgs/{fixture.Spare.Id}/settings"));
        await page.ClickAsync("#retest");
        var result = page.Locator("#retest-result");
        await Expect(result).ToContainTextAsync("Token: accepted by HubSpot");
        await Expect(result).ToContainTextAsync("Scopes: all granted");
        await Expect(result).ToContainTextAsync("AI user: found");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#disconnect");
        await Expect(page.Locator("[role=status]").First).ToContainTextAsync("Disconnected");
        await Expect(page.Locator("#connection-status")).ToContainTextAsync("Not connected");
        var organization = await World.Deskbridge.Http.GetFromJsonAsync<Dictionary<string, object?>>($"api/organizations/{fixture.Spare.Id}");
        Assert.Null(organization!["connection"]);
    });

    [Fact]
    public Task Signatures_are_added_sanitized_and_removed() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/settings"));
        await page.FillAsync("#signature-domain", "not a domain!");
        await page.FillAsync("#signature-html", "<p>Hi</p>");
        await page.ClickAsync("#save-signature");
        await Expect(page.Locator("[data-field=domainPattern]")).ToBeVisibleAsync();

        await page.FillAsync("#signature-domain", "*.co.uk");
        await page.FillAsync("#signature-html", "<p>Cheers from <b>Demo Shop UK</b></p><script>alert('x')</script>");
        await page.ClickAsync("#save-signature");
        var row = page.Locator("#signature-list tr[data-domain='*.co.uk']");
        await Expect(row).ToContainTextAsync("Cheers from Demo Shop UK");
        Assert.DoesNotContain("alert(", await row.InnerHTMLAsync(), StringComparison.Ordinal);

        await row.Locator("button", new() { HasText = "Remove" }).ClickAsync();
        await Expect(page.Locator("#signature-list tr[data-domain='*.co.uk']")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Event_log_finds_a_threads_events_and_their_fate() => fixture.RunAsync(async page =>
    {
        var written = await World.CustomerWritesAsync("How long does shipping take?");
        // The thread's last event is HubSpot's webhook for our own reply: once it is settled, no more will come.
        var reply = await Eventually.UntilAsync(() => World.MessagesFromAsync(written.ThreadId, World.AiActor), m => m.Count == 1, what: "the AI's reply");
        var replyId = (string?)reply[0]["id"];
        var events = await Eventually.UntilAsync(() => World.SettledEventsAsync(written.ThreadId, atLeast: 1),
            e => e.Any(x => x.MessageId == replyId), what: "the settled event of the AI's own reply");

        await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/events"));
        await page.FillAsync("#event-search", written.ThreadId);
        await page.PressAsync("#event-search", "Enter");
        var rows = page.Locator("#events tbody tr");
        await Expect(rows).ToHaveCountAsync(events.Count);
        await Expect(rows.First).ToContainTextAsync(events[0].Fate!);

        // By event id: the events with that id. HubSpot's eventId is not unique (the sandbox repeats ids now and then, as
        // HubSpot does), so the page shows every event that carries it, no more and no fewer.
        var one = events.First(e => e.EventId is not null);
        var carrying = await World.Deskbridge.EventsAsync(World.Organization.Id, $"&eventId={Uri.EscapeDataString(one.EventId!)}");
        await page.FillAsync("#event-search", one.EventId!);
        await page.PressAsync("#event-search", "Enter");
        await Expect(page.Locator($"#events tbody tr[data-event-id='{one.EventId}']")).ToHaveCountAsync(carrying.Count);
        Assert.Contains(carrying, e => e.Id == one.Id);

        await page.FillAsync("#event-search", "no-such-event");
        await page.PressAsync("#event-search", "Enter");
        await Expect(page.Locator("#no-events")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Handoff_note_link_opens_the_session_with_its_transcript() => fixture.RunAsync(async page =>
    {
        var written = await World.CustomerWritesAsync("I want to talk to a human");
        var note = await Eventually.UntilAsync(
            async () => (await World.MessagesAsync(written.ThreadId)).Select(m => (string?)m["text"] ?? "").FirstOrDefault(t => t.StartsWith("🔄 AI decided to handoff", StringComparison.Ordinal)),
            text => text is not null, what: "the handoff note");
        var link = new Uri(SessionLink().Match(note!).Value);

        await page.GotoAsync(fixture.Url(link.AbsolutePath.TrimStart('/')));
        await Expect(page.Locator("h1")).ToContainTextAsync("Session");
        var customer = page.Locator("#transcript [data-speaker=Customer]");
        await Expect(customer.First).ToContainTextAsync("I want to talk to a human");
        await Expect(page.Locator("#session-state")).ToContainTextAsync("Handed off");
        await Expect(page.Locator("#handoff-notes")).ToContainTextAsync("AI decided to handoff");
    });

    [Fact]
    public Task Health_shows_the_connections_figures_and_chart() => fixture.RunAsync(async page =>
    {
        await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/health"));
        await Expect(page.Locator("#token-valid")).ToHaveTextAsync("valid");
        await Expect(page.Locator("#events-chart")).ToBeVisibleAsync();

        await page.GotoAsync(fixture.Url($"orgs/{World.Organization.Id}/setup"));
        await Expect(page.Locator("#setup-webhook-url")).ToHaveValueAsync(World.Organization.WebhookUrl);
    });

    [GeneratedRegex(@"https?://\S+/sessions/[0-9a-f-]{36}")]
    private static partial Regex SessionLink();
}
