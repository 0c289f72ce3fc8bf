using Deskbridge.Accounts;
using Deskbridge.Storage;
using Deskbridge.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Organizations;

public static class OrganizationEndpoints
{
    public static RouteGroupBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations").WithTags("Organizations").RequireAdminAccess();
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPut("/{id:guid}/hubspot", ConnectAsync);
        group.MapDelete("/{id:guid}/hubspot", DisconnectAsync);
        group.MapPut("/{id:guid}/settings", UpdateSettingsAsync);
        group.MapPost("/{id:guid}/webhook-url/rotate", RotateWebhookUrlAsync);
        return group;
    }

    public sealed record CreateOrganization(string? Name, string? Slug);

    public sealed record OrganizationView(
        Guid Id, string Name, string Slug, string WebhookUrl, IReadOnlyList<string> AutopilotChannels,
        bool AssistMode, bool TicketingEnabled, bool AnswerOnlyAssignedThreads, ConnectionView? Connection);

    public sealed record ConnectionView(long PortalId, string Region, long DefaultUserId, string AccessTokenLast4, bool HasClientSecret,
        string? ApiBaseUrl, IReadOnlyList<string> MissingScopes, DateTimeOffset ConnectedAt);

    /// <summary>The organizations the caller can open (S1).</summary>
    private static async Task<Ok<List<OrganizationView>>> ListAsync(
        System.Security.Claims.ClaimsPrincipal user, OrganizationAccess access, DeskbridgeDb db, WebhookUrls urls, HttpRequest request, CancellationToken ct)
    {
        var visible = await access.VisibleAsync(user, ct);
        var ids = visible.Select(v => v.Organization.Id).ToList();
        var connections = await db.Connections.AsNoTracking().Where(c => ids.Contains(c.OrganizationId)).ToDictionaryAsync(c => c.OrganizationId, ct);
        return TypedResults.Ok(visible.Select(v => View(v.Organization, connections.GetValueOrDefault(v.Organization.Id), urls, request)).ToList());
    }

    private static async Task<Results<Created<OrganizationView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateOrganization body, DeskbridgeDb db, WebhookUrls urls, HttpRequest request, TimeProvider time, AccountService accounts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Give the organization a name."] });
        }
        var limits = new Dictionary<string, string[]>();
        if (InputLimits.Check(limits, "name", body.Name, InputLimits.OrganizationName, "The organization's name")
            | InputLimits.Check(limits, "slug", body.Slug, InputLimits.OrganizationSlug, "The slug"))
        {
            return TypedResults.ValidationProblem(limits, title: "The organization was not created");
        }
        var slug = Slugs.From(body.Slug ?? body.Name);
        if (await db.Organizations.AnyAsync(o => o.Slug == slug, ct))
        {
            return TypedResults.Problem(title: "Slug taken", detail: $"An organization with slug '{slug}' exists already.", statusCode: StatusCodes.Status409Conflict);
        }

        var organization = new Organization { Name = body.Name.Trim(), Slug = slug, CreatedAt = time.GetUtcNow(), AutopilotChannels = "chat,email" };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);
        if (OrganizationAccess.PersonId(request.HttpContext.User) is { } creator)
        {
            await accounts.SetRoleAsync(creator, organization.Id, OrganizationRole.Owner, ct);
        }
        var view = View(organization, null, urls, request);
        return TypedResults.Created($"/api/organizations/{organization.Id}", view);
    }

    private static async Task<Results<Ok<OrganizationView>, NotFound>> GetAsync(Guid id, DeskbridgeDb db, WebhookUrls urls, HttpRequest request, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == id, ct);
        return TypedResults.Ok(View(organization, connection, urls, request));
    }

    private static async Task<Results<Ok<ConnectionCheck>, ValidationProblem, NotFound>> ConnectAsync(
        Guid id, CredentialsForm form, DeskbridgeDb db, ConnectionService connections, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organization is null)
        {
            return TypedResults.NotFound();
        }
        var check = await connections.SaveAsync(organization, form, ct);
        return check.Saved ? TypedResults.Ok(check) : TypedResults.ValidationProblem(check.Errors.ToDictionary(), title: "The HubSpot credentials were not saved");
    }

    private static async Task<Results<NoContent, NotFound>> DisconnectAsync(Guid id, Disconnection disconnection, CancellationToken ct) =>
        await disconnection.DisconnectAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<OrganizationView>, ValidationProblem, NotFound>> UpdateSettingsAsync(
        Guid id, SettingsUpdate body, OrganizationSettings settings, DeskbridgeDb db, WebhookUrls urls, HttpRequest request, CancellationToken ct)
    {
        var result = await settings.UpdateAsync(id, body, ct);
        if (result.NotFound)
        {
            return TypedResults.NotFound();
        }
        if (result.Organization is not { } organization)
        {
            return TypedResults.ValidationProblem(result.Errors);
        }
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == id, ct);
        return TypedResults.Ok(View(organization, connection, urls, request));
    }

    private static async Task<Results<Ok<OrganizationView>, NotFound>> RotateWebhookUrlAsync(
        Guid id, WebhookUrlRotation rotation, DeskbridgeDb db, WebhookUrls urls, HttpRequest request, CancellationToken ct)
    {
        if (await rotation.RotateAsync(id, ct) is not { } organization)
        {
            return TypedResults.NotFound();
        }
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == id, ct);
        return TypedResults.Ok(View(organization, connection, urls, request));
    }

    private static OrganizationView View(Organization o, HubSpotConnection? c, WebhookUrls urls, HttpRequest request) => new(
        o.Id, o.Name, o.Slug, urls.For(o, request).ToString(),
        o.AutopilotChannels.Split(',', StringSplitOptions.RemoveEmptyEntries), o.AssistMode, o.TicketingEnabled, o.AnswerOnlyAssignedThreads,
        c is null ? null : new ConnectionView(c.PortalId, c.Region, c.DefaultUserId, c.TokenLast4, c.EncryptedClientSecret is not null,
            c.ApiBaseUrl, c.MissingScopes?.Split(' ') ?? [], c.ConnectedAt));
}
