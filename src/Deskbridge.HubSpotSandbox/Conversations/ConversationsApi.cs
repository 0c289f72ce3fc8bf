using System.Globalization;
using System.Text.Json;
using Deskbridge.HubSpotSandbox.Auth;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;
using Deskbridge.HubSpotSandbox.Validation;
using Deskbridge.HubSpotSandbox.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deskbridge.HubSpotSandbox.Conversations;

public sealed record AssigneeRequest(string? ActorId);

public sealed record ActorBatchRequest(IReadOnlyList<string>? Inputs);

/// <summary>Conversations inbox and messages API v3: conversations.read for GETs and actor batch reads,
/// conversations.write for everything else.</summary>
public static class ConversationsApi
{
    private const int MaxLimit = 500;

    // The channels the sandbox's inbox has accounts on.
    private static readonly ChannelDto[] Channels = [new(ChannelIds.LiveChat, "LIVE_CHAT"), new(ChannelIds.Email, "EMAIL")];

    private static IResult ListInboxes(HttpContext context, int? limit, string? after, ConversationStore store) =>
        PageWithTotal(context, [.. store.Inboxes.Select(ToDto)], limit, after);

    private static IResult ListChannels(HttpContext context, int? limit, string? after) => PageWithTotal(context, Channels, limit, after);

    private static IResult ListChannelAccounts(HttpContext context, int? limit, string? after, ConversationStore store)
    {
        var channelIds = context.Request.Query["channelId"].Where(v => !string.IsNullOrEmpty(v)).ToHashSet();
        var inboxIds = context.Request.Query["inboxId"].Where(v => !string.IsNullOrEmpty(v)).ToHashSet();
        var accounts = store.ChannelAccounts
            .Where(a => channelIds.Count == 0 || channelIds.Contains(a.ChannelId))
            .Where(a => inboxIds.Count == 0 || inboxIds.Contains(a.InboxId))
            .Select(ConversationDtoMapper.ToDto)
            .ToList();
        return PageWithTotal(context, accounts, limit, after);
    }

    /// <summary>The spec's CollectionResponseWithTotal: total counts every match, results are one page.</summary>
    private static IResult PageWithTotal<T>(HttpContext context, IReadOnlyList<T> all, int? limit, string? after)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return HubSpotErrors.InvalidParameter("limit", $"limit must be between 1 and {MaxLimit}, was {limit}", "INVALID_LIMIT");
        }

        var (page, paging) = Pager.Page(all, Pager.ParseAfter(after), limit ?? 100, next => NextLink(context, next));
        return TypedResults.Ok(new PagedResultsWithTotal<T>(all.Count, page, paging));
    }

    /// <summary>Enum-typed query parameters: a value outside the spec's enum is a 400, as HubSpot's parameter binding refuses it.</summary>
    private static IResult? CheckEnum(HttpContext context, string name, params string[] allowed)
    {
        foreach (var value in context.Request.Query[name])
        {
            if (!allowed.Contains(value, StringComparer.Ordinal))
            {
                return HubSpotErrors.InvalidParameter(name, $"{name} must be one of {string.Join(", ", allowed)}, was \"{value}\"");
            }
        }

        return null;
    }

    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/conversations/v3/conversations").RequirePrivateAppToken();

        api.MapGet("/threads", ListThreads).RequireScope(Scopes.ConversationsRead);
        api.MapGet("/threads/{threadId}", GetThread).RequireScope(Scopes.ConversationsRead);
        api.MapPatch("/threads/{threadId}", UpdateThread).AcceptsBody(RequestShapes.ThreadUpdate).RequireScope(Scopes.ConversationsWrite);
        api.MapDelete("/threads/{threadId}", ArchiveThread).RequireScope(Scopes.ConversationsWrite);
        api.MapPut("/threads/{threadId}/assignee", Assign).AcceptsBody(RequestShapes.ThreadAssign).RequireScope(Scopes.ConversationsWrite);
        api.MapPost("/threads/{threadId}/assignee", Assign).AcceptsBody(RequestShapes.ThreadAssign).RequireScope(Scopes.ConversationsWrite); // the guide's verb
        api.MapDelete("/threads/{threadId}/assignee", Unassign).RequireScope(Scopes.ConversationsWrite);
        api.MapGet("/threads/{threadId}/messages", ListMessages).RequireScope(Scopes.ConversationsRead);
        api.MapGet("/threads/{threadId}/messages/{messageId}", GetMessage).RequireScope(Scopes.ConversationsRead);
        api.MapPost("/threads/{threadId}/messages", SendMessage).AcceptsBody(RequestShapes.MessageEgg).RequireScope(Scopes.ConversationsWrite);
        api.MapGet("/actors/{actorId}", GetActor).RequireScope(Scopes.ConversationsRead);
        api.MapPost("/actors/batch/read", BatchReadActors).AcceptsBody(RequestShapes.BatchInputString).RequireScope(Scopes.ConversationsRead);
        api.MapGet("/inboxes", ListInboxes).RequireScope(Scopes.ConversationsRead);
        api.MapGet("/inboxes/{inboxId}", (string inboxId, ConversationStore store) =>
            store.Inboxes.FirstOrDefault(i => i.Id == inboxId) is { } inbox ? TypedResults.Ok(ToDto(inbox)) : (IResult)HubSpotErrors.NotFound($"Inbox {inboxId} not found"))
            .RequireScope(Scopes.ConversationsRead);
        api.MapGet("/channels", ListChannels).RequireScope(Scopes.ConversationsRead);
        api.MapGet("/channels/{channelId}", (string channelId) =>
            Channels.FirstOrDefault(c => c.Id == channelId) is { } channel ? TypedResults.Ok(channel) : (IResult)HubSpotErrors.NotFound($"Channel {channelId} not found"))
            .RequireScope(Scopes.ConversationsRead);
        api.MapGet("/channel-accounts", ListChannelAccounts).RequireScope(Scopes.ConversationsRead);
        api.MapGet("/channel-accounts/{channelAccountId}", (string channelAccountId, ConversationStore store) =>
            store.ChannelAccounts.FirstOrDefault(a => a.Id == channelAccountId) is { } account
                ? TypedResults.Ok(ConversationDtoMapper.ToDto(account))
                : (IResult)HubSpotErrors.NotFound($"Channel account {channelAccountId} not found"))
            .RequireScope(Scopes.ConversationsRead);
        return api;
    }

    private static InboxDto ToDto(Inbox inbox) =>
        new(inbox.Id, inbox.Name, inbox.Type, HubSpotTime.Iso(inbox.CreatedAt), HubSpotTime.Iso(inbox.CreatedAt), false);

    private static IResult ListThreads(HttpContext context, ConversationStore store, ConversationService conversations,
        string? associatedContactId, string? associatedTicketId, string? threadStatus, string? sort, string? latestMessageTimestampAfter,
        bool? archived, int? limit, string? after, string? association)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return HubSpotErrors.InvalidParameter("limit", $"limit must be between 1 and {MaxLimit}, was {limit}", "INVALID_LIMIT");
        }

        if ((CheckEnum(context, "sort", "id", "latestMessageTimestamp") ?? CheckEnum(context, "threadStatus", "OPEN", "CLOSED")
            ?? CheckEnum(context, "association", "TICKET")) is { } invalid)
        {
            return invalid;
        }

        var sortByLatest = string.Equals(sort, "latestMessageTimestamp", StringComparison.OrdinalIgnoreCase);
        DateTimeOffset? latestAfter = null;
        if (sortByLatest)
        {
            if (!DateTimeOffset.TryParse(latestMessageTimestampAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return HubSpotErrors.Validation("latestMessageTimestampAfter is required when sorting by latestMessageTimestamp");
            }

            latestAfter = parsed;
        }

        var inboxIds = context.Request.Query["inboxId"].Where(v => !string.IsNullOrEmpty(v)).ToHashSet();
        var threads = store.All()
            .Where(t => t.Archived == (archived ?? false))
            .Where(t => inboxIds.Count == 0 || inboxIds.Contains(t.InboxId))
            .Where(t => associatedContactId is null || t.AssociatedContactId == associatedContactId)
            .Where(t => threadStatus is null || string.Equals(t.Status, threadStatus, StringComparison.OrdinalIgnoreCase))
            .Where(t => associatedTicketId is null || conversations.TicketIdOf(t.Id) == associatedTicketId)
            .Where(t => latestAfter is null || t.LatestMessageTimestamp > latestAfter);
        var ordered = (sortByLatest ? threads.OrderBy(t => t.LatestMessageTimestamp) : threads.OrderBy(t => long.Parse(t.Id, CultureInfo.InvariantCulture))).ToList();
        var includeAssociations = string.Equals(association, "TICKET", StringComparison.OrdinalIgnoreCase);
        var (page, paging) = Pager.Page(ordered, Pager.ParseAfter(after), limit ?? 100, next => NextLink(context, next));
        return TypedResults.Ok(new PagedResults<ThreadDto>([.. page.Select(t => conversations.ToDto(t, includeAssociations))], paging));
    }

    private static IResult GetThread(HttpContext context, string threadId, bool? archived, string? association,
        ConversationStore store, ConversationService conversations)
    {
        if (CheckEnum(context, "association", "TICKET") is { } invalid)
        {
            return invalid;
        }

        var thread = store.Find(threadId);
        if (thread is null || thread.Archived != (archived ?? false))
        {
            return ThreadNotFound(threadId);
        }

        return TypedResults.Ok(conversations.ToDto(thread, string.Equals(association, "TICKET", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Only status (OPEN/CLOSED) can be changed, or archived:false (with ?archived=true) to restore a thread.</summary>
    private static IResult UpdateThread(string threadId, bool? archived, JsonElement body, ConversationStore store, ConversationService conversations)
    {
        var thread = store.Find(threadId);
        if (thread is null || thread.Archived != (archived ?? false))
        {
            return ThreadNotFound(threadId);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return HubSpotErrors.Validation("Request body must be a JSON object");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is not ("status" or "archived"))
            {
                return HubSpotErrors.Validation($"Unrecognized field \"{property.Name}\"; only status and archived can be updated");
            }
        }

        if (body.TryGetProperty("archived", out var archivedValue))
        {
            if (archivedValue.ValueKind != JsonValueKind.False || !thread.Archived)
            {
                return HubSpotErrors.Validation("archived can only be set to false, on an archived thread (?archived=true), to restore it");
            }

            thread = conversations.SetArchived(threadId, false, ChangeSources.Api)!;
        }

        if (body.TryGetProperty("status", out var statusValue))
        {
            var status = statusValue.ValueKind == JsonValueKind.String ? statusValue.GetString() : null;
            if (status is not ("OPEN" or "CLOSED"))
            {
                return HubSpotErrors.Validation($"status must be OPEN or CLOSED, was {statusValue.GetRawText()}");
            }

            thread = conversations.SetStatus(threadId, status, ChangeSources.Api)!;
        }

        return TypedResults.Ok(conversations.ToDto(thread, includeAssociations: false));
    }

    private static Results<NoContent, JsonHttpResult<HubSpotErrorBody>> ArchiveThread(string threadId, ConversationStore store, ConversationService conversations)
    {
        if (store.Find(threadId) is not { Archived: false })
        {
            return ThreadNotFound(threadId);
        }

        conversations.SetArchived(threadId, true, ChangeSources.Api);
        return TypedResults.NoContent();
    }

    private static Results<Ok<ThreadDto>, JsonHttpResult<HubSpotErrorBody>> Assign(string threadId, AssigneeRequest request, ConversationStore store, ConversationService conversations)
    {
        if (store.Find(threadId) is not { Archived: false })
        {
            return ThreadNotFound(threadId);
        }

        if (conversations.ResolveAgent(request.ActorId) is not { } owner)
        {
            return HubSpotErrors.Validation($"actorId '{request.ActorId}' is not a valid agent actor; expected A-<userId> of an existing user");
        }

        return TypedResults.Ok(conversations.ToDto(conversations.Assign(threadId, owner.UserId, ChangeSources.Api)!, includeAssociations: false));
    }

    private static Results<NoContent, JsonHttpResult<HubSpotErrorBody>> Unassign(string threadId, ConversationStore store, ConversationService conversations)
    {
        if (store.Find(threadId) is not { Archived: false })
        {
            return ThreadNotFound(threadId);
        }

        conversations.Assign(threadId, null, ChangeSources.Api);
        return TypedResults.NoContent();
    }

    private static IResult ListMessages(HttpContext context, string threadId, int? limit, string? after, string? sort, ConversationStore store)
    {
        if (store.Find(threadId) is not { } thread)
        {
            return ThreadNotFound(threadId);
        }

        if (limit is < 1 or > MaxLimit)
        {
            return HubSpotErrors.InvalidParameter("limit", $"limit must be between 1 and {MaxLimit}, was {limit}", "INVALID_LIMIT");
        }

        if (CheckEnum(context, "sort", "createdAt", "-createdAt") is { } invalid)
        {
            return invalid;
        }

        // The spec's default order is newest first; sort=createdAt asks for oldest first.
        var descending = sort != "createdAt";
        var ordered = descending ? thread.Messages.Reverse().ToList() : thread.Messages.ToList();
        var (page, paging) = Pager.Page(ordered, Pager.ParseAfter(after), limit ?? 100, next => NextLink(context, next));
        return TypedResults.Ok(new PagedResults<MessageDto>([.. page.Select(ConversationDtoMapper.ToDto)], paging));
    }

    private static Results<Ok<MessageDto>, JsonHttpResult<HubSpotErrorBody>> GetMessage(string threadId, string messageId, ConversationStore store)
    {
        var message = store.Find(threadId)?.Messages.FirstOrDefault(m => m.Id == messageId);
        return message is null
            ? HubSpotErrors.NotFound($"Message {messageId} not found on thread {threadId}")
            : TypedResults.Ok(ConversationDtoMapper.ToDto(message));
    }

    private static IResult SendMessage(string threadId, SendMessageRequest request, ConversationService conversations)
    {
        var result = conversations.PostFromApi(threadId, request);
        return result.Error ?? TypedResults.Created(
            $"/conversations/v3/conversations/threads/{threadId}/messages/{result.Message!.Id}", ConversationDtoMapper.ToDto(result.Message));
    }

    private static Results<Ok<ActorDto>, JsonHttpResult<HubSpotErrorBody>> GetActor(string actorId, ConversationService conversations) =>
        conversations.ResolveActor(actorId) is { } actor ? TypedResults.Ok(actor) : HubSpotErrors.NotFound($"Actor {actorId} not found");

    /// <summary>BatchResponsePublicActor, or 207 BatchResponsePublicActorWithErrors naming the actor ids that resolve to nobody.</summary>
    private static IResult BatchReadActors(ActorBatchRequest request, ConversationService conversations, TimeProvider time)
    {
        var started = HubSpotTime.Iso(time.GetUtcNow());
        var inputs = request.Inputs ?? [];
        var actors = inputs.Select(conversations.ResolveActor).OfType<ActorDto>().ToList();
        var missing = inputs.Where(id => conversations.ResolveActor(id) is null).Distinct(StringComparer.Ordinal).ToList();
        var completed = HubSpotTime.Iso(time.GetUtcNow());
        if (missing.Count == 0)
        {
            return TypedResults.Ok(new BatchResponse<ActorDto>("COMPLETE", actors, started, completed));
        }

        var error = BatchError.NotFound("Could not resolve some actors, they may not exist. Check that ids are valid.", missing);
        return TypedResults.Json(new BatchResponse<ActorDto>("COMPLETE", actors, started, completed, 1, [error]), SandboxJson.Options, statusCode: StatusCodes.Status207MultiStatus);
    }

    private static JsonHttpResult<HubSpotErrorBody> ThreadNotFound(string threadId) => HubSpotErrors.NotFound($"Thread {threadId} not found");

    private static string NextLink(HttpContext context, string after)
    {
        var query = QueryString.Create(context.Request.Query
            .Where(q => q.Key != "after")
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>("after", after)));
        return $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{query}";
    }
}
