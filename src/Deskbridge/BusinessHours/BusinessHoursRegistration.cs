using Microsoft.EntityFrameworkCore;

namespace Deskbridge.BusinessHours;

public static class BusinessHoursRegistration
{
    /// <summary>G6: business hours per organization and the message the customer gets on handoff.</summary>
    public static WebApplicationBuilder AddBusinessHours(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<BusinessHoursService>();
        builder.Services.AddScoped<CustomerNotice>();
        return builder;
    }

    public static WebApplication MapBusinessHours(this WebApplication app)
    {
        app.MapBusinessHoursEndpoints();
        return app;
    }

    public static void Configure(ModelBuilder model)
    {
        model.Entity<BusinessHoursSettings>(e =>
        {
            e.HasKey(b => b.OrganizationId);
            e.HasOne<Organizations.Organization>().WithOne().HasForeignKey<BusinessHoursSettings>(b => b.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(b => b.TimeZone).HasMaxLength(100);
            e.Property(b => b.Weekly).HasMaxLength(2000);
            e.Property(b => b.Holidays).HasMaxLength(3000);
        });
        model.Entity<HandoffMessageSettings>(e =>
        {
            e.HasKey(m => m.OrganizationId);
            e.HasOne<Organizations.Organization>().WithOne().HasForeignKey<HandoffMessageSettings>(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
