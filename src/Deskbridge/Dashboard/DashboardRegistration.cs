using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace Deskbridge.Dashboard;

/// <summary>The server-rendered dashboard (Razor Pages under Dashboard/): sign-in required everywhere but the login page.</summary>
public static class DashboardRegistration
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard";
            o.Conventions.AuthorizeFolder("/");
            // S1: every page about one organization (route value orgId) needs a role in it; changes need owner or admin.
            o.Conventions.AuthorizeFolder("/Organizations", Accounts.OrganizationMemberPolicy.Name);
            o.Conventions.AllowAnonymousToPage("/Login");
        }).ConfigureApplicationPartManager(parts =>
        {
            // Tests and tools start the service from another entry assembly: the pages live in this one.
            var assembly = typeof(DashboardRegistration).Assembly;
            foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
            {
                if (!parts.ApplicationParts.Any(p => p.GetType() == part.GetType() && p.Name == part.Name))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        });
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}
