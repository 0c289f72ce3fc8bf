using Deskbridge.Knowledge;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>The organization's knowledge: articles (search), uploads and web imports, each import's report shown on the page it answers.</summary>
public sealed class KnowledgeModel(KnowledgeStore store, KnowledgeImports imports) : OrganizationPage
{
    protected override string Section => "knowledge";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public List<KnowledgeArticleRecord> Articles { get; private set; } = [];
    public bool InDatabase { get; private set; }
    public string Folder { get; private set; } = "";

    /// <summary>The import just made (uploads or URL), or why nothing was imported.</summary>
    public ImportReport? Report { get; private set; }
    public string? ReportOf { get; private set; }
    public string? Refused { get; private set; }

    public string? ImportUrl { get; set; }
    public bool FollowLinks { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostUploadAsync(List<IFormFile> files, string? language, CancellationToken ct)
    {
        var uploaded = files.Select(f => new KnowledgeImports.UploadedFile(f.FileName, f.Length, async token =>
        {
            using var buffer = new MemoryStream();
            await f.CopyToAsync(buffer, token);
            return buffer.ToArray();
        })).ToList();
        var (report, refusal) = await imports.UploadAsync(Organization, uploaded, language, User.Identity?.Name, ct);
        return await ShowAsync(report, refusal, files.Count == 1 ? files[0].FileName : $"{files.Count} uploaded files", ct);
    }

    public async Task<IActionResult> OnPostImportAsync(string? url, bool followLinks, CancellationToken ct)
    {
        ImportUrl = url;
        FollowLinks = followLinks;
        var (report, refusal) = await imports.FromUrlAsync(Organization, url, followLinks, User.Identity?.Name, ct);
        return await ShowAsync(report, refusal, url, ct);
    }

    private async Task<IActionResult> ShowAsync(ImportReport? report, ImportRefusal? refusal, string? of, CancellationToken ct)
    {
        Report = report;
        ReportOf = of;
        Refused = refusal?.Message;
        Q = null;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Articles = await store.ListAsync(Organization.Id, Q, ct);
        InDatabase = await store.IsManagedAsync(Organization.Id, ct);
        Folder = store.FolderOf(Organization);
    }
}
