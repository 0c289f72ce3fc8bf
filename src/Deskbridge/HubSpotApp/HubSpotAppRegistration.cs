using Deskbridge.Accounts;
using Deskbridge.HubSpot;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.HubSpotApp;

public sealed record AiUserChoice(long? UserId);

public sealed record UnroutedAppEventView(long Id, long? PortalId, long? EventId, string? SubscriptionType, string Reason, DateTimeOffset ReceivedAt);

/// <summary>U1, U2: the OAuth public app (install, tokens, app webhooks) beside the private-app path, which stays as it is.</summary>
public static class HubSpotAppRegistration
{
    public static WebApplicationBuilder AddHubSpotApp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubSpotAppOptions>().BindConfiguration(HubSpotAppOptions.Section);
        builder.Services.AddHttpClient<HubSpotOAuthClient>((sp, http) =>
        {
            // The token endpoints live on the API host the operator configured (the sandbox's address in tests).
            http.BaseAddress = sp.GetRequiredService<IOptions<HubSpotOptions>>().Value.BaseUrl;
            http.Timeout = TimeSpan.FromSeconds(15);
            http.DefaultRequestHeaders.UserAgent.ParseAdd("Deskbridge/1.0");
        });
        builder.Services.AddSingleton<HubSpotAppTokens>();
        builder.Services.AddTransient<HubSpotAppAuthHandler>();
        builder.Services.AddScoped<HubSpotAppInstaller>();
        builder.Services.AddScoped<PortalUsers>();
        return builder;
    }

    public static WebApplication MapHubSpotApp(this WebApplication app)
    {
        app.MapPost(AppWebhookEndpoint.Path, AppWebhookEndpoint.ReceiveAsync).DisableAntiforgery().WithTags("Webhooks");
        app.MapGroup("/api/hubspot-app").WithTags("HubSpot app").RequireAdminAccess().MapGet("/unrouted-events", UnroutedAsync);
        // U2 for scripts, the same service as the settings page's list (both paths).
        var users = app.MapGroup("/api/organizations/{id:guid}/hubspot").WithTags("Organizations").RequireAdminAccess();
        users.MapGet("/users", UsersAsync);
        users.MapPut("/ai-user", ChooseAiUserAsync);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<PortalUser>>, ProblemHttpResult>> UsersAsync(Guid id, PortalUsers users, CancellationToken ct)
    {
        var (list, problem) = await users.ListAsync(id, ct);
        return list is null
            ? TypedResults.Problem(title: "The portal's users could not be listed", detail: problem, statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Ok(list);
    }

    private static async Task<Results<NoContent, ValidationProblem>> ChooseAiUserAsync(Guid id, AiUserChoice body, PortalUsers users, CancellationToken ct)
    {
        if (body.UserId is not > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = ["Give the user id of one of the portal's users (GET …/hubspot/users)."] });
        }
        return await users.ChooseAsync(id, body.UserId.Value, ct) is { } problem
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = [problem] }, title: "The AI user was not changed")
            : TypedResults.NoContent();
    }

    /// <summary>The app webhook events refused because no organization has their portal: the operator's, newest first.</summary>
    private static async Task<Results<Ok<List<UnroutedAppEventView>>, ProblemHttpResult>> UnroutedAsync(
        System.Security.Claims.ClaimsPrincipal user, DeskbridgeDb db, long? portalId, CancellationToken ct)
    {
        if (!OrganizationAccess.IsOperator(user))
        {
            return TypedResults.Problem(title: "Operators only", detail: "Events of portals that belong to no organization are the operator's to see (the Admin:ApiKey key).",
                statusCode: StatusCodes.Status403Forbidden);
        }
        var events = await db.UnroutedAppEvents.AsNoTracking().Where(e => portalId == null || e.PortalId == portalId)
            .OrderByDescending(e => e.Id).Take(500)
            .Select(e => new UnroutedAppEventView(e.Id, e.PortalId, e.EventId, e.SubscriptionType, e.Reason, e.ReceivedAt)).ToListAsync(ct);
        return TypedResults.Ok(events);
    }
}
