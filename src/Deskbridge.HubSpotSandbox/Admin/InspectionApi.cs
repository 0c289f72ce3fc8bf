using Deskbridge.HubSpotSandbox.Conversations;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Admin;

public sealed record AdminThreadView(ThreadDto Thread, IReadOnlyList<MessageDto> Messages);

public sealed record AdminAssociationView(string Id, IReadOnlyList<int> TypeIds);

public sealed record AdminObjectView(
    string Id, IReadOnlyDictionary<string, string?> Properties, string CreatedAt, string UpdatedAt,
    IReadOnlyDictionary<string, IReadOnlyList<AdminAssociationView>> Associations);

/// <summary>Read-only views of the whole state, for tests and for people watching the demo.</summary>
public static class InspectionApi
{
    private static readonly string[] AssociationTargets =
        [CrmObjectTypes.Contacts, CrmObjectTypes.Companies, CrmObjectTypes.Deals, CrmObjectTypes.Tickets, CrmObjectTypes.Conversations];

    public static RouteGroupBuilder MapInspectionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(SandboxApplication.AdminPrefix);

        api.MapGet("/threads", (ConversationStore store, ConversationService conversations) =>
            TypedResults.Ok(new PagedResults<AdminThreadView>([.. store.All().Select(t => View(t, conversations))])));
        api.MapGet("/threads/{threadId}", (string threadId, ConversationStore store, ConversationService conversations) =>
            store.Find(threadId) is { } thread ? TypedResults.Ok(View(thread, conversations)) : (IResult)HubSpotErrors.NotFound($"Thread {threadId} not found"));

        foreach (var type in CrmObjectTypes.Records)
        {
            api.MapGet($"/{type}", (CrmStore crm, AssociationStore links) =>
                TypedResults.Ok(new PagedResults<AdminObjectView>([.. crm.All(type).Select(r => View(r, links))])));
            api.MapGet($"/{type}/{{id}}", (string id, CrmStore crm, AssociationStore links) =>
                crm.Find(type, id) is { } record ? TypedResults.Ok(View(record, links)) : (IResult)HubSpotErrors.NotFound("resource not found"));
        }

        return api;
    }

    private static AdminThreadView View(ThreadSnapshot thread, ConversationService conversations) =>
        new(conversations.ToDto(thread, includeAssociations: true), [.. thread.Messages.Select(ConversationDtoMapper.ToDto)]);

    private static AdminObjectView View(CrmRecord record, AssociationStore links)
    {
        var associations = new Dictionary<string, IReadOnlyList<AdminAssociationView>>();
        foreach (var target in AssociationTargets)
        {
            var associated = links.Associated(record.ObjectType, record.Id, target);
            if (associated.Count > 0)
            {
                associations[target] = [.. associated.Select(a => new AdminAssociationView(a.ToId, [.. a.Types.Select(t => t.TypeId)]))];
            }
        }

        return new AdminObjectView(record.Id, record.Properties, HubSpotTime.Iso(record.CreatedAt), HubSpotTime.Iso(record.UpdatedAt), associations);
    }
}
