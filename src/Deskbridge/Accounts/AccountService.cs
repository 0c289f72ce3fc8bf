using Deskbridge.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Accounts;

/// <summary>People, their memberships and the organizations' API keys.</summary>
public sealed class AccountService(DeskbridgeDb db, UserManager<DeskbridgeUser> users, TimeProvider time)
{
    public sealed record Outcome<T>(T? Value, Dictionary<string, string[]> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    /// <summary>Finds the person by email, or creates them with the password (Identity hashes it and checks its strength).</summary>
    public async Task<Outcome<DeskbridgeUser>> FindOrCreateUserAsync(string? email, string? password)
    {
        var limits = new Dictionary<string, string[]>();
        if (InputLimits.Check(limits, "email", email, InputLimits.Email, "The email address")
            | InputLimits.Check(limits, "password", password, InputLimits.Password, "The password"))
        {
            return new(null, limits);
        }
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            return new(null, new() { ["email"] = ["Enter the person's email address."] });
        }
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            return new(user, []);
        }
        if (string.IsNullOrEmpty(password))
        {
            return new(null, new() { ["password"] = [$"{email} has no account yet: give them a first password."] });
        }
        user = new DeskbridgeUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        return created.Succeeded
            ? new(user, [])
            : new(null, new() { ["password"] = created.Errors.Select(e => e.Description).ToArray() });
    }

    /// <summary>Adds the person to the organization, or changes their role there.</summary>
    public async Task<Membership> SetRoleAsync(string userId, Guid organizationId, OrganizationRole role, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId && m.OrganizationId == organizationId, ct);
        if (membership is null)
        {
            membership = new Membership { UserId = userId, OrganizationId = organizationId, CreatedAt = time.GetUtcNow() };
            db.Memberships.Add(membership);
        }
        membership.Role = role;
        await db.SaveChangesAsync(ct);
        return membership;
    }

    public sealed record MemberView(string UserId, string Email, OrganizationRole Role, DateTimeOffset Since);

    public async Task<List<MemberView>> MembersAsync(Guid organizationId, CancellationToken ct) =>
        await (from m in db.Memberships.AsNoTracking()
               join u in db.Users.AsNoTracking() on m.UserId equals u.Id
               where m.OrganizationId == organizationId
               orderby u.Email
               select new MemberView(u.Id, u.Email ?? u.UserName ?? u.Id, m.Role, m.CreatedAt)).ToListAsync(ct);

    /// <summary>What became of a change to an organization's members; the API and the dashboard translate it.</summary>
    public abstract record MemberChange
    {
        public sealed record Done(MemberView? Member) : MemberChange;

        public sealed record Invalid(Dictionary<string, string[]> Errors) : MemberChange;

        /// <summary>Only an owner may make an owner, or change or remove one.</summary>
        public sealed record OwnersOnly(string Why) : MemberChange;

        /// <summary>An organization always keeps someone who can fix it.</summary>
        public sealed record LastOwner(string Why) : MemberChange;

        public sealed record NotFound : MemberChange;
    }

    /// <summary>
    /// S1: adds a person (created when new) to the organization with <paramref name="role"/>, or changes their role there,
    /// as a caller whose own role there is <paramref name="callerRole"/>.
    /// </summary>
    public async Task<MemberChange> SetMemberAsync(Guid organizationId, string? email, string? password, OrganizationRole role,
        OrganizationRole? callerRole, CancellationToken ct)
    {
        // The enum binds numbers too: 7 is no role, and must not become "more than owner".
        if (!Enum.IsDefined(role))
        {
            return new MemberChange.Invalid(new() { ["role"] = ["The role is Member, Admin or Owner."] });
        }
        var found = await FindOrCreateUserAsync(email, password);
        if (found.Value is not { } person)
        {
            return new MemberChange.Invalid(found.Errors);
        }
        var members = await MembersAsync(organizationId, ct);
        var current = members.SingleOrDefault(m => m.UserId == person.Id);
        if ((role == OrganizationRole.Owner || current?.Role == OrganizationRole.Owner) && callerRole != OrganizationRole.Owner)
        {
            return new MemberChange.OwnersOnly("Only an owner can make someone an owner or change an owner's role.");
        }
        if (current?.Role == OrganizationRole.Owner && role != OrganizationRole.Owner && members.Count(m => m.Role == OrganizationRole.Owner) == 1)
        {
            return new MemberChange.LastOwner("The last owner stays an owner; make someone else an owner first.");
        }
        var membership = await SetRoleAsync(person.Id, organizationId, role, ct);
        return new MemberChange.Done(new MemberView(person.Id, person.Email ?? "", membership.Role, membership.CreatedAt));
    }

    /// <summary>Removes a membership; an owner only by an owner, and the last owner stays.</summary>
    public async Task<MemberChange> RemoveMemberAsync(Guid organizationId, string userId, OrganizationRole? callerRole, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId && m.OrganizationId == organizationId, ct);
        if (membership is null)
        {
            return new MemberChange.NotFound();
        }
        if (membership.Role == OrganizationRole.Owner && callerRole != OrganizationRole.Owner)
        {
            return new MemberChange.OwnersOnly("Only an owner can remove an owner.");
        }
        if (membership.Role == OrganizationRole.Owner &&
            await db.Memberships.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner, ct) == 1)
        {
            return new MemberChange.LastOwner("The last owner cannot be removed; make someone else an owner first.");
        }
        db.Memberships.Remove(membership);
        await db.SaveChangesAsync(ct);
        return new MemberChange.Done(null);
    }

    public sealed record ApiKeyView(Guid Id, string Name, string Prefix, OrganizationRole Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    /// <param name="Key">The key itself, shown this once; only its hash is stored.</param>
    public sealed record CreatedApiKey(Guid Id, string Name, string Prefix, OrganizationRole Role, DateTimeOffset CreatedAt, string Key);

    /// <summary>What is wrong with a new key's name and role; empty when it can be created.</summary>
    public static Dictionary<string, string[]> ApiKeyProblems(string? name, OrganizationRole role)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["name"] = ["Name the key after the script that uses it."];
        }
        else
        {
            InputLimits.Check(errors, "name", name, InputLimits.ApiKeyName, "The key's name");
        }
        // Keys cannot make owners; asking for one is refused, never quietly turned into an admin key.
        if (role is not (OrganizationRole.Admin or OrganizationRole.Member))
        {
            errors["role"] = [$"An API key's role is Admin or Member; {role} keys do not exist (only a signed-in owner can make owners)."];
        }
        return errors;
    }

    public async Task<CreatedApiKey> CreateApiKeyAsync(Guid organizationId, string name, OrganizationRole role, string? createdBy, CancellationToken ct)
    {
        if (ApiKeyProblems(name, role) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems.SelectMany(p => p.Value)), nameof(name));
        }
        var key = ApiKeys.NewKey();
        var row = new ApiKey
        {
            OrganizationId = organizationId,
            Name = name.Trim(),
            Prefix = key[..12],
            Hash = ApiKeys.Hash(key),
            Role = role,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(row.Id, row.Name, row.Prefix, row.Role, row.CreatedAt, key);
    }

    public async Task<List<ApiKeyView>> ApiKeysAsync(Guid organizationId, CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.OrganizationId == organizationId).OrderBy(k => k.Name)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.Role, k.CreatedAt, k.RevokedAt)).ToListAsync(ct);

    public async Task<bool> RevokeApiKeyAsync(Guid organizationId, Guid keyId, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.OrganizationId == organizationId && k.Id == keyId, ct);
        if (key is null)
        {
            return false;
        }
        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Start-up: the configured person exists with this password and owns the given organizations (or, with none given,
    /// every organization that has no owner yet).
    /// </summary>
    public async Task<DeskbridgeUser?> EnsureOwnerAsync(string email, string password, IEnumerable<Guid>? organizationIds, CancellationToken ct)
    {
        var found = await FindOrCreateUserAsync(email, password);
        if (found.Value is not { } user)
        {
            throw new InvalidOperationException($"The owner {email} could not be created: {string.Join(" ", found.Errors.SelectMany(e => e.Value))}");
        }
        var ids = organizationIds?.ToList() ?? await db.Organizations.AsNoTracking()
            .Where(o => !db.Memberships.Any(m => m.OrganizationId == o.Id && m.Role == OrganizationRole.Owner))
            .Select(o => o.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            await SetRoleAsync(user.Id, id, OrganizationRole.Owner, ct);
        }
        return user;
    }
}
