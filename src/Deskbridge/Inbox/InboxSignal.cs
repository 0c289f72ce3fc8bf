using System.Threading.Channels;

namespace Deskbridge.Inbox;

/// <summary>Wakes the inbox processor when something was stored. Only a nudge: the inbox table is the truth.</summary>
public sealed class InboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified or when <paramref name="timeout"/> has passed.</summary>
    /// <remarks>
    /// The timeout is the common case (the processor waits like this after every scan), so it is awaited without
    /// throwing: an exception per wait cost CPU for nothing. Cancellation by <paramref name="ct"/> still throws.
    /// </remarks>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        Task ready = _channel.Reader.WaitToReadAsync(cts.Token).AsTask();
        await ready.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ct.ThrowIfCancellationRequested();
        _channel.Reader.TryRead(out _);
    }
}
