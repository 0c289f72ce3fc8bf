namespace Deskbridge.Testing;

/// <summary>One connected sandbox + Deskbridge per test class; tests use threads of their own.</summary>
public class WorldFixture : IAsyncLifetime
{
    public ConnectedWorld World { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync() => World = await ConnectedWorld.StartAsync(Settings);

    public async Task DisposeAsync() => await World.DisposeAsync();
}
