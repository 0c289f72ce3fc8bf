using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>
/// I3: one customer question the AI handed to a human because it was not sure of an answer (the agent's low confidence, or
/// a send-policy rule on confidence). One row per HubSpot message, so a retried handoff records nothing twice.
/// </summary>
public sealed class KnowledgeGapQuestion
{
    /// <summary>Customer words kept per question: enough to read the question, not a whole email thread.</summary>
    public const int TextLimit = 1000;

    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid SessionId { get; set; }

    /// <summary>HubSpot's message id; unique per organization.</summary>
    public required string MessageId { get; set; }

    /// <summary>What the customer wrote this time (quoted history removed), cut at <see cref="TextLimit"/>.</summary>
    public required string Text { get; set; }

    /// <summary>ISO 639-1, when the detector was sure; null otherwise.</summary>
    public string? Language { get; set; }

    /// <summary>When the customer asked, epoch ms UTC (SQLite cannot compare DateTimeOffset in SQL).</summary>
    public long AskedAt { get; set; }

    /// <summary>The answer's confidence when a send-policy rule on confidence handed it off; null when the agent itself gave up.</summary>
    public double? Confidence { get; set; }

    /// <summary><c>LowConfidence</c> or <c>SendPolicy</c>: whose doubt it was.</summary>
    public required string Trigger { get; set; }

    /// <summary>The embedding model <see cref="Embedding"/> was made with; null when none was made yet.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>The question's sentence embedding (little-endian float32s), so the page groups without embedding again.</summary>
    public byte[]? Embedding { get; set; }

    /// <summary>The article written from this question's group on the gaps page; the group counts it as addressed.</summary>
    public Guid? AddressedByArticleId { get; set; }

    public long? AddressedAt { get; set; }
}

internal sealed class KnowledgeGapQuestionConfiguration : IEntityTypeConfiguration<KnowledgeGapQuestion>
{
    public void Configure(EntityTypeBuilder<KnowledgeGapQuestion> e)
    {
        e.HasIndex(q => new { q.OrganizationId, q.MessageId }).IsUnique();
        // The page: one organization's questions asked in a period.
        e.HasIndex(q => new { q.OrganizationId, q.AskedAt });
        e.HasOne<Organizations.Organization>().WithMany().HasForeignKey(q => q.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        e.Property(q => q.MessageId).HasMaxLength(100);
        e.Property(q => q.Text).HasMaxLength(KnowledgeGapQuestion.TextLimit);
        e.Property(q => q.Language).HasMaxLength(10);
        e.Property(q => q.Trigger).HasMaxLength(50);
        e.Property(q => q.EmbeddingModel).HasMaxLength(200);
    }
}
