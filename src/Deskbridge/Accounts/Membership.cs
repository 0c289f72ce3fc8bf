using Microsoft.AspNetCore.Identity;

namespace Deskbridge.Accounts;

/// <summary>A person who signs in to the dashboard (ASP.NET Core Identity keeps the password hash).</summary>
public sealed class DeskbridgeUser : IdentityUser;

/// <summary>S1: what a person may do in one organization.</summary>
public enum OrganizationRole
{
    /// <summary>Reads settings, health, the event log and sessions.</summary>
    Member = 0,

    /// <summary>Also saves, re-tests and removes credentials, rotates the webhook URL, changes settings, keys and members.</summary>
    Admin = 1,

    /// <summary>An admin who may also make other people owners.</summary>
    Owner = 2,
}

/// <summary>S1: a person's role in one organization.</summary>
public sealed class Membership
{
    public required string UserId { get; set; }
    public Guid OrganizationId { get; set; }
    public OrganizationRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A per-organization key for scripts, sent as X-Api-Key. Only its SHA-256 hash is kept; the key is shown once.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key, so people can tell their keys apart.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public OrganizationRole Role { get; set; } = OrganizationRole.Admin;
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public static class Roles
{
    public static bool CanManage(this OrganizationRole role) => role >= OrganizationRole.Admin;
}
