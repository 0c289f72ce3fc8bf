using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deskbridge.Agents;

/// <summary>
/// One passage's sentence embedding, by the model that made it and the SHA-256 of the exact text embedded. Shared by all
/// organizations (the same text makes the same vector); an edited passage has a new hash, so it gets a new row.
/// </summary>
public sealed class PassageEmbedding
{
    public required string Model { get; set; }
    public required string ContentHash { get; set; }
    public int Dimensions { get; set; }

    /// <summary>The vector as little-endian float32s (384 of them for the shipped model: 1.5 KB).</summary>
    public required byte[] Vector { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class PassageEmbeddingConfiguration : IEntityTypeConfiguration<PassageEmbedding>
{
    public void Configure(EntityTypeBuilder<PassageEmbedding> e)
    {
        e.HasKey(p => new { p.Model, p.ContentHash });
        e.Property(p => p.Model).HasMaxLength(200);
        e.Property(p => p.ContentHash).HasMaxLength(64);
    }
}
