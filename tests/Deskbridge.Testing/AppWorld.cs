using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Deskbridge.HubSpotSandbox;
using Deskbridge.HubSpotSandbox.Admin;
using Deskbridge.HubSpotSandbox.OAuth;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.Simulation;

namespace Deskbridge.Testing;

/// <summary>
/// The OAuth app path, as an operator and a customer would run it: a sandbox with a public app whose redirect URL and
/// app webhook target are this Deskbridge's (a port chosen before it starts, so the app can be registered first), a
/// Deskbridge configured with the app's credentials, and an organization (with the demo knowledge base) and its owner. <see cref="InstallAsync"/> goes
/// through the install as a browser would (settings form, HubSpot's consent page, the callback), over plain HTTP.
/// </summary>
public sealed class AppWorld : IAsyncDisposable
{
    private AppWorld(HubSpotSandboxServer sandbox, DeskbridgeTestHost deskbridge, OAuthAppView app, DeskbridgeApi.Organization organization, string ownerEmail,
        IReadOnlyDictionary<string, string?> settings)
    {
        Settings = settings;
        Sandbox = sandbox;
        Deskbridge = deskbridge;
        App = app;
        Organization = organization;
        OwnerEmail = ownerEmail;
        SandboxHttp = new HttpClient { BaseAddress = sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        SandboxAdmin = new SandboxAdminClient(SandboxHttp);
    }

    public HubSpotSandboxServer Sandbox { get; }
    public DeskbridgeTestHost Deskbridge { get; }
    public OAuthAppView App { get; }
    public DeskbridgeApi.Organization Organization { get; }
    public string OwnerEmail { get; }
    public HttpClient SandboxHttp { get; }
    public SandboxAdminClient SandboxAdmin { get; }
    public string AiActor => $"A-{Sandbox.Options.AiUserId}";

    /// <summary>The configuration Deskbridge was started with (the app's credentials, the sandbox's addresses): a second instance takes the same.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }
    public string SettingsPath => $"orgs/{Organization.Id}/settings";

    /// <param name="accessTokenLifetimeSeconds">HubSpot's is 1800; the refresh tests shorten it.</param>
    public static async Task<AppWorld> StartAsync(int? accessTokenLifetimeSeconds = null, IDictionary<string, string?>? settings = null)
    {
        var sandbox = await HubSpotSandboxServer.StartAsync(new SandboxOptions { WebhookMaxConcurrentRequests = 100, WebhookRetryWindow = TimeSpan.FromSeconds(200) });
        var port = FreePort();
        var deskbridgeBase = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
        using var admin = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var app = await new SandboxAdminClient(admin).CreateOAuthAppAsync(new OAuthAppCreate(
            AppId: null, ClientId: Guid.NewGuid().ToString(), ClientSecret: $"app-secret-{Guid.NewGuid():N}", Name: "Deskbridge",
            RedirectUris: [deskbridgeBase + "hubspot/oauth/callback"], Scopes: [.. Organizations.RequiredScopes.All], OptionalScopes: null,
            AccessTokenLifetimeSeconds: accessTokenLifetimeSeconds, WebhookTargetUrl: deskbridgeBase + "webhooks/hubspot-app",
            Subscriptions: [new PortalSubscription("conversation.creation"), new PortalSubscription("conversation.newMessage")]));

        var values = new Dictionary<string, string?>
        {
            ["HubSpot:App:ClientId"] = app.ClientId,
            ["HubSpot:App:ClientSecret"] = app.ClientSecret,
            ["HubSpot:App:AppId"] = app.AppId.ToString(CultureInfo.InvariantCulture),
            ["HubSpot:BaseUrl"] = sandbox.BaseAddress.ToString(),
            ["HubSpot:AuthorizeUrl"] = new Uri(sandbox.BaseAddress, "oauth/authorize").ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var deskbridge = await DeskbridgeTestHost.StartAsync(settings: values, port: port);
        var organization = await deskbridge.CreateOrganizationAsync("Demo Shop", slug: "demo");
        var owner = await deskbridge.AddMemberAsync(organization.Id, "Owner", $"owner-{Guid.NewGuid():N}@example.com");
        return new AppWorld(sandbox, deskbridge, app, organization, owner, values);
    }

    /// <summary>Owner signs in, clicks "Install in HubSpot", picks the portal on HubSpot's page and comes back; answers where the callback sent them.</summary>
    public async Task<Uri> InstallAsync(long? portalId = null, HttpClient? browser = null)
    {
        browser ??= await Deskbridge.SignInAsync(OwnerEmail);
        var authorize = await StartInstallAsync(browser);
        var callback = await ConsentAsync(authorize, portalId ?? Sandbox.Options.PortalId);
        var landed = await browser.GetAsync(callback.PathAndQuery.TrimStart('/'));
        Assert.True(landed.StatusCode == HttpStatusCode.Redirect, $"callback answered {(int)landed.StatusCode}: {await landed.Content.ReadAsStringAsync()}");
        return landed.Headers.Location!;
    }

    /// <summary>The settings form's Install button: answers HubSpot's authorize URL Deskbridge redirected to.</summary>
    public async Task<Uri> StartInstallAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync(SettingsPath);
        var started = await browser.PostAsync(SettingsPath + "?handler=Install",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = People.FormToken(page) }));
        Assert.True(started.StatusCode == HttpStatusCode.Redirect, $"install answered {(int)started.StatusCode}");
        return started.Headers.Location!;
    }

    /// <summary>HubSpot's consent page: the account chosen, "Connect app" clicked; answers the redirect back to Deskbridge.</summary>
    public async Task<Uri> ConsentAsync(Uri authorize, long portalId, string decision = "allow")
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Sandbox.BaseAddress };
        var page = await client.GetAsync(authorize);
        Assert.True(page.IsSuccessStatusCode, $"authorize page answered {(int)page.StatusCode}: {await page.Content.ReadAsStringAsync()}");
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        var consent = await client.PostAsync("oauth/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = query["client_id"]!, ["redirect_uri"] = query["redirect_uri"]!, ["scope"] = query["scope"]!, ["state"] = query["state"]!,
            ["portal_id"] = portalId.ToString(CultureInfo.InvariantCulture), ["decision"] = decision,
        }));
        Assert.True(consent.StatusCode == HttpStatusCode.Redirect, $"consent answered {(int)consent.StatusCode}: {await consent.Content.ReadAsStringAsync()}");
        return consent.Headers.Location!;
    }

    /// <summary>The settings page's AI user list: picks <paramref name="userId"/> (default: the portal's AI user).</summary>
    public async Task ChooseAiUserAsync(HttpClient browser, long? userId = null)
    {
        var page = await browser.GetStringAsync(SettingsPath);
        Assert.Contains("id=\"ai-user-select\"", page, StringComparison.Ordinal);
        var chosen = await browser.PostAsync(SettingsPath + "?handler=ChooseAiUser", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = People.FormToken(page),
            ["aiUserId"] = (userId ?? Sandbox.Options.AiUserId).ToString(CultureInfo.InvariantCulture),
        }));
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
    }

    /// <summary>Installed on the default portal with the AI user chosen: app webhooks now reach the organization's inbox.</summary>
    public async Task<HttpClient> InstallAndChooseAiUserAsync()
    {
        var browser = await Deskbridge.SignInAsync(OwnerEmail);
        await InstallAsync(browser: browser);
        await ChooseAiUserAsync(browser);
        return browser;
    }

    public async Task<CustomerMessageResponse> CustomerWritesAsync(string text, string? threadId = null, SandboxAdminClient? portal = null) =>
        await (portal ?? SandboxAdmin).CustomerWritesAsync(new CustomerMessageRequest("chat", threadId, $"customer-{Guid.NewGuid():N}@example.com",
            "Casey Customer", text, RichText: null, Subject: null, AssigneeUserId: null, Unassigned: null));

    public async Task<List<JsonObject>> MessagesFromAsync(string threadId, string actorId, SandboxAdminClient? portal = null) =>
        (await (portal ?? SandboxAdmin).MessagesAsync(threadId)).Where(m => (string?)m["senders"]?[0]?["actorId"] == actorId || (string?)m["createdBy"] == actorId).ToList();

    public async Task<JsonObject> ConnectionAsync() =>
        (await Deskbridge.Http.GetFromJsonAsync<JsonObject>($"api/organizations/{Organization.Id}"))!;

    public async ValueTask DisposeAsync()
    {
        SandboxHttp.Dispose();
        await Deskbridge.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
