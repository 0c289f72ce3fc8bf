namespace Deskbridge.Signatures;

/// <summary>S7: a signature appended to email replies sent from addresses of <see cref="DomainPattern"/>.</summary>
public sealed class EmailSignature
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }

    /// <summary>An exact domain (<c>open.cx</c>) or a wildcard over its ending (<c>*.co.uk</c>), lower case.</summary>
    public required string DomainPattern { get; set; }

    /// <summary>Sanitized before it is stored.</summary>
    public required string Html { get; set; }
}
