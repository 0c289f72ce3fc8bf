using Deskbridge.Accounts;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Dashboard;

/// <summary>
/// A page about one organization (route value orgId). S1 (the organization-member policy): people who are not members get
/// 404; members read; every POST handler needs owner or admin.
/// </summary>
public abstract class OrganizationPage : PageModel
{
    public Organization Organization { get; protected set; } = null!;
    public OrganizationRole Role { get; private set; }
    public bool CanManage => Role.CanManage();

    /// <summary>One line shown at the top after a change (PRG through TempData).</summary>
    [TempData]
    public string? Notice { get; set; }

    [TempData]
    public string? NoticeKind { get; set; }

    protected abstract string Section { get; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // The organization-member policy (on the /Organizations folder) has checked the role, for reading and for POSTs.
        if (!Guid.TryParse(RouteData.Values["orgId"]?.ToString(), out var organizationId)
            || HttpContext.RoleInRoute() is not { } role
            || await context.HttpContext.RequestServices.GetRequiredService<DeskbridgeDb>().Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, HttpContext.RequestAborted) is not { } organization)
        {
            context.Result = NotFound();
            return;
        }
        Organization = organization;
        Role = role;
        ViewData["Organization"] = organization;
        ViewData["Section"] = Section;
        await next();
    }

    protected IActionResult Done(string notice, string kind = "ok")
    {
        Notice = notice;
        NoticeKind = kind;
        return RedirectToPage();
    }
}
