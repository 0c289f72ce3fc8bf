using System.Security.Cryptography;

namespace Deskbridge.Inbox;

/// <summary>
/// This process among the instances sharing one database: machine, process id and a random part (a restarted process on
/// the same machine may get the same pid, and must not inherit the leases of the one that died).
/// </summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
