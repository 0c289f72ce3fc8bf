using Deskbridge.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.HubSpotApp;

public static class HubSpotAppModel
{
    public static void ApplyHubSpotAppModel(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HubSpotAppGrant>(e =>
        {
            e.HasKey(g => g.OrganizationId);
            e.HasOne<Organization>().WithOne().HasForeignKey<HubSpotAppGrant>(g => g.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            // One organization per portal: app webhooks are routed by portalId.
            e.HasIndex(g => g.PortalId).IsUnique();
            e.Property(g => g.InstalledByPersonId).HasMaxLength(100);
            e.Property(g => g.Scopes).HasMaxLength(2000);
        });
        modelBuilder.Entity<HubSpotAppInstallState>(e =>
        {
            e.HasKey(s => s.Nonce);
            e.Property(s => s.Nonce).HasMaxLength(64);
            e.Property(s => s.PersonId).HasMaxLength(100);
        });
        modelBuilder.Entity<UnroutedAppEvent>(e =>
        {
            e.Property(u => u.SubscriptionType).HasMaxLength(100);
            e.Property(u => u.Reason).HasMaxLength(500);
        });
    }
}
