using Deskbridge.Testing;

namespace Deskbridge.Tests.Organizations;

/// <summary>A tenant's saved API address the operator no longer allows is never sent the token, also by processing.</summary>
public sealed class SavedAddressTests
{
    [Fact]
    public async Task Events_of_an_organization_whose_saved_address_is_no_longer_allowed_fail_without_calling_it()
    {
        await using var world = await ConnectedWorld.StartAsync();
        await world.RestartDeskbridgeAsync(new Dictionary<string, string?> { ["HubSpot:AllowLoopbackTenantBaseUrls"] = "false" });
        var before = await world.RequestSequenceAsync();

        var written = await world.CustomerWritesAsync("How long does standard shipping take?");
        var events = await world.SettledEventsAsync(written.ThreadId, atLeast: 2);

        var refused = events.Single(e => e.MessageId == written.MessageId);
        Assert.Equal("Failed", refused.Fate);
        Assert.Contains("saved API address is not allowed by the operator", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await world.RequestsSinceAsync(before), r => r.Path.Contains(written.ThreadId, StringComparison.Ordinal));
        Assert.Empty(await world.MessagesFromAsync(written.ThreadId, world.AiActor));
    }
}
