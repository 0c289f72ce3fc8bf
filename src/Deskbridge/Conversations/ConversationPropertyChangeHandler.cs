using Deskbridge.Inbox;
using Deskbridge.Sessions;

namespace Deskbridge.Conversations;

/// <summary>
/// G5: conversation.propertyChange. HubSpot sends <c>assignedTo</c> (<c>A-&lt;userId&gt;</c>, or empty when unassigned),
/// <c>status</c> (OPEN, CLOSED) and <c>isArchived</c>. An assignment to a human is a takeover: it is recorded on the
/// session and the event's fate says what the AI does now (the organization's takeover setting). The stop itself
/// does not wait for this event: each message's owner check and the re-check right before posting (<see cref="TakeoverGuard"/>)
/// read HubSpot's live thread, so an answer in preparation is not posted either.
/// </summary>
public sealed class ConversationPropertyChangeHandler(SessionStore sessions, ConversationControlSettings control) : IInboxEventHandler
{
    public const string Type = "conversation.propertyChange";

    public string SubscriptionType => Type;

    public async Task<EventOutcome> HandleAsync(InboxEvent inboxEvent, ProcessingContext context, CancellationToken ct)
    {
        var session = await sessions.FindAsync(context.Organization.Id, inboxEvent.ObjectId, ct);
        var value = inboxEvent.PropertyName == "assignedTo" ? AssigneeActor(inboxEvent.PropertyValue) : inboxEvent.PropertyValue ?? "";
        switch (inboxEvent.PropertyName)
        {
            case "assignedTo" when TakeoverGuard.IsHumanOwned(value, context.AiActorId):
            {
                var mode = (await control.EffectiveAsync(context.Organization.Id, ct)).Takeover;
                if (session is not null)
                {
                    // The human took the handed-off thread: giving it back to the AI user later resumes the AI (C6).
                    session.HumanTookOver |= session.State == SessionState.HandedOff;
                    Facts.ConversationFacts.HumanTook(session, inboxEvent.OccurredAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : inboxEvent.ReceivedAt);
                    await sessions.SaveAsync(ct);
                }
                return new EventOutcome.Processed($"Takeover (G5): {value} took the thread; {WhatNow(mode)}", session?.Id);
            }
            case "assignedTo" when value == context.AiActorId:
                return new EventOutcome.Processed($"Assigned to the AI user {value}: the AI answers the thread's next messages.", session?.Id);
            case "assignedTo":
                return new EventOutcome.Processed(context.Organization.AnswerOnlyAssignedThreads
                    ? "Unassigned: this organization answers only threads assigned to the AI user, so the AI stops (C6)."
                    : "Unassigned: the AI answers the thread's next messages (C6).", session?.Id);
            case "status" when value == "CLOSED":
                return new EventOutcome.Processed("Thread closed (G5): an answer still in preparation is not posted; a customer's reply reopens the thread.", session?.Id);
            case "status":
                return new EventOutcome.Processed($"Thread status {value}.", session?.Id);
            default:
                return new EventOutcome.Skipped($"Conversation property {inboxEvent.PropertyName} is not acted on (only assignedTo and status).", session?.Id, SkipCodes.NotActedOn);
        }
    }

    /// <summary>
    /// HubSpot documents no format for assignedTo's value; the thread's own <c>assignedTo</c> is an actor id (<c>A-123</c>),
    /// so a bare user id is read as that user's actor rather than mistaken for someone else.
    /// </summary>
    public static string AssigneeActor(string? value) =>
        value is { Length: > 0 } && value.All(char.IsAsciiDigit) ? $"A-{value}" : value ?? "";

    public static string WhatNow(TakeoverMode mode) => mode switch
    {
        TakeoverMode.Draft => "the AI keeps drafting its answers as internal comments (takeover setting: draft).",
        TakeoverMode.Answer => "the AI keeps answering the customer (takeover setting: answer).",
        _ => "the AI stops on this thread (takeover setting: stop).",
    };
}
