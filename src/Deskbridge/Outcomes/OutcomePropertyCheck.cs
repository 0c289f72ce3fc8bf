using Deskbridge.HubSpot;
using Microsoft.Extensions.Caching.Memory;

namespace Deskbridge.Outcomes;

/// <summary>
/// Like the handoff tag (<see cref="Handoff.HandoffTag"/>): the outcome properties are checked, created when missing, and
/// where the token may not create them the problem names each missing property and what an admin does about it.
/// </summary>
public sealed class OutcomePropertyCheck(HubSpotClient hubSpot, IMemoryCache cache, Microsoft.Extensions.Options.IOptions<OutcomeOptions> options)
{
    /// <summary>How long a portal's "cannot create them" is believed before writes try again (a re-test checks at once).</summary>
    public static readonly TimeSpan RememberProblemFor = TimeSpan.FromMinutes(10);

    /// <param name="Existing">The outcome properties the portal has now (only these may be written).</param>
    public sealed record Status(IReadOnlySet<string> Existing, IReadOnlyList<string> Created, string? Problem);

    /// <summary>A recent check that could not make every property: writes leave those out without asking HubSpot again.</summary>
    public Status? KnownProblem(HubSpotPortal portal, string objectType) =>
        cache.TryGetValue<Status>(Key(portal, objectType), out var status) ? status : null;

    private static string Key(HubSpotPortal portal, string objectType) => $"outcome-properties:{portal.PortalId}:{objectType}";

    public async Task<Status> EnsureAsync(HubSpotPortal portal, string objectType, CancellationToken ct)
    {
        var status = await CheckAsync(portal, objectType, ct);
        if (status.Problem is null)
        {
            cache.Remove(Key(portal, objectType));
        }
        else
        {
            cache.Set(Key(portal, objectType), status, RememberProblemFor);
        }
        return status;
    }

    /// <param name="Tickets">Problems with the ticket properties (the <c>tickets</c> scope should allow them: a real gap).</param>
    /// <param name="Contacts">Problems with the contact properties (their scope is not one Deskbridge requires: a note).</param>
    public sealed record SetupProblems(IReadOnlyList<string> Tickets, IReadOnlyList<string> Contacts);

    /// <summary>The connection's save and re-test (S8): each object type's missing outcome properties, and what to do.</summary>
    public async Task<SetupProblems> SetupProblemsAsync(HubSpotPortal portal, IReadOnlyList<string> missingScopes, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return new([], []);
        }
        var tickets = new List<string>();
        if (missingScopes.Contains("tickets"))
        {
            tickets.Add($"AI outcome: the ticket properties could not be checked or created: the token lacks tickets. " +
                OutcomeProperties.HowToAdd("tickets", OutcomeProperties.Ticket.Select(p => p.Name)));
        }
        else if ((await EnsureAsync(portal, "tickets", ct)).Problem is { } ticketProblem)
        {
            tickets.Add($"AI outcome: {ticketProblem}");
        }
        var contacts = new List<string>();
        if ((await EnsureAsync(portal, "contacts", ct)).Problem is { } contactProblem)
        {
            contacts.Add($"AI outcome: {contactProblem}");
        }
        return new(tickets, contacts);
    }

    private async Task<Status> CheckAsync(HubSpotPortal portal, string objectType, CancellationToken ct)
    {
        var wanted = OutcomeProperties.Of(objectType);
        var what = objectType == "contacts" ? "contact" : "ticket";
        var listed = await hubSpot.GetPropertiesAsync(portal, objectType, ct);
        if (listed.Error is { } listError)
        {
            return new(new HashSet<string>(), [], $"the {what} properties {Names(wanted.Select(p => p.Name))} could not be checked ({listError}). " +
                OutcomeProperties.HowToAdd(objectType, wanted.Select(p => p.Name)));
        }

        var existing = listed.Value!.Results.Select(p => p.Name).Where(OutcomeProperties.IsOurs).ToHashSet(StringComparer.Ordinal);
        var created = new List<string>();
        var failed = new List<string>();
        HubSpotError? firstError = null;
        foreach (var property in wanted.Where(p => !existing.Contains(p.Name)))
        {
            var result = await hubSpot.CreatePropertyAsync(portal, objectType, property, ct);
            if (result.Error is null or { Kind: HubSpotErrorKind.Conflict })
            {
                existing.Add(property.Name);
                if (result.Error is null)
                {
                    created.Add(property.Name);
                }
                continue;
            }
            failed.Add(property.Name);
            firstError ??= result.Error;
            if (result.Error.Kind == HubSpotErrorKind.MissingScopes)
            {
                // The same answer for every other one: do not ask again.
                failed.AddRange(wanted.Select(p => p.Name).Where(n => !existing.Contains(n) && !failed.Contains(n) && n != property.Name));
                break;
            }
        }

        var problem = failed.Count == 0 ? null
            : $"the {what} properties {Names(failed)} do not exist and could not be created ({firstError}). {OutcomeProperties.HowToAdd(objectType, failed)}";
        return new(existing, created, problem);
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names);
}
