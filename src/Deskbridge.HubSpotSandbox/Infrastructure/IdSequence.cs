using System.Globalization;

namespace Deskbridge.HubSpotSandbox.Infrastructure;

/// <summary>Thread-safe numeric id source; HubSpot ids are numbers serialized as strings.</summary>
internal sealed class IdSequence(long start)
{
    private readonly long _start = start;
    private long _next = start;

    public long NextNumber() => Interlocked.Increment(ref _next) - 1;

    public string Next() => NextNumber().ToString(CultureInfo.InvariantCulture);

    public void Reset() => Interlocked.Exchange(ref _next, _start);
}
