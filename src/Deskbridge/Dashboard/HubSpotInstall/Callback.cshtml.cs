using Deskbridge.HubSpotApp;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Deskbridge.Dashboard.HubSpotInstall;

/// <summary>
/// The redirect URL HubSpot sends the installing person back to (signed in: the state names them). Success goes to the
/// organization's settings, where the AI user is chosen; anything else is said here, with a way back.
/// </summary>
public sealed class CallbackModel(HubSpotAppInstaller installer) : PageModel
{
    public InstallOutcome? Outcome { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    [TempData]
    public string? NoticeKind { get; set; }

    public async Task<IActionResult> OnGetAsync(string? code, string? state, string? error, CancellationToken ct)
    {
        Outcome = await installer.CompleteAsync(code, state, error, User, Request, ct);
        if (Outcome is { Problem: null, OrganizationId: { } organizationId })
        {
            Notice = $"Installed in HubSpot portal {Outcome.PortalId}. Now choose the AI user below.";
            NoticeKind = "ok";
            return Redirect($"/orgs/{organizationId}/settings#ai-user");
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
