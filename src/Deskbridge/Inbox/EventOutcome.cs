namespace Deskbridge.Inbox;

/// <summary>What handling an event came to; the runner turns it into the event's final fate (O1) or a later retry.</summary>
public abstract record EventOutcome(Guid? SessionId)
{
    public sealed record Processed(string WhatWasDone, Guid? Session) : EventOutcome(Session);

    /// <param name="Code">I2: which rule skipped it (<see cref="SkipCodes"/>), stored beside the reason for analytics.</param>
    public sealed record Skipped(string Reason, Guid? Session, string Code = SkipCodes.Other) : EventOutcome(Session);

    /// <summary>Not yet: look at it again at <paramref name="NotBefore"/> without holding a worker (C3).</summary>
    public sealed record Deferred(DateTimeOffset NotBefore, string Why, Guid? Session) : EventOutcome(Session);

    /// <summary>Tried and not there yet (e.g. HubSpot's read-after-write lag): try again at <paramref name="NotBefore"/>; this attempt counts.</summary>
    public sealed record TryAgain(DateTimeOffset NotBefore, string Why, Guid? Session) : EventOutcome(Session);
}
