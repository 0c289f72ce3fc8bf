using Deskbridge.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Knowledge;

/// <summary>The knowledge tables, kept here so the shared DbContext gains one line.</summary>
internal static class KnowledgeModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<KnowledgeArticleRecord>(e =>
        {
            e.ToTable("KnowledgeArticles");
            e.HasIndex(a => new { a.OrganizationId, a.Slug }).IsUnique();
            e.HasIndex(a => new { a.OrganizationId, a.ImportedFrom });
            e.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(a => a.Slug).HasMaxLength(ArticleRules.SlugLimit);
            e.Property(a => a.Title).HasMaxLength(ArticleRules.TitleLimit);
            e.Property(a => a.Language).HasMaxLength(10);
            e.Property(a => a.Source).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.SourceUrl).HasMaxLength(2048);
            e.Property(a => a.ImportedFrom).HasMaxLength(2048);
            e.Property(a => a.ContentHash).HasMaxLength(64);
            e.Property(a => a.UpdatedBy).HasMaxLength(300);
        });
        modelBuilder.Entity<KnowledgeRevision>(e =>
        {
            e.ToTable("KnowledgeRevisions");
            e.HasKey(r => r.OrganizationId);
            e.HasOne<Organization>().WithOne().HasForeignKey<KnowledgeRevision>(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
