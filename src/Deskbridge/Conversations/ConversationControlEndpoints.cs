using Deskbridge.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.Conversations;

/// <summary>G3/G5: an organization's takeover setting and chat burst window.</summary>
public static class ConversationControlEndpoints
{
    public static RouteGroupBuilder MapConversationControlEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{id:guid}/conversation-control").WithTags("Conversation control").RequireAdminAccess();
        group.MapGet("/", GetAsync);
        group.MapPut("/", UpdateAsync);
        return group;
    }

    private static async Task<Results<Ok<ConversationControlView>, NotFound>> GetAsync(Guid id, ConversationControlSettings settings, CancellationToken ct) =>
        await settings.GetAsync(id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Results<Ok<ConversationControlView>, ValidationProblem, NotFound>> UpdateAsync(
        Guid id, ConversationControlUpdate body, ConversationControlSettings settings, CancellationToken ct)
    {
        var result = await settings.UpdateAsync(id, body, ct);
        if (result.NotFound)
        {
            return TypedResults.NotFound();
        }
        return result.View is { } view
            ? TypedResults.Ok(view)
            : TypedResults.ValidationProblem(result.Errors.ToDictionary(e => e.Key, e => e.Value), title: "The conversation control settings were not saved");
    }
}
