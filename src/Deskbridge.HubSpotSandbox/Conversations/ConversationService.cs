using System.Globalization;
using Deskbridge.HubSpotSandbox.Crm;
using Deskbridge.HubSpotSandbox.Errors;
using Deskbridge.HubSpotSandbox.Webhooks;

namespace Deskbridge.HubSpotSandbox.Conversations;

public sealed record SendRecipientInput(string? ActorId, string? Name, string? RecipientField, IReadOnlyList<DeliveryIdentifier>? DeliveryIdentifiers);

/// <summary>Body of POST .../threads/{threadId}/messages.</summary>
public sealed record SendMessageRequest(
    string? Type,
    string? Text,
    string? RichText,
    string? SenderActorId,
    string? ChannelId,
    string? ChannelAccountId,
    string? Subject,
    IReadOnlyList<SendRecipientInput>? Recipients,
    IReadOnlyList<Attachment>? Attachments);

public sealed record MessageResult(ConversationMessage? Message, IResult? Error);

/// <summary>Thread and message changes with HubSpot's rules, and the webhook events each change causes.</summary>
public sealed class ConversationService(
    ConversationStore store,
    AssociationStore associations,
    OwnerStore owners,
    CrmStore crm,
    CrmService crmService,
    WebhookPublisher publisher,
    SandboxOptions options,
    TimeProvider time)
{
    public string? TicketIdOf(string threadId) =>
        associations.AssociatedIds(CrmObjectTypes.Conversations, threadId, CrmObjectTypes.Tickets) is [var first, ..] ? first : null;

    public ThreadDto ToDto(ThreadSnapshot thread, bool includeAssociations) =>
        ConversationDtoMapper.ToDto(thread, includeAssociations ? TicketIdOf(thread.Id) : null, includeAssociations);

    /// <summary>An agent (or integration) message or comment posted through the public API.</summary>
    public MessageResult PostFromApi(string threadId, SendMessageRequest request)
    {
        var thread = store.Find(threadId);
        if (thread is null || thread.Archived)
        {
            return Fail(HubSpotErrors.NotFound($"Thread {threadId} not found"));
        }

        if (request.Type is not ("MESSAGE" or "COMMENT"))
        {
            return Fail(HubSpotErrors.InvalidParameter("type", $"type must be MESSAGE or COMMENT, was '{request.Type}'"));
        }

        if (string.IsNullOrEmpty(request.Text))
        {
            return Fail(HubSpotErrors.InvalidParameter("text", "text must not be empty", "REQUIRED"));
        }

        Owner? sender = null;
        if (request.SenderActorId is not null || request.Type == "MESSAGE")
        {
            sender = ResolveAgent(request.SenderActorId);
            if (sender is null)
            {
                return Fail(HubSpotErrors.InvalidParameter("senderActorId",
                    $"senderActorId '{request.SenderActorId}' is not a valid agent actor; expected A-<userId> of an existing user", "INVALID_ACTOR"));
            }
        }

        return request.Type == "COMMENT"
            ? Store(thread, Comment(thread, sender, request.Text, request.RichText, request.Attachments, "INTEGRATION"), ChangeSources.Api)
            : PostAgentMessage(thread, sender!, request);
    }

    private MessageResult PostAgentMessage(ThreadSnapshot thread, Owner sender, SendMessageRequest request)
    {
        if (request.ChannelId != thread.OriginalChannelId || request.ChannelAccountId != thread.OriginalChannelAccountId)
        {
            return Fail(HubSpotErrors.InvalidParameter("channelId",
                $"channelId/channelAccountId ({request.ChannelId}/{request.ChannelAccountId}) do not match the thread's channel ({thread.OriginalChannelId}/{thread.OriginalChannelAccountId})", "INVALID_CHANNEL"));
        }

        var isEmail = thread.OriginalChannelId == ChannelIds.Email;
        var recipients = new List<MessageParticipant>();
        foreach (var (r, index) in (request.Recipients ?? []).Select((r, i) => (r, i)))
        {
            // The shape check saw deliveryIdentifiers present; a message also needs somewhere to go, so an empty list
            // is refused too (stricter than the spec, which sets no minimum; a recipient in a response always has one).
            var identifier = r.DeliveryIdentifiers?.FirstOrDefault(d => !string.IsNullOrEmpty(d.Value));
            if (identifier is null)
            {
                return Fail(HubSpotErrors.InvalidParameter($"recipients[{index}].deliveryIdentifiers",
                    $"recipients[{index}].deliveryIdentifiers must hold at least one delivery identifier with a value, e.g. {{\"type\":\"HS_EMAIL_ADDRESS\",\"value\":\"a@b.com\"}}", "REQUIRED"));
            }

            if (isEmail && identifier.Type != "HS_EMAIL_ADDRESS")
            {
                return Fail(HubSpotErrors.InvalidParameter($"recipients[{index}].deliveryIdentifiers",
                    $"recipients[{index}] of an email message needs an HS_EMAIL_ADDRESS delivery identifier, was {identifier.Type}", "INVALID_DELIVERY_IDENTIFIER"));
            }

            recipients.Add(new MessageParticipant(r.ActorId, r.Name, identifier, r.RecipientField ?? "TO"));
        }

        if (isEmail && recipients.Count == 0)
        {
            return Fail(HubSpotErrors.Validation("recipients are required for messages on an email channel"));
        }

        if (recipients.Count == 0)
        {
            recipients.Add(VisitorRecipient(thread));
        }

        var message = AgentMessage(thread, sender, request.Text!, request.RichText, isEmail ? request.Subject : null, recipients, "INTEGRATION", request.Attachments);
        return Store(thread, message, ChangeSources.Api);
    }

    /// <summary>A human agent's reply typed in HubSpot's inbox (simulation).</summary>
    public MessageResult PostFromAgentUi(string threadId, Owner agent, string type, string text, string? richText)
    {
        var thread = store.Find(threadId);
        if (thread is null)
        {
            return Fail(HubSpotErrors.NotFound($"Thread {threadId} not found"));
        }

        if (type == "COMMENT")
        {
            return Store(thread, Comment(thread, agent, text, richText, null, "HUBSPOT"), ChangeSources.CrmUi);
        }

        var isEmail = thread.OriginalChannelId == ChannelIds.Email;
        var recipient = VisitorRecipient(thread);
        var subject = isEmail ? ReplySubject(thread) : null;
        return Store(thread, AgentMessage(thread, agent, text, richText, subject, [recipient], "HUBSPOT", null), ChangeSources.CrmUi);
    }

    /// <summary>
    /// A HubSpot chatflow bot or AI agent (BOT or LLM actor) answering the visitor inside HubSpot (simulation): an outgoing
    /// MESSAGE on the thread's channel whose sender is the bot's actor, as HubSpot's own automation posts it.
    /// </summary>
    public MessageResult PostFromBot(string threadId, string actorId, string? name, string text)
    {
        var thread = store.Find(threadId);
        if (thread is null)
        {
            return Fail(HubSpotErrors.NotFound($"Thread {threadId} not found"));
        }

        var message = new ConversationMessage
        {
            Id = NewMessageId(),
            ThreadId = thread.Id,
            Type = "MESSAGE",
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actorId,
            ClientType = "HUBSPOT",
            Senders = [new MessageParticipant(actorId, name, null, null)],
            Recipients = [VisitorRecipient(thread)],
            Text = text,
            RichText = $"<div>{System.Net.WebUtility.HtmlEncode(text)}</div>",
            Direction = "OUTGOING",
            StatusType = "SENT",
            ChannelId = thread.OriginalChannelId,
            ChannelAccountId = thread.OriginalChannelAccountId,
        };
        return Store(thread, message, ChangeSources.Conversations);
    }

    /// <summary>
    /// A customer message arriving on the thread's channel (simulation). Reopens a closed thread, as HubSpot does.
    /// An email reply carries the quoted history a mail client adds (<paramref name="quoteHistory"/>): the previous
    /// message's HTML inside a Gmail-style quote, and its text as "&gt; " lines, both in text and richText.
    /// </summary>
    public MessageResult ReceiveFromCustomer(string threadId, string contactId, string name, string email, string text, string? richText, string? subject,
        bool quoteHistory = false)
    {
        var thread = store.Find(threadId);
        if (thread is null)
        {
            return Fail(HubSpotErrors.NotFound($"Thread {threadId} not found"));
        }

        var account = store.ChannelAccounts.First(a => a.Id == thread.OriginalChannelAccountId);
        var isEmail = thread.OriginalChannelId == ChannelIds.Email;
        var senderIdentity = isEmail
            ? new DeliveryIdentifier("HS_EMAIL_ADDRESS", email)
            : new DeliveryIdentifier("CHANNEL_SPECIFIC_OPAQUE_ID", VisitorToken(contactId));
        var html = richText ?? $"<div>{System.Net.WebUtility.HtmlEncode(text)}</div>";
        var previous = thread.Messages.LastOrDefault(m => m.Type == "MESSAGE");
        if (isEmail && quoteHistory && previous is not null)
        {
            (text, html) = MailQuote.Append(text, html, previous, ParticipantLabel(previous));
        }

        var message = new ConversationMessage
        {
            Id = NewMessageId(),
            ThreadId = thread.Id,
            Type = "MESSAGE",
            CreatedAt = time.GetUtcNow(),
            CreatedBy = ActorIds.Visitor(contactId),
            ClientType = "SYSTEM",
            // HubSpot's changelog: email participants carry delivery identifiers only, no actorId.
            Senders = [new MessageParticipant(isEmail ? null : ActorIds.Visitor(contactId), name, senderIdentity, isEmail ? "FROM" : null)],
            Recipients = isEmail && account.EmailAddress is { } inboxAddress
                ? [new MessageParticipant(null, null, new DeliveryIdentifier("HS_EMAIL_ADDRESS", inboxAddress), "TO")]
                : [],
            Text = text,
            RichText = html,
            Subject = isEmail ? subject ?? ReplySubject(thread) : null,
            Direction = "INCOMING",
            StatusType = "RECEIVED",
            ChannelId = thread.OriginalChannelId,
            ChannelAccountId = thread.OriginalChannelAccountId,
            InReplyToId = isEmail ? previous?.Id : null,
        };

        var result = Store(thread, message, ChangeSources.Conversations);
        if (thread.Status == "CLOSED")
        {
            SetStatus(thread.Id, "OPEN", ChangeSources.Conversations);
        }

        return result;
    }

    private static string ParticipantLabel(ConversationMessage message) =>
        message.Senders is [var sender, ..]
            ? sender.DeliveryIdentifier is { Type: "HS_EMAIL_ADDRESS" } address ? $"{sender.Name} <{address.Value}>".Trim() : sender.Name ?? "HubSpot"
            : "HubSpot";

    /// <summary>Assigns (userId) or unassigns (null). HubSpot keeps the linked ticket's owner in step with the thread.</summary>
    public ThreadSnapshot? Assign(string threadId, long? userId, string changeSource)
    {
        var before = store.Find(threadId);
        if (before is null || before.AssignedToUserId == userId)
        {
            return before;
        }

        var updated = store.Update(threadId, t =>
        {
            t.AssignedToUserId = userId;
            t.Messages.Add(SystemMessage(t.Id, "ASSIGNMENT", null));
        })!;

        publisher.Publish(new WebhookEventDraft(SubscriptionTypes.ConversationPropertyChange, CrmService.ObjectId(threadId), changeSource,
            "assignedTo", userId is { } u ? ActorIds.Agent(u) : ""));
        if (TicketIdOf(threadId) is { } ticketId)
        {
            var ownerId = userId is { } id ? owners.FindByUserId(id)?.Id : null;
            crmService.Update(CrmObjectTypes.Tickets, ticketId, new Dictionary<string, string?> { ["hubspot_owner_id"] = ownerId }, changeSource);
        }

        return updated;
    }

    public ThreadSnapshot? SetStatus(string threadId, string status, string changeSource)
    {
        var before = store.Find(threadId);
        if (before is null)
        {
            return null;
        }

        if (before.Status == status)
        {
            return before;
        }

        var now = time.GetUtcNow();
        var updated = store.Update(threadId, t =>
        {
            t.Status = status;
            t.ClosedAt = status == "CLOSED" ? now : null;
            t.Messages.Add(SystemMessage(t.Id, "THREAD_STATUS_CHANGE", status));
        });
        publisher.Publish(new WebhookEventDraft(SubscriptionTypes.ConversationPropertyChange, CrmService.ObjectId(threadId), changeSource, "status", status));
        return updated;
    }

    public ThreadSnapshot? SetArchived(string threadId, bool archived, string changeSource)
    {
        var before = store.Find(threadId);
        if (before is null)
        {
            return null;
        }

        var updated = store.Update(threadId, t => t.Archived = archived);
        if (before.Archived != archived)
        {
            publisher.Publish(archived
                ? new WebhookEventDraft(SubscriptionTypes.ConversationDeletion, CrmService.ObjectId(threadId), changeSource)
                : new WebhookEventDraft(SubscriptionTypes.ConversationPropertyChange, CrmService.ObjectId(threadId), changeSource, "isArchived", "false"));
        }

        return updated;
    }

    public Owner? ResolveAgent(string? actorId) =>
        actorId is { Length: > 2 } && actorId.StartsWith("A-", StringComparison.Ordinal)
        && long.TryParse(actorId[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            ? owners.FindByUserId(userId)
            : null;

    public ActorDto? ResolveActor(string actorId)
    {
        if (actorId == ActorIds.System)
        {
            return new ActorDto("SYSTEM", actorId, "HubSpot", null, null);
        }

        if (ResolveAgent(actorId) is { } owner)
        {
            return new ActorDto("AGENT", actorId, owner.FullName, owner.Email, $"https://api.hubspot.com/avatars/{owner.UserId}.png");
        }

        if (actorId.StartsWith("V-", StringComparison.Ordinal) && crm.Find(CrmObjectTypes.Contacts, actorId[2..]) is { } contact)
        {
            var name = $"{contact.Property("firstname")} {contact.Property("lastname")}".Trim();
            return new ActorDto("VISITOR", actorId, name.Length == 0 ? null : name, contact.Property("email"), null);
        }

        if (actorId.StartsWith("E-", StringComparison.Ordinal) && actorId.Length > 2)
        {
            return new ActorDto("EMAIL", actorId, null, actorId[2..], null);
        }

        if (actorId == ActorIds.Integration(options.AppId))
        {
            return new ActorDto("INTEGRATOR", actorId, "Private app", null, null);
        }

        // Bots and AI agents exist once they spoke on a thread (the sandbox has no chatflow or agent set-up).
        if (actorId.Length > 2 && actorId[0] is 'B' or 'L' && actorId[1] == '-'
            && store.All().SelectMany(t => t.Messages).FirstOrDefault(m => m.CreatedBy == actorId) is { } spoken)
        {
            return new ActorDto(actorId[0] == 'B' ? "BOT" : "LLM", actorId, spoken.Senders is [var sender, ..] ? sender.Name : null, null, null);
        }

        return null;
    }

    private MessageResult Store(ThreadSnapshot thread, ConversationMessage message, string changeSource)
    {
        if (store.AddMessage(thread.Id, message) is null)
        {
            return Fail(HubSpotErrors.NotFound($"Thread {thread.Id} not found"));
        }

        publisher.Publish(new WebhookEventDraft(SubscriptionTypes.ConversationNewMessage, CrmService.ObjectId(thread.Id), changeSource,
            MessageId: message.Id, MessageType: message.Type, ChangeFlag: "NEW_MESSAGE"));
        return new MessageResult(message, null);
    }

    private ConversationMessage AgentMessage(ThreadSnapshot thread, Owner sender, string text, string? richText, string? subject,
        IReadOnlyList<MessageParticipant> recipients, string clientType, IReadOnlyList<Attachment>? attachments)
    {
        var account = store.ChannelAccounts.First(a => a.Id == thread.OriginalChannelAccountId);
        var isEmail = thread.OriginalChannelId == ChannelIds.Email;
        return new ConversationMessage
        {
            Id = NewMessageId(),
            ThreadId = thread.Id,
            Type = "MESSAGE",
            CreatedAt = time.GetUtcNow(),
            CreatedBy = ActorIds.Agent(sender.UserId),
            ClientType = clientType,
            IntegrationAppId = clientType == "INTEGRATION" ? options.AppId : null,
            Senders = [new MessageParticipant(isEmail ? null : ActorIds.Agent(sender.UserId), sender.FullName,
                isEmail && account.EmailAddress is { } from ? new DeliveryIdentifier("HS_EMAIL_ADDRESS", from) : null, isEmail ? "FROM" : null)],
            Recipients = isEmail ? [.. recipients.Select(r => r with { ActorId = null })] : recipients,
            Text = text,
            RichText = richText,
            Subject = subject,
            Direction = "OUTGOING",
            StatusType = "SENT",
            ChannelId = thread.OriginalChannelId,
            ChannelAccountId = thread.OriginalChannelAccountId,
            InReplyToId = isEmail ? thread.Messages.LastOrDefault(m => m is { Type: "MESSAGE", Direction: "INCOMING" })?.Id : null,
            Attachments = attachments ?? [],
        };
    }

    private ConversationMessage Comment(ThreadSnapshot thread, Owner? sender, string text, string? richText, IReadOnlyList<Attachment>? attachments, string clientType)
    {
        var actor = sender is null ? ActorIds.Integration(options.AppId) : ActorIds.Agent(sender.UserId);
        return new ConversationMessage
        {
            Id = NewMessageId(),
            ThreadId = thread.Id,
            Type = "COMMENT",
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor,
            ClientType = clientType,
            IntegrationAppId = clientType == "INTEGRATION" ? options.AppId : null,
            Senders = [new MessageParticipant(actor, sender?.FullName, null, null)],
            Text = text,
            RichText = richText,
            Attachments = attachments ?? [],
        };
    }

    private ConversationMessage SystemMessage(string threadId, string type, string? newStatus) => new()
    {
        Id = NewMessageId(),
        ThreadId = threadId,
        Type = type,
        CreatedAt = time.GetUtcNow(),
        CreatedBy = ActorIds.System,
        ClientType = "SYSTEM",
        Senders = [new MessageParticipant(ActorIds.System, null, null, null)],
        NewStatus = newStatus,
    };

    private MessageParticipant VisitorRecipient(ThreadSnapshot thread)
    {
        var contact = crm.Find(CrmObjectTypes.Contacts, thread.AssociatedContactId);
        var name = contact is null ? null : $"{contact.Property("firstname")} {contact.Property("lastname")}".Trim();
        var identifier = thread.OriginalChannelId == ChannelIds.Email && contact?.Property("email") is { } email
            ? new DeliveryIdentifier("HS_EMAIL_ADDRESS", email)
            : new DeliveryIdentifier("CHANNEL_SPECIFIC_OPAQUE_ID", VisitorToken(thread.AssociatedContactId));
        var isEmail = thread.OriginalChannelId == ChannelIds.Email;
        return new MessageParticipant(isEmail ? null : ActorIds.Visitor(thread.AssociatedContactId), name, identifier, "TO");
    }

    private static string? ReplySubject(ThreadSnapshot thread) =>
        thread.Messages.FirstOrDefault(m => m.Subject is not null)?.Subject is { } first
            ? first.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? first : "Re: " + first
            : null;

    private static string VisitorToken(string contactId) => $"visitor-{contactId}";

    private static string NewMessageId() => Guid.NewGuid().ToString("N");

    private static MessageResult Fail(IResult error) => new(null, error);
}
