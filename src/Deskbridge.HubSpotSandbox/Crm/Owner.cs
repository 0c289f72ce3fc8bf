namespace Deskbridge.HubSpotSandbox.Crm;

public sealed record OwnerTeam(string Id, string Name, bool Primary);

/// <summary>A HubSpot owner: <see cref="Id"/> is the owner id used in hubspot_owner_id; <see cref="UserId"/>
/// is the user id used in actor ids (A-&lt;userId&gt;).</summary>
public sealed record Owner(string Id, string Email, string FirstName, string LastName, long UserId, IReadOnlyList<OwnerTeam> Teams)
{
    public string FullName => $"{FirstName} {LastName}";
}

public sealed class OwnerStore
{
    private readonly IReadOnlyList<Owner> _owners;

    public OwnerStore(SandboxOptions options) => _owners = SeedData.Owners(options);

    public IReadOnlyList<Owner> All => _owners;

    public Owner? FindById(string id) => _owners.FirstOrDefault(o => o.Id == id);

    public Owner? FindByUserId(long userId) => _owners.FirstOrDefault(o => o.UserId == userId);
}
