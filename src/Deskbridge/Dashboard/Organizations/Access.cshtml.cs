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
        switch (await accounts.SetMemberAsync(Organization.Id, email, password, role, Role, ct))
        {
            case AccountService.MemberChange.Done { Member: { } member }:
                return Done($"{member.Email} is now {member.Role.ToString().ToLowerInvariant()} of {Organization.Name}.");
            case AccountService.MemberChange.Invalid { Errors: var errors } when !errors.ContainsKey("role"):
                Errors = errors;
                await LoadAsync(ct);
                return Page();
            case var refused:
                return Done(Why(refused), "bad");
        }
    }

    public async Task<IActionResult> OnPostRemoveMemberAsync(string userId, CancellationToken ct) =>
        await accounts.RemoveMemberAsync(Organization.Id, userId, Role, ct) switch
        {
            AccountService.MemberChange.Done => Done("Member removed."),
            AccountService.MemberChange.NotFound => Done("That person was not a member.", "warn"),
            var refused => Done(Why(refused), "bad"),
        };

    private static string Why(AccountService.MemberChange change) => change switch
    {
        AccountService.MemberChange.OwnersOnly o => o.Why,
        AccountService.MemberChange.LastOwner l => l.Why,
        AccountService.MemberChange.Invalid i => string.Join(" ", i.Errors.Values.SelectMany(v => v)),
        _ => "Nothing was changed.",
    };

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
