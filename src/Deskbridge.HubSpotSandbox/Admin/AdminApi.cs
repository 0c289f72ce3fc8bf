using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Conversations;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Faults;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Portals;
using Deskbridge.HubSpotSandbox.RateLimiting;
using Deskbridge.HubSpotSandbox.RequestLog;

namespace Deskbridge.HubSpotSandbox.Admin;

public sealed record CreateTokenRequest(IReadOnlyList<string>? Scopes);

public sealed record TokenView(string Token, IReadOnlyList<string> Scopes);

public sealed record TokenSummary(string Token, IReadOnlyList<string> Scopes, string CreatedAt);

public sealed record RateLimitUpdate(int? RequestsPer10Seconds, int? SearchRequestsPerSecond, int? DailyRequestLimit);

public sealed record RequestLogView(IReadOnlyList<LoggedRequest> Results, long LastSequence);

public sealed record SandboxInfo(
    long PortalId, string Region, long AppId, string DemoToken, string DeveloperApiKey, long AiUserId, long HumanUserId, long? DefaultAssigneeUserId,
    IReadOnlyList<Owner> Owners, IReadOnlyList<Inbox> Inboxes, IReadOnlyList<ChannelAccount> ChannelAccounts);

public sealed record InboxRoute(string InboxId, long? AssigneeUserId);

public sealed record RouteUpdate(long? AssigneeUserId);

public sealed record PropertyCreate(string? Name, string? Label, string? Type, string? FieldType, IReadOnlyList<PropertyOption>? Options);

/// <summary>/_sandbox: portal info, reset, tokens, rate limits, faults, request log, custom properties. No auth.</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SandboxApplication.AdminPrefix);

        api.MapGet("/", Info);
        api.MapPost("/reset", async (SandboxSeeder seeder, PortalRegistry portals, WorkflowActions.ActionStore actions, HttpContext context) =>
        {
            // The default portal's reset is the whole sandbox's: created portals are not part of the seed. A created
            // portal's reset (/_sandbox/portals/{id}/reset) puts that portal back to its own creation state.
            if (context.Items[PortalSelectionMiddleware.PortalItemKey] is not SandboxPortal { IsDefault: false })
            {
                await portals.RemoveCreatedAsync();
                actions.Reset();
                // Public apps are not part of the seed either; their installations, codes and tokens go with them.
                await context.RequestServices.GetRequiredService<OAuth.OAuthApps>().RemoveAllAsync();
            }
            seeder.Seed();
            return TypedResults.NoContent();
        });

        api.MapGet("/tokens", (TokenStore tokens) => TypedResults.Ok(new PagedResults<TokenSummary>(
            [.. tokens.All().Select(t => new TokenSummary(t.Masked, [.. t.Scopes.Order(StringComparer.Ordinal)], HubSpotTime.Iso(t.CreatedAt)))])));
        api.MapPost("/tokens", (CreateTokenRequest request, TokenStore tokens) =>
        {
            var token = tokens.Create(request.Scopes ?? []);
            return TypedResults.Created((string?)null, new TokenView(token.Token, [.. token.Scopes.Order(StringComparer.Ordinal)]));
        });
        api.MapDelete("/tokens/{token}", (string token, TokenStore tokens) =>
            tokens.Revoke(token) ? TypedResults.NoContent() : (IResult)HubSpotErrors.NotFound("Token not found"));

        api.MapGet("/rate-limits", (RateLimiter limiter) => TypedResults.Ok(limiter.Settings));
        api.MapPut("/rate-limits", (RateLimitUpdate update, RateLimiter limiter) =>
        {
            var current = limiter.Settings;
            var settings = new RateLimitSettings(
                update.RequestsPer10Seconds ?? current.RequestsPer10Seconds,
                update.SearchRequestsPerSecond ?? current.SearchRequestsPerSecond,
                update.DailyRequestLimit ?? current.DailyRequestLimit);
            limiter.Configure(settings);
            return TypedResults.Ok(settings);
        });

        api.MapGet("/faults", (FaultStore faults) => TypedResults.Ok(new PagedResults<FaultView>(faults.All())));
        api.MapPost("/faults", (FaultRequest request, FaultStore faults) =>
            string.IsNullOrEmpty(request.PathPattern) || request.Probability is < 0 or > 1 || request.Count is <= 0
                ? (IResult)HubSpotErrors.Validation("pathPattern is required; probability must be within 0..1; count must be positive")
                : TypedResults.Created((string?)null, faults.Add(request)));
        api.MapDelete("/faults", (FaultStore faults) =>
        {
            faults.Clear();
            return TypedResults.NoContent();
        });
        api.MapDelete("/faults/{id}", (string id, FaultStore faults) =>
            faults.Remove(id) ? TypedResults.NoContent() : (IResult)HubSpotErrors.NotFound($"Fault {id} not found"));

        api.MapGet("/requests", (long? since, RequestLogStore log) =>
        {
            var (results, last) = log.Since(since ?? 0);
            return TypedResults.Ok(new RequestLogView(results, last));
        });

        api.MapPost("/properties/{objectType}", AddProperty);

        // Inbox routing (HubSpot: Inbox settings → Routing): who new threads of an inbox are assigned to; null = nobody.
        api.MapGet("/routing", (ConversationStore conversations, InboxRouting routing) => TypedResults.Ok(new PagedResults<InboxRoute>(
            [.. conversations.Inboxes.Select(i => new InboxRoute(i.Id, routing.AssigneeFor(i.Id)))])));
        api.MapPut("/routing/{inboxId}", (string inboxId, RouteUpdate update, ConversationStore conversations, OwnerStore owners, InboxRouting routing) =>
        {
            if (conversations.Inboxes.All(i => i.Id != inboxId))
            {
                return HubSpotErrors.NotFound($"Inbox {inboxId} not found");
            }
            if (update.AssigneeUserId is { } userId && owners.FindByUserId(userId) is null)
            {
                return HubSpotErrors.Validation($"No user {userId} in this portal");
            }
            routing.Route(inboxId, update.AssigneeUserId);
            return (IResult)TypedResults.Ok(new InboxRoute(inboxId, update.AssigneeUserId));
        });
        return api;
    }

    private static IResult Info(SandboxOptions options, OwnerStore owners, ConversationStore conversations) => TypedResults.Ok(new SandboxInfo(
        options.PortalId, options.Region, options.AppId, options.DemoToken, options.DeveloperApiKey, options.AiUserId, options.HumanUserId,
        options.DefaultAssigneeUserId, owners.All, conversations.Inboxes, conversations.ChannelAccounts));

    private static IResult AddProperty(string objectType, PropertyCreate request, PropertyCatalog catalog)
    {
        if (CrmObjectTypes.Normalize(objectType) is not { } type || !CrmObjectTypes.Records.Contains(type) || string.IsNullOrEmpty(request.Name))
        {
            return HubSpotErrors.Validation("A known object type and a property name are required");
        }

        var definition = new PropertyDefinition
        {
            Name = request.Name,
            Label = request.Label ?? request.Name,
            Type = request.Type ?? "string",
            FieldType = request.FieldType ?? "text",
            GroupName = $"{CrmObjectTypes.Singular(type)}information",
            Options = request.Options ?? [],
            HubspotDefined = false,
        };
        catalog.Upsert(type, definition);
        return TypedResults.Created((string?)null, definition);
    }
}
