using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Policies;

public static class PoliciesRegistration
{
    /// <summary>G1/G2: the send policy (rules per organization) and its drafts with their approval.</summary>
    public static WebApplicationBuilder AddPolicies(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SendPolicy>();
        builder.Services.AddScoped<DraftService>();
        return builder;
    }

    public static WebApplication MapPolicies(this WebApplication app)
    {
        app.MapPolicyEndpoints();
        return app;
    }

    /// <summary>The model of this folder's entities; DeskbridgeDb calls it.</summary>
    public static void Configure(ModelBuilder model)
    {
        model.Entity<SendPolicyRule>(e =>
        {
            e.HasIndex(r => new { r.OrganizationId, r.Position });
            e.HasOne<Organizations.Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(r => r.Channel).HasMaxLength(50);
            e.Property(r => r.Sender).HasMaxLength(254);
            e.Property(r => r.Intent).HasMaxLength(50);
            e.Property(r => r.Language).HasMaxLength(10);
        });
        model.Entity<AnswerDraft>(e =>
        {
            e.HasIndex(d => new { d.OrganizationId, d.ForMessageId }).IsUnique();
            e.HasIndex(d => new { d.OrganizationId, d.ThreadId });
            e.HasIndex(d => new { d.OrganizationId, d.State });
            e.HasOne<Organizations.Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(d => d.ThreadId).HasMaxLength(100);
            e.Property(d => d.ForMessageId).HasMaxLength(100);
            e.Property(d => d.DraftMessageId).HasMaxLength(100);
            e.Property(d => d.SentMessageId).HasMaxLength(100);
            e.Property(d => d.DecidedBy).HasMaxLength(254);
            e.Property(d => d.DecidedVia).HasMaxLength(20);
            e.Property(d => d.ApprovalId).HasMaxLength(100);
        });
    }
}
