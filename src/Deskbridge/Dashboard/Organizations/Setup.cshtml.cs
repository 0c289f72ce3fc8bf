using Deskbridge.Organizations;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>The HubSpot side of the setup (connect-hubspot), with this organization's own webhook URL filled in.</summary>
public sealed class SetupModel(WebhookUrls urls, DeskbridgeDb db) : OrganizationPage
{
    protected override string Section => "setup";

    public string WebhookUrl { get; private set; } = "";
    public bool Connected { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        WebhookUrl = urls.For(Organization, Request).ToString();
        Connected = await db.Connections.AnyAsync(c => c.OrganizationId == Organization.Id, ct);
    }
}
