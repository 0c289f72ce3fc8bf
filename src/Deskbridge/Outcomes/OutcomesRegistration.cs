using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Outcomes;

public static class OutcomesRegistration
{
    /// <summary>I4: the AI's outcome written into HubSpot's ticket and contact properties.</summary>
    public static WebApplicationBuilder AddOutcomes(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutcomeOptions>().BindConfiguration(OutcomeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<OutcomePropertyCheck>();
        builder.Services.AddScoped<OutcomeWriter>();
        return builder;
    }

    /// <summary>The model of this folder's entities; DeskbridgeDb calls it.</summary>
    public static void Configure(ModelBuilder model) => model.Entity<OutcomeRecord>(e =>
    {
        e.HasKey(r => r.SessionId);
        e.HasOne<Sessions.Session>().WithMany().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(r => r.OrganizationId);
        e.Property(r => r.HandoffTrigger).HasMaxLength(50);
        e.Property(r => r.TicketId).HasMaxLength(100);
        e.Property(r => r.TicketWritten).HasMaxLength(64);
        e.Property(r => r.ContactId).HasMaxLength(100);
        e.Property(r => r.ContactWritten).HasMaxLength(50);
    });
}
