using System.Text.Json;
using Deskbridge.Accounts;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Dashboard.Sessions;

/// <summary>
/// /sessions/{id}: the page a handoff note links to. Transcript (customer, AI, human agent, internal notes), custom
/// data, handoff notes and the session's events. Only members of the session's organization see it.
/// </summary>
public sealed class SessionModel(DeskbridgeDb db, OrganizationAccess access) : PageModel
{
    public Session Session { get; private set; } = null!;
    public Organization Organization { get; private set; } = null!;
    public List<SessionMessage> Transcript { get; private set; } = [];
    public List<OutboundMessage> Notes { get; private set; } = [];
    public List<InboxEvent> Events { get; private set; } = [];
    public List<KeyValuePair<string, string>> CustomData { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (session is null || await access.RoleAsync(User, session.OrganizationId, ct) is null)
        {
            return NotFound();
        }
        Session = session;
        Organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == session.OrganizationId, ct);
        ViewData["Organization"] = Organization;
        ViewData["Section"] = "events";
        Transcript = await db.SessionMessages.AsNoTracking().Where(m => m.SessionId == id).OrderBy(m => m.Id).ToListAsync(ct);
        Notes = await db.OutboundMessages.AsNoTracking()
            .Where(m => m.SessionId == id && (m.Kind == OutboundKind.HandoffNote || m.Kind == OutboundKind.Draft))
            .OrderBy(m => m.Id).ToListAsync(ct);
        Events = await db.InboxEvents.AsNoTracking()
            .Where(e => e.OrganizationId == session.OrganizationId && (e.SessionId == id || e.ThreadId == session.ThreadId))
            .OrderBy(e => e.Id).ToListAsync(ct);
        CustomData = Parse(session.CustomData);
        return Page();
    }

    private static List<KeyValuePair<string, string>> Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name,
                    p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText())).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [new("(unreadable)", json)];
        }
    }

    public static string SpeakerLabel(Agent.Speaker speaker) => speaker switch
    {
        Agent.Speaker.Customer => "Customer",
        Agent.Speaker.Ai => "AI",
        Agent.Speaker.HumanAgent => "Human agent",
        Agent.Speaker.InternalNote => "Internal note",
        _ => speaker.ToString(),
    };
}
