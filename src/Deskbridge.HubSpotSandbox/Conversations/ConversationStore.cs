using Deskbridge.HubSpotSandbox.Infrastructure;

namespace Deskbridge.HubSpotSandbox.Conversations;

/// <summary>Inboxes, channel accounts, threads and messages of the portal.</summary>
public sealed class ConversationStore(SandboxOptions options)
{
    private const long FirstThreadId = 9_100_000_001;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConversationThread> _threads = new(StringComparer.Ordinal);
    private readonly IdSequence _threadIds = new(FirstThreadId + options.IdOffset);
    private readonly List<Inbox> _inboxes = [];
    private readonly List<ChannelAccount> _channelAccounts = [];

    public IReadOnlyList<Inbox> Inboxes
    {
        get { lock (_lock) { return [.. _inboxes]; } }
    }

    public IReadOnlyList<ChannelAccount> ChannelAccounts
    {
        get { lock (_lock) { return [.. _channelAccounts]; } }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _threads.Clear();
            _inboxes.Clear();
            _channelAccounts.Clear();
            _threadIds.Reset();
        }
    }

    public void AddInbox(Inbox inbox, params ChannelAccount[] accounts)
    {
        lock (_lock)
        {
            _inboxes.Add(inbox);
            _channelAccounts.AddRange(accounts);
        }
    }

    public ChannelAccount? FindChannelAccount(string channelId)
    {
        lock (_lock)
        {
            return _channelAccounts.FirstOrDefault(a => a.ChannelId == channelId);
        }
    }

    public ThreadSnapshot CreateThread(ChannelAccount account, string contactId, long? assigneeUserId, DateTimeOffset createdAt)
    {
        var thread = new ConversationThread
        {
            Id = _threadIds.Next(),
            CreatedAt = createdAt,
            InboxId = account.InboxId,
            OriginalChannelId = account.ChannelId,
            OriginalChannelAccountId = account.Id,
            AssociatedContactId = contactId,
            AssignedToUserId = assigneeUserId,
        };
        lock (_lock)
        {
            _threads[thread.Id] = thread;
            return thread.Snapshot();
        }
    }

    public ThreadSnapshot? Find(string threadId)
    {
        lock (_lock)
        {
            return _threads.TryGetValue(threadId, out var thread) ? thread.Snapshot() : null;
        }
    }

    public bool Exists(string threadId)
    {
        lock (_lock)
        {
            return _threads.ContainsKey(threadId);
        }
    }

    public IReadOnlyList<ThreadSnapshot> All()
    {
        lock (_lock)
        {
            return [.. _threads.Values.OrderBy(t => long.Parse(t.Id, System.Globalization.CultureInfo.InvariantCulture)).Select(t => t.Snapshot())];
        }
    }

    /// <summary>Runs a change on a thread under the store lock; returns null when the thread does not exist.</summary>
    public ThreadSnapshot? Update(string threadId, Action<ConversationThread> change)
    {
        lock (_lock)
        {
            if (!_threads.TryGetValue(threadId, out var thread))
            {
                return null;
            }

            change(thread);
            return thread.Snapshot();
        }
    }

    public ConversationMessage? AddMessage(string threadId, ConversationMessage message) =>
        Update(threadId, t => t.Messages.Add(message)) is null ? null : message;
}
