using Deskbridge.Handoff;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Organizations;

/// <summary>S3: credentials are checked against HubSpot before they are kept, and whatever is wrong is named.</summary>
public sealed class ConnectionService(
    DeskbridgeDb db, HubSpotClient hubSpot, SecretProtector secrets, OrganizationDirectory directory, HandoffTag handoffTag,
    HubSpotAddressPolicy addresses, TimeProvider time, HubSpotApp.HubSpotAppTokens appTokens, HubSpotApp.HubSpotOAuthClient oauth,
    HubSpotApp.HubSpotAppInstaller appInstaller, Outcomes.OutcomePropertyCheck outcomeProperties)
{
    public async Task<ConnectionCheck> SaveAsync(Organization organization, CredentialsForm form, CancellationToken ct)
    {
        var errors = form.Validate();
        // SSRF: the token goes wherever the address points, so nothing is sent before the address is one the operator allows.
        if (!errors.ContainsKey("apiBaseUrl") && addresses.Problem(form.ApiBaseUrl) is { } addressProblem)
        {
            errors["apiBaseUrl"] = [addressProblem];
        }
        if (errors.Count > 0)
        {
            return ConnectionCheck.Invalid(errors);
        }

        var check = await VerifyAsync(form.Token, form.UserId, form.ApiBaseUrl, ct);
        if (!check.CanSave)
        {
            return check;
        }

        // Private-app credentials replace an app installation: its grant is revoked and erased, or its token would still be used.
        await appInstaller.UninstallAsync(organization.Id, ct);
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.OrganizationId == organization.Id, ct);
        if (connection is null)
        {
            connection = new HubSpotConnection { OrganizationId = organization.Id, EncryptedAccessToken = "", TokenLast4 = "" };
            db.Connections.Add(connection);
        }
        connection.EncryptedAccessToken = secrets.Protect(form.Token);
        connection.TokenLast4 = form.Token[^4..];
        if (!string.IsNullOrWhiteSpace(form.ClientSecret))
        {
            connection.EncryptedClientSecret = secrets.Protect(form.ClientSecret.Trim());
        }
        else if (form.RemoveClientSecret == true)
        {
            connection.EncryptedClientSecret = null;
        }
        connection.PortalId = check.PortalId!.Value;
        connection.Region = check.Region ?? form.Region;
        connection.DefaultUserId = form.UserId;
        connection.ApiBaseUrl = string.IsNullOrWhiteSpace(form.ApiBaseUrl) ? null : form.ApiBaseUrl.Trim();
        connection.MissingScopes = check.MissingScopes.Count == 0 ? null : string.Join(' ', check.MissingScopes);
        connection.ConnectedAt = time.GetUtcNow();
        connection.LastVerifiedAt = connection.ConnectedAt;
        await db.SaveChangesAsync(ct);
        directory.Invalidate(organization.Id);
        return check with { Saved = true, Region = connection.Region };
    }

    /// <summary>
    /// S8: the saved credentials checked again, as HubSpot sees them now, plus whether HubSpot has delivered webhooks
    /// lately. Scopes granted or revoked since are written back; nothing else changes. Null when not connected.
    /// </summary>
    public async Task<ConnectionRetest?> RetestAsync(Guid organizationId, TimeSpan webhookWindow, CancellationToken ct)
    {
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        if (connection is null)
        {
            return null;
        }
        // Saved before the address became the operator's, or since disallowed: the token is not sent there.
        if (addresses.Problem(connection.ApiBaseUrl) is { } addressProblem)
        {
            // TokenValid stays true: HubSpot never saw the token; the error names the address.
            return new ConnectionRetest(true, connection.PortalId, connection.Region, [], false, null, false, [],
                new Dictionary<string, string[]> { ["apiBaseUrl"] = [addressProblem] }, time.GetUtcNow());
        }
        var check = await db.HubSpotAppGrants.AnyAsync(g => g.OrganizationId == organizationId, ct)
            ? await VerifyAppAsync(organizationId, connection.DefaultUserId, ct)
            : await VerifyAsync(secrets.Unprotect(connection.EncryptedAccessToken), connection.DefaultUserId, connection.ApiBaseUrl, ct);
        var now = time.GetUtcNow();
        if (check.CanSave)
        {
            connection.MissingScopes = check.MissingScopes.Count == 0 ? null : string.Join(' ', check.MissingScopes);
            connection.LastVerifiedAt = now;
            await db.SaveChangesAsync(ct);
        }

        var lastEvent = await db.InboxEvents.AsNoTracking().Where(e => e.OrganizationId == organizationId)
            .OrderByDescending(e => e.Id).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefaultAsync(ct);
        var recent = lastEvent is { } at && now - at <= webhookWindow;
        var warnings = check.Warnings.Concat(check.Notes).ToList();
        if (check.PortalId is { } portal && portal != connection.PortalId)
        {
            warnings.Add($"The token now belongs to portal {portal}, not the connected portal {connection.PortalId}. Save the credentials again.");
        }
        if (!recent)
        {
            warnings.Add(lastEvent is { } last
                ? $"No webhook in the last {webhookWindow.TotalHours:0} h (the last arrived {last:u}). Check the webhook URL and subscriptions in the HubSpot app."
                : "HubSpot has never delivered a webhook to this organization. Paste the webhook URL into the HubSpot app and subscribe to the events.");
        }
        // A real portal leaves threads unassigned unless its inbox routes them: say so when that kept the AI quiet.
        // SQLite cannot compare DateTimeOffset in SQL: newest first, stop at the window's start.
        var since = now - webhookWindow;
        var ownershipSkips = 0;
        await foreach (var receivedAt in db.InboxEvents.AsNoTracking()
            .Where(e => e.OrganizationId == organizationId && e.Fate == EventFate.Skipped
                && e.Reason!.Contains(Conversations.ConversationMessageHandler.OwnershipSkipMark))
            .OrderByDescending(e => e.Id).Select(e => e.ReceivedAt).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (receivedAt < since)
            {
                break;
            }
            ownershipSkips++;
        }
        if (ownershipSkips > 0)
        {
            warnings.Add($"{ownershipSkips} customer message(s) in the last {webhookWindow.TotalHours:0} h were not answered because their thread was " +
                "unassigned or owned by someone other than the AI user. Route the inbox to the AI user (HubSpot: Inbox settings → Routing), " +
                "or turn off \"Answer only threads assigned to the AI user\"; see the setup guide.");
        }

        return new ConnectionRetest(
            TokenValid: !check.Errors.ContainsKey("accessToken"),
            PortalId: check.PortalId ?? connection.PortalId,
            Region: check.Region ?? connection.Region,
            MissingScopes: check.MissingScopes,
            AiUserExists: check.CanSave && !check.Warnings.Any(w => w.StartsWith($"The AI user {connection.DefaultUserId}", StringComparison.Ordinal)),
            LastWebhookAt: lastEvent,
            WebhooksRecent: recent,
            Warnings: warnings,
            Errors: check.Errors,
            CheckedAt: now);
    }

    /// <summary>Token, portal, region, scopes and the AI user, as HubSpot sees them now (S3, S8).</summary>
    public async Task<ConnectionCheck> VerifyAsync(string token, long userId, string? apiBaseUrl, CancellationToken ct)
    {
        var portal = new HubSpotPortal(0, token, string.IsNullOrWhiteSpace(apiBaseUrl) ? null : new Uri(apiBaseUrl));
        var info = await hubSpot.GetTokenInfoAsync(portal, ct);
        if (info.Error is { } tokenError)
        {
            return ConnectionCheck.Rejected("accessToken", tokenError.Kind is HubSpotErrorKind.Unauthorized or HubSpotErrorKind.BadRequest or HubSpotErrorKind.NotFound
                ? "HubSpot does not accept this access token (it may have been rotated or deleted). Copy the current token from the Legacy App."
                : $"HubSpot could not be reached to verify the token: {tokenError}. Nothing was saved; try again.");
        }

        return await VerifyPortalAsync(portal with { PortalId = info.Value!.HubId }, info.Value.Scopes, CredentialsForm.RegionOf(token), userId, ct);
    }

    /// <summary>S8 through the OAuth app: the installation's current token (refreshed if due), introspected for portal and scopes.</summary>
    private async Task<ConnectionCheck> VerifyAppAsync(Guid organizationId, long userId, CancellationToken ct)
    {
        string token;
        try
        {
            token = await appTokens.AccessTokenAsync(organizationId, ct);
        }
        catch (HubSpotApp.HubSpotAppTokenException ex)
        {
            return ConnectionCheck.Rejected("accessToken", ex.Message);
        }
        var (info, failure) = await oauth.IntrospectAsync(token, ct);
        if (info is null)
        {
            return ConnectionCheck.Rejected("accessToken", $"HubSpot could not confirm the app's access token: {failure}.");
        }
        if (userId <= 0)
        {
            return new ConnectionCheck(true, false, info.HubId, null, [], ["Choose the AI user from the portal's users: until then the AI does not answer."],
                new Dictionary<string, string[]>());
        }
        return await VerifyPortalAsync(new HubSpotPortal(info.HubId, token, null) { AppInstallation = organizationId }, info.Scopes, null, userId, ct);
    }

    private async Task<ConnectionCheck> VerifyPortalAsync(HubSpotPortal portal, IReadOnlyList<string> scopes, string? tokenRegion, long userId, CancellationToken ct)
    {
        var missing = RequiredScopes.All.Where(s => !scopes.Contains(s, StringComparer.Ordinal)).ToList();

        // The account details name the data-hosting region; the token's own prefix is the fallback.
        var account = await hubSpot.GetAccountDetailsAsync(portal, ct);
        // Without the oauth scope account-info answers 403: the token's prefix (pat-eu1-…) still names the hublet.
        var region = account.Value?.DataHostingLocation ?? tokenRegion;

        var warnings = new List<string>();
        if (missing.Contains("crm.objects.owners.read"))
        {
            warnings.Add($"The AI user {userId} could not be checked: the token lacks crm.objects.owners.read.");
        }
        else
        {
            var owner = await hubSpot.GetOwnerByUserIdAsync(portal, userId, ct);
            if (owner.Error is { Kind: HubSpotErrorKind.NotFound })
            {
                return ConnectionCheck.Rejected("defaultUserId",
                    $"Portal {portal.PortalId} has no user with ID {userId}. Use the number at the end of the user's settings URL (Settings → Users & Teams).");
            }
            if (owner.Error is { } ownerError)
            {
                warnings.Add($"The AI user {userId} could not be checked: {ownerError}.");
            }
        }

        // H3 tags handed-off tickets; a real portal has no such property until it is created.
        if (missing.Contains("tickets"))
        {
            warnings.Add($"The ticket property {HandoffTag.PropertyName} could not be checked or created: the token lacks tickets. {HandoffTag.HowToAdd}");
        }
        else if ((await handoffTag.EnsureAsync(portal, ct)).Problem is { } tagProblem)
        {
            warnings.Add($"Handoff tag: {tagProblem}");
        }
        // I4: the AI outcome's own properties, checked (and created) the same way. The contact ones need a scope S4 does not
        // ask for, so their absence is a note, not an incomplete connection.
        var outcome = await outcomeProperties.SetupProblemsAsync(portal, missing, ct);
        warnings.AddRange(outcome.Tickets);

        return new ConnectionCheck(true, false, portal.PortalId, region, missing, warnings, new Dictionary<string, string[]>(), outcome.Contacts);
    }
}

/// <param name="CanSave">False when the credentials are wrong (nothing is saved).</param>
/// <param name="MissingScopes">S4 scopes the token lacks: saved, but shown as a partial connection.</param>
public sealed record ConnectionCheck(
    bool CanSave,
    bool Saved,
    long? PortalId,
    string? Region,
    IReadOnlyList<string> MissingScopes,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>Optional features the token cannot serve (I4's contact properties); they do not make the connection incomplete.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Notes ?? [];

    public bool IsComplete => CanSave && MissingScopes.Count == 0 && Warnings.Count == 0;

    public static ConnectionCheck Invalid(Dictionary<string, string[]> errors) => new(false, false, null, null, [], [], errors);

    public static ConnectionCheck Rejected(string field, string message) =>
        new(false, false, null, null, [], [], new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
}

/// <summary>S8: the re-test's answer. <paramref name="TokenValid"/> is false only when HubSpot rejected the token.</summary>
public sealed record ConnectionRetest(
    bool TokenValid,
    long PortalId,
    string? Region,
    IReadOnlyList<string> MissingScopes,
    bool AiUserExists,
    DateTimeOffset? LastWebhookAt,
    bool WebhooksRecent,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, string[]> Errors,
    DateTimeOffset CheckedAt)
{
    public bool IsHealthy => TokenValid && AiUserExists && MissingScopes.Count == 0 && WebhooksRecent && Errors.Count == 0;
}
