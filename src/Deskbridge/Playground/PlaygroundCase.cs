using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deskbridge.Playground;

/// <summary>A saved playground question with the outcome the team expects; an organization's cases run as its regression suite.</summary>
public sealed class PlaygroundCase
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }

    /// <summary>One of HubSpot's channels: chat, email, facebook, whatsapp.</summary>
    public required string Channel { get; set; }

    /// <summary>The customer's message that the agent answers.</summary>
    public required string Text { get; set; }

    /// <summary>What was said before it, as JSON (<see cref="PlaygroundLine"/>[]); null for a single message.</summary>
    public string? EarlierJson { get; set; }

    /// <summary>The language the team wrote the question in (ISO 639-1), as they said it; the agent detects its own.</summary>
    public string? Language { get; set; }

    public PlaygroundExpectation Expected { get; set; }

    /// <summary>With <see cref="PlaygroundExpectation.Answer"/>: the article the answer must come from (first source); null accepts any.</summary>
    public string? ExpectedArticleId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum PlaygroundExpectation
{
    Answer = 0,
    Handoff = 1,
}

internal sealed class PlaygroundCaseConfiguration : IEntityTypeConfiguration<PlaygroundCase>
{
    public void Configure(EntityTypeBuilder<PlaygroundCase> e)
    {
        e.HasIndex(c => new { c.OrganizationId, c.CreatedAt });
        e.HasOne<Organizations.Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        e.Property(c => c.Channel).HasMaxLength(20);
        e.Property(c => c.Text).HasMaxLength(PlaygroundInput.MaxTextLength);
        e.Property(c => c.Language).HasMaxLength(10);
        e.Property(c => c.ExpectedArticleId).HasMaxLength(200);
    }
}
