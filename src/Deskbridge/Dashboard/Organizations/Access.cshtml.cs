using Deskbridge.Accounts;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>S1: the organization's members and its API keys.</summary>
public sealed class AccessModel(AccountService accounts) : OrganizationPage
{
    protected override string Section => "access";

    public List<AccountService.MemberView> Members { get; private set; } = [];
    public List<AccountService.ApiKeyView> Keys { get; private set; } = [];

    /// <summary>A key just created: shown this once.</summary>
    [TempData]
    public string? NewKey { get; set; }

    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostMemberAsync(string? email, string? password, OrganizationRole role, CancellationToken ct)
    {
        if (!Enum.IsDefined(role))
        {
            return Done("The role is Member, Admin or Owner.", "bad");
        }
        if (role == OrganizationRole.Owner && Role != OrganizationRole.Owner)
        {
            return Done("Only an owner can make someone an owner.", "bad");
        }
        var found = await accounts.FindOrCreateUserAsync(email, password);
        if (found.Value is not { } person)
        {
            Errors = found.Errors;
            await LoadAsync(ct);
            return Page();
        }
        var current = (await accounts.MembersAsync(Organization.Id, ct)).SingleOrDefault(m => m.UserId == person.Id);
        if (current?.Role == OrganizationRole.Owner && Role != OrganizationRole.Owner)
        {
            return Done("Only an owner can change an owner's role.", "bad");
        }
        await accounts.SetRoleAsync(person.Id, Organization.Id, role, ct);
        return Done($"{person.Email} is now {role.ToString().ToLowerInvariant()} of {Organization.Name}.");
    }

    public async Task<IActionResult> OnPostRemoveMemberAsync(string userId, CancellationToken ct)
    {
        var current = (await accounts.MembersAsync(Organization.Id, ct)).SingleOrDefault(m => m.UserId == userId);
        if (current?.Role == OrganizationRole.Owner && Role != OrganizationRole.Owner)
        {
            return Done("Only an owner can remove an owner.", "bad");
        }
        var problem = await accounts.RemoveMemberAsync(Organization.Id, userId, ct);
        return problem is null ? Done($"{current?.Email} removed.") : Done(problem, "bad");
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(string? name, OrganizationRole role, CancellationToken ct)
    {
        if (AccountService.ApiKeyProblems(name, role) is { Count: > 0 } problems)
        {
            Errors = problems;
            await LoadAsync(ct);
            return Page();
        }
        var created = await accounts.CreateApiKeyAsync(Organization.Id, name!, role, User.Identity?.Name, ct);
        NewKey = created.Key;
        return Done($"API key \"{created.Name}\" created. Copy it now: it is not shown again.");
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(Guid keyId, CancellationToken ct) =>
        await accounts.RevokeApiKeyAsync(Organization.Id, keyId, ct) ? Done("API key revoked.") : Done("No such key.", "warn");

    private async Task LoadAsync(CancellationToken ct)
    {
        Members = await accounts.MembersAsync(Organization.Id, ct);
        Keys = await accounts.ApiKeysAsync(Organization.Id, ct);
    }
}
