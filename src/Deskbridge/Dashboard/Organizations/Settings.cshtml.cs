using Deskbridge.Handoff;
using Deskbridge.Organizations;
using Deskbridge.Signatures;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>HubSpot settings: webhook URL, credentials (S2–S4, S8, S9), autopilot and switches (S5, S6), routing rules.</summary>
public sealed partial class SettingsModel(
    ConnectionService connections, EmailSignatureService signatures, WebhookUrls urls,
    OrganizationSettings settings, WebhookUrlRotation rotation, Disconnection disconnection, DeskbridgeDb db,
    HubSpotApp.HubSpotAppInstaller installer, HubSpotApp.PortalUsers portalUsers, Microsoft.Extensions.Options.IOptions<HubSpotApp.HubSpotAppOptions> app) : OrganizationPage
{
    protected override string Section => "settings";

    /// <summary>The operator configured the OAuth app: "Install in HubSpot" is offered beside the private-app form.</summary>
    public bool AppConfigured => app.Value.IsConfigured;

    /// <summary>The connection was made by installing the app (OAuth), not with a private-app token.</summary>
    public bool ViaApp { get; private set; }

    /// <summary>U2: the portal's users to choose the AI user from; null when not loaded (or not listable, see <see cref="AiUsersProblem"/>).</summary>
    public IReadOnlyList<HubSpotApp.PortalUser>? AiUsers { get; private set; }
    public string? AiUsersProblem { get; private set; }

    /// <summary>The private-app path lists the users on request (the AI user stays typeable); the app path always.</summary>
    [BindProperty(SupportsGet = true)]
    public bool PickAiUser { get; set; }

    public async Task<IActionResult> OnPostInstallAsync(CancellationToken ct)
    {
        if (!AppConfigured || Accounts.OrganizationAccess.PersonId(User) is not { } person)
        {
            return Done("The HubSpot app is not configured on this Deskbridge (HubSpot:App).", "warn");
        }
        return Redirect((await installer.StartAsync(Organization.Id, person, Request, ct)).ToString());
    }

    public async Task<IActionResult> OnPostChooseAiUserAsync(long? aiUserId, CancellationToken ct)
    {
        if (aiUserId is not > 0)
        {
            return Done("Choose a user from the list.", "warn");
        }
        return await portalUsers.ChooseAsync(Organization.Id, aiUserId.Value, ct) is { } problem
            ? Done(problem, "bad")
            : Done($"The AI now answers as user {aiUserId} (A-{aiUserId}).");
    }

    public HubSpotConnection? Connection { get; private set; }
    public string WebhookUrl { get; private set; } = "";
    public List<RoutingRule> RoutingRules { get; private set; } = [];

    /// <summary>The outcome of the save or re-test just made, shown inline.</summary>
    public ConnectionCheck? Check { get; private set; }
    public string? CheckKind { get; private set; }

    /// <summary>The outcome of the re-test just made (S8).</summary>
    public ConnectionRetest? Retest { get; private set; }

    [BindProperty]
    public string? AccessToken { get; set; }

    [BindProperty]
    public string? DefaultUserId { get; set; }

    [BindProperty]
    public string? ClientSecret { get; set; }

    [BindProperty]
    public string? ApiBaseUrl { get; set; }

    /// <summary>The "remove the saved client secret" box: an empty secret field alone keeps the saved one.</summary>
    [BindProperty]
    public bool RemoveClientSecret { get; set; }

    public Dictionary<string, string[]> RoutingErrors { get; private set; } = [];

    public List<EmailSignature> Signatures { get; private set; } = [];

    /// <summary>The signature form as typed, with its errors, when a save was refused.</summary>
    public string? SignatureDomain { get; private set; }
    public string? SignatureHtml { get; private set; }
    public IReadOnlyDictionary<string, string[]> SignatureErrors { get; private set; } = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnPostSaveSignatureAsync(string? domainPattern, string? html, CancellationToken ct)
    {
        var saved = await signatures.SaveAsync(Organization.Id, domainPattern, html, ct);
        if (saved.Signature is { } signature)
        {
            return Done($"Signature for {signature.DomainPattern} saved.");
        }
        SignatureDomain = domainPattern;
        SignatureHtml = html;
        SignatureErrors = saved.Errors;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteSignatureAsync(Guid signatureId, CancellationToken ct) =>
        await signatures.DeleteAsync(Organization.Id, signatureId, ct) ? Done("Signature removed.") : Done("That signature was already gone.", "warn");

    public IReadOnlyList<string> MissingScopes =>
        Retest is { Errors.Count: 0 } ? Retest.MissingScopes : Check is { CanSave: true } ? Check.MissingScopes : Connection?.MissingScopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public string[] FieldErrors(string field) =>
        Check?.Errors.TryGetValue(field, out var messages) == true ? messages : Retest?.Errors.TryGetValue(field, out var retestMessages) == true ? retestMessages : [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSaveCredentialsAsync(CancellationToken ct)
    {
        var organization = await db.Organizations.SingleAsync(o => o.Id == Organization.Id, ct);
        Check = await connections.SaveAsync(organization, new CredentialsForm(AccessToken, DefaultUserId, ClientSecret, ApiBaseUrl, RemoveClientSecret), ct);
        CheckKind = "save";
        AccessToken = null;
        ClientSecret = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRetestAsync(CancellationToken ct)
    {
        Retest = await connections.RetestAsync(Organization.Id, Health.ConnectionHealthService.WebhookSilenceWarning, ct);
        if (Retest is null)
        {
            return Done("There are no saved credentials to re-test.", "warn");
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDisconnectAsync(CancellationToken ct)
    {
        var viaApp = await db.HubSpotAppGrants.AnyAsync(g => g.OrganizationId == Organization.Id, ct);
        if (!await disconnection.DisconnectAsync(Organization.Id, ct))
        {
            return Done("There was no HubSpot connection to remove.");
        }
        return Done(viaApp
            ? "Uninstalled: the app's access was revoked in HubSpot and its tokens erased here. Sessions and the event log are kept."
            : "Disconnected: the credentials are erased and new events are recorded as \"organization disconnected\". Sessions and the event log are kept. Remove the webhook subscriptions from your HubSpot app too.");
    }

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken ct)
    {
        await rotation.RotateAsync(Organization.Id, ct);
        return Done("New webhook URL. Paste it into your HubSpot app's Webhooks tab; the previous URL keeps working for a grace period.");
    }

    /// <summary>The switches form's refusals (an unknown channel), from ModelState.</summary>
    public IEnumerable<string> SwitchErrors =>
        ModelState.TryGetValue("autopilotChannels", out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : [];

    public async Task<IActionResult> OnPostSwitchesAsync(string[]? autopilot, bool assistMode, bool ticketingEnabled, bool answerOnlyAssignedThreads, CancellationToken ct)
    {
        // An unticked box is absent from the form: no channels means autopilot off everywhere, not "unchanged".
        var result = await settings.UpdateAsync(Organization.Id, new SettingsUpdate(autopilot ?? [], assistMode, ticketingEnabled, answerOnlyAssignedThreads), ct);
        if (result.Organization is null)
        {
            foreach (var (field, messages) in result.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field, message);
                }
            }
            await LoadAsync(ct);
            return Page();
        }
        return Done("Autopilot and switches saved.");
    }

    public sealed class RuleRow
    {
        public string? Channel { get; set; }
        public string? Language { get; set; }
        public string? Keywords { get; set; }
        public string? AssignToUserId { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(Channel) && string.IsNullOrWhiteSpace(Language)
            && string.IsNullOrWhiteSpace(Keywords) && string.IsNullOrWhiteSpace(AssignToUserId);

        /// <summary>The form's text boxes as the rule the API takes; a user id that is not a number is left out, so validation names it.</summary>
        public RoutingRuleInput ToInput() => new(
            Channel,
            Language,
            (Keywords ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            long.TryParse(AssignToUserId?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var userId) ? userId : null);
    }

    public async Task<IActionResult> OnPostRoutingRulesAsync(List<RuleRow>? rules, CancellationToken ct)
    {
        var inputs = (rules ?? []).Where(r => !r.IsEmpty).Select(r => r.ToInput()).ToList();
        foreach (var (position, problems) in RoutingRuleSet.Validate(inputs))
        {
            RoutingErrors[$"{position}"] = problems;
        }
        if (RoutingErrors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        var parsed = await RoutingRuleSet.ReplaceAsync(db, Organization.Id, inputs, ct);
        return Done($"{parsed.Count} routing rule(s) saved.");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var organization = Organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == Organization.Id, ct);
        ViewData["Organization"] = organization;
        Connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == Organization.Id, ct);
        WebhookUrl = urls.For(organization, Request).ToString();
        Signatures = await signatures.ListAsync(Organization.Id, ct);
        RoutingRules = await db.RoutingRules.AsNoTracking().Where(r => r.OrganizationId == Organization.Id).OrderBy(r => r.Position).ToListAsync(ct);
        ViaApp = Connection is not null && await db.HubSpotAppGrants.AsNoTracking().AnyAsync(g => g.OrganizationId == Organization.Id, ct);
        if (Connection is not null && (ViaApp || PickAiUser))
        {
            (AiUsers, AiUsersProblem) = await portalUsers.ListAsync(Organization.Id, ct);
        }
        if (Connection is not null && CheckKind != "save")
        {
            DefaultUserId ??= Connection.DefaultUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ApiBaseUrl ??= Connection.ApiBaseUrl;
        }
    }
}
