using Deskbridge.Accounts;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Dashboard;

/// <summary>The organization picker: one organization opens straight away.</summary>
public sealed class IndexModel(OrganizationAccess access, AccountService accounts, DeskbridgeDb db, TimeProvider time) : PageModel
{
    public List<(Organization Organization, OrganizationRole Role)> Organizations { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    public string? NameError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Organizations = await access.VisibleAsync(User, ct);
        return Organizations.Count == 1 ? Redirect($"/orgs/{Organizations[0].Organization.Id}/settings") : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Name) || OrganizationAccess.PersonId(User) is not { } userId)
        {
            NameError = "Give the organization a name.";
            Organizations = await access.VisibleAsync(User, ct);
            return Page();
        }
        if (InputLimits.TooLong(Name, InputLimits.OrganizationName, "The name") is { } tooLong)
        {
            NameError = tooLong;
            Name = null;
            Organizations = await access.VisibleAsync(User, ct);
            return Page();
        }
        var slug = Slugs.From(Name);
        if (await db.Organizations.AnyAsync(o => o.Slug == slug, ct))
        {
            NameError = $"An organization with the short name '{slug}' exists already; choose another name.";
            Organizations = await access.VisibleAsync(User, ct);
            return Page();
        }
        var organization = new Organization { Name = Name.Trim(), Slug = slug, CreatedAt = time.GetUtcNow(), AutopilotChannels = "chat,email" };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);
        await accounts.SetRoleAsync(userId, organization.Id, OrganizationRole.Owner, ct);
        return Redirect($"/orgs/{organization.Id}/setup");
    }
}
