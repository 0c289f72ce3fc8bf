using Deskbridge.HubSpotSandbox.Conversations;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Simulation;

public sealed record SimulationResult<T>(T? Value, IResult? Error);

/// <summary>What customers, HubSpot itself and human agents do in the portal, with the events HubSpot would send.</summary>
public sealed class SimulationService(
    ConversationStore store,
    ConversationService conversations,
    CrmStore crm,
    CrmService crmService,
    OwnerStore owners,
    WebhookPublisher publisher,
    InboxRouting routing,
    AssociationStore associations,
    SandboxOptions options,
    TimeProvider time)
{
    public SimulationResult<CustomerMessageResponse> CustomerWrites(CustomerMessageRequest request)
    {
        if (string.IsNullOrEmpty(request.Text))
        {
            return Fail<CustomerMessageResponse>("text is required");
        }

        return request.ThreadId is { Length: > 0 } threadId ? Reply(threadId, request) : NewThread(request);
    }

    private SimulationResult<CustomerMessageResponse> Reply(string threadId, CustomerMessageRequest request)
    {
        if (store.Find(threadId) is not { } thread)
        {
            return new(null, HubSpotErrors.NotFound($"Thread {threadId} not found"));
        }

        var contact = crm.Find(CrmObjectTypes.Contacts, thread.AssociatedContactId);
        var email = request.Email ?? contact?.Property("email") ?? "";
        var name = request.Name ?? FullName(contact) ?? email;
        var result = conversations.ReceiveFromCustomer(threadId, thread.AssociatedContactId, name, email, request.Text!, request.RichText, request.Subject,
            quoteHistory: request.QuoteHistory ?? true);
        return result.Error is { } error
            ? new(null, error)
            : new(new CustomerMessageResponse(threadId, result.Message!.Id, thread.AssociatedContactId, conversations.TicketIdOf(threadId), false), null);
    }

    private SimulationResult<CustomerMessageResponse> NewThread(CustomerMessageRequest request)
    {
        var isEmail = string.Equals(request.Channel, "email", StringComparison.OrdinalIgnoreCase);
        if (!isEmail && !string.Equals(request.Channel ?? "chat", "chat", StringComparison.OrdinalIgnoreCase))
        {
            return Fail<CustomerMessageResponse>("channel must be \"chat\" or \"email\"");
        }

        if (string.IsNullOrEmpty(request.Email))
        {
            return Fail<CustomerMessageResponse>("email (the customer's address) is required for a new thread");
        }

        var account = store.FindChannelAccount(isEmail ? ChannelIds.Email : ChannelIds.LiveChat)!;
        var assignee = request.Unassigned == true ? null : request.AssigneeUserId ?? routing.AssigneeFor(account.InboxId);
        var assigneeOwner = assignee is { } userId ? owners.FindByUserId(userId) : null;
        if (assignee is not null && assigneeOwner is null)
        {
            return Fail<CustomerMessageResponse>($"No user {assignee} in this portal");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? request.Email : request.Name.Trim();
        var contactId = FindOrCreateContact(request.Email, request.Name);
        var thread = store.CreateThread(account, contactId, assignee, time.GetUtcNow());

        // HubSpot-owned channels (chat widget, email into a HubSpot inbox) get a ticket from HubSpot itself,
        // ready before the webhooks go out so a receiver can find it through the thread's associations.
        var subject = isEmail ? request.Subject ?? "(no subject)" : $"Chat with {name}";
        string? ticketId = null;
        if (request.WithoutTicket != true)
        {
            var ticketProperties = new Dictionary<string, string?>
            {
                ["subject"] = subject,
                ["content"] = request.Text,
                ["hs_pipeline"] = "0",
                ["hs_pipeline_stage"] = "1",
                ["source_type"] = isEmail ? "EMAIL" : "CHAT",
                ["hubspot_owner_id"] = assigneeOwner?.Id,
            };
            ticketId = crmService.Create(CrmObjectTypes.Tickets, ticketProperties,
            [
                new AssociationInput(new AssociationTarget(contactId), [new AssociationSpec("HUBSPOT_DEFINED", 16)]),
            ], ChangeSources.Conversations).Record!.Id;
            associations.Associate(CrmObjectTypes.Tickets, ticketId, CrmObjectTypes.Conversations, thread.Id, AssociationTypes.TicketToThread);
        }

        publisher.Publish(new WebhookEventDraft(SubscriptionTypes.ConversationCreation, CrmService.ObjectId(thread.Id), ChangeSources.Conversations));
        var message = conversations.ReceiveFromCustomer(thread.Id, contactId, name, request.Email, request.Text!, request.RichText, isEmail ? subject : null);
        return new(new CustomerMessageResponse(thread.Id, message.Message!.Id, contactId, ticketId, true), null);
    }

    public SimulationResult<AgentMessageResponse> AgentWrites(AgentMessageRequest request)
    {
        var type = (request.Type ?? "MESSAGE").ToUpperInvariant();
        if (type is not ("MESSAGE" or "COMMENT") || string.IsNullOrEmpty(request.Text) || request.ThreadId is null)
        {
            return Fail<AgentMessageResponse>("threadId, text and type MESSAGE or COMMENT are required");
        }

        if (owners.FindByUserId(request.UserId ?? options.HumanUserId) is not { } agent)
        {
            return Fail<AgentMessageResponse>($"No user {request.UserId} in this portal");
        }

        var result = conversations.PostFromAgentUi(request.ThreadId, agent, type, request.Text, request.RichText);
        return result.Error is { } error ? new(null, error) : new(new AgentMessageResponse(request.ThreadId, result.Message!.Id), null);
    }

    public SimulationResult<AgentMessageResponse> BotWrites(BotMessageRequest request)
    {
        if (request.ThreadId is null || string.IsNullOrEmpty(request.Text) || request.ActorType is not ("BOT" or "LLM") || request.BotId is <= 0)
        {
            return Fail<AgentMessageResponse>("threadId, text and actorType BOT or LLM are required (botId, if given, a positive number)");
        }

        var botId = request.BotId ?? 1;
        var actorId = request.ActorType == "BOT" ? ActorIds.Bot(botId) : ActorIds.Llm(botId);
        var result = conversations.PostFromBot(request.ThreadId, actorId, request.Name, request.Text);
        return result.Error is { } error ? new(null, error) : new(new AgentMessageResponse(request.ThreadId, result.Message!.Id), null);
    }

    public SimulationResult<ThreadDto> Reassign(AssignRequest request)
    {
        if (request.UserId is { } userId && owners.FindByUserId(userId) is null)
        {
            return Fail<ThreadDto>($"No user {userId} in this portal");
        }

        var thread = request.ThreadId is null ? null : conversations.Assign(request.ThreadId, request.UserId, ChangeSources.CrmUi);
        return thread is null
            ? new(null, HubSpotErrors.NotFound($"Thread {request.ThreadId} not found"))
            : new(conversations.ToDto(thread, includeAssociations: true), null);
    }

    public SimulationResult<ThreadDto> SetThreadStatus(ThreadStatusRequest request)
    {
        if (request.Status is not ("OPEN" or "CLOSED"))
        {
            return Fail<ThreadDto>("status must be OPEN or CLOSED");
        }

        var thread = request.ThreadId is null ? null : conversations.SetStatus(request.ThreadId, request.Status, ChangeSources.CrmUi);
        return thread is null
            ? new(null, HubSpotErrors.NotFound($"Thread {request.ThreadId} not found"))
            : new(conversations.ToDto(thread, includeAssociations: true), null);
    }

    public SimulationResult<TicketPropertyResponse> EditTicket(TicketPropertyRequest request)
    {
        if (request.TicketId is null || request.Properties is not { Count: > 0 })
        {
            return Fail<TicketPropertyResponse>("ticketId and properties are required");
        }

        var userId = request.UserId ?? options.HumanUserId;
        var result = crmService.Update(CrmObjectTypes.Tickets, request.TicketId, request.Properties, ChangeSources.CrmUi, $"userId:{userId}");
        return result.Error is { } error ? new(null, error) : new(new TicketPropertyResponse(request.TicketId, result.Changes), null);
    }

    private string FindOrCreateContact(string email, string? name)
    {
        if (crm.FindByProperty(CrmObjectTypes.Contacts, "email", email) is { } existing)
        {
            return existing.Id;
        }

        var parts = (name ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var properties = new Dictionary<string, string?>
        {
            ["email"] = email,
            ["firstname"] = parts.ElementAtOrDefault(0),
            ["lastname"] = parts.ElementAtOrDefault(1),
        };
        return crmService.Create(CrmObjectTypes.Contacts, properties, null, ChangeSources.Conversations).Record!.Id;
    }

    private static string? FullName(CrmRecord? contact)
    {
        var name = contact is null ? "" : $"{contact.Property("firstname")} {contact.Property("lastname")}".Trim();
        return name.Length == 0 ? null : name;
    }

    private static SimulationResult<T> Fail<T>(string message) => new(default, HubSpotErrors.Validation(message));
}
