namespace Deskbridge.Inbox;

/// <summary>
/// Which instance may run the head event of an ordering key (a thread, a ticket) right now. One row per key while it is
/// held; an instance that dies leaves its rows behind, and they are taken over once <see cref="ExpiresAt"/> has passed.
/// </summary>
public sealed class InboxLease
{
    public Guid OrganizationId { get; set; }
    public required string OrderingKey { get; set; }

    /// <summary>The holding instance's <see cref="InstanceIdentity.Id"/>.</summary>
    public required string Owner { get; set; }

    /// <summary>Unix milliseconds: a plain number compares the same way on SQLite and PostgreSQL (DateTimeOffset does not on SQLite).</summary>
    public long ExpiresAt { get; set; }
}
