using Deskbridge.Accounts;
using Deskbridge.HubSpot;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Health;

public static class HealthEndpoints
{
    public static WebApplicationBuilder AddConnectionHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HubSpotCallTracker>();
        builder.Services.AddTransient<HubSpotCallObserver>();
        builder.Services.AddScoped<ConnectionHealthService>();
        builder.Services.AddServiceHealthChecks();
        // Innermost in the HubSpot client's pipeline (added after AddHubSpot's handlers): sees every attempt.
        builder.Services.AddHttpClient<HubSpotClient>().AddHttpMessageHandler<HubSpotCallObserver>();
        return builder;
    }

    public static RouteGroupBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapServiceHealthChecks();
        var group = app.MapGroup("/api/organizations/{organizationId:guid}").WithTags("Connection health").RequireAdminAccess();
        group.MapGet("/health", GetAsync);
        group.MapPost("/hubspot/retest", RetestAsync);
        return group;
    }

    private static async Task<Results<Ok<ConnectionHealth>, NotFound>> GetAsync(Guid organizationId, ConnectionHealthService health, CancellationToken ct) =>
        await health.GetAsync(organizationId, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    /// <summary>S8: token, portal, region, scopes, AI user and recent webhooks, checked now.</summary>
    private static async Task<Results<Ok<ConnectionRetest>, NotFound<string>>> RetestAsync(
        Guid organizationId, ConnectionService connections, DeskbridgeDb db, HubSpotCallTracker calls, CancellationToken ct)
    {
        var retest = await connections.RetestAsync(organizationId, ConnectionHealthService.WebhookSilenceWarning, ct);
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        if (retest is null || connection is null)
        {
            return TypedResults.NotFound("The organization has no HubSpot connection to re-test.");
        }
        if (retest.TokenValid || retest.Errors.ContainsKey("accessToken"))
        {
            calls.TokenChecked(connection.PortalId, connection.TokenLast4, retest.TokenValid,
                retest.Errors.TryGetValue("accessToken", out var why) ? string.Join(' ', why) : null);
        }
        return TypedResults.Ok(retest);
    }
}
