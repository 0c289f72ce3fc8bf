using Deskbridge.HubSpot;

namespace Deskbridge.Handoff;

/// <summary>
/// H3's ticket tag <c>opencx_handedoff</c>. A real portal has no such property until someone creates it, and HubSpot
/// refuses a whole ticket update that names an unknown property, so Deskbridge creates it itself (on save, on re-test,
/// and when a handoff meets a portal without it) and says exactly what to do when the token may not.
/// </summary>
public sealed class HandoffTag(HubSpotClient hubSpot)
{
    public const string PropertyName = "opencx_handedoff";

    public sealed record Status(bool Exists, bool Created, string? Problem);

    /// <summary>What a HubSpot admin does by hand when the token cannot create the property.</summary>
    public const string HowToAdd =
        "Create it in HubSpot (Settings → Properties → Ticket properties → Create property: internal name opencx_handedoff, " +
        "field type Single checkbox) or grant the app the tickets scope and re-test.";

    private static readonly HubSpotNewProperty Definition = new(
        PropertyName, "OpenCX handed off", "bool", "booleancheckbox", "ticketinformation",
        "Set by Deskbridge when the AI handed the conversation to a human.",
        [new("Yes", "true", false, 0), new("No", "false", false, 1)]);

    public async Task<Status> EnsureAsync(HubSpotPortal portal, CancellationToken ct)
    {
        var existing = await hubSpot.GetPropertyAsync(portal, "tickets", PropertyName, ct);
        if (existing.IsSuccess)
        {
            return new(true, false, null);
        }
        if (existing.Error?.Kind != HubSpotErrorKind.NotFound)
        {
            return new(false, false, $"the ticket property {PropertyName} could not be checked ({existing.Error}). {HowToAdd}");
        }

        var created = await hubSpot.CreatePropertyAsync(portal, "tickets", Definition, ct);
        return created.Error switch
        {
            null => new(true, true, null),
            { Kind: HubSpotErrorKind.Conflict } => new(true, false, null),
            var error => new(false, false, $"the ticket property {PropertyName} does not exist and could not be created ({error}). {HowToAdd}"),
        };
    }

    /// <summary>HubSpot's answer to an update naming a property the portal does not have.</summary>
    public static bool IsMissingIn(HubSpotError? error) => error is { Kind: HubSpotErrorKind.BadRequest } &&
        error.Message.Contains("PROPERTY_DOESNT_EXIST", StringComparison.Ordinal) &&
        error.Message.Contains(PropertyName, StringComparison.Ordinal);
}
