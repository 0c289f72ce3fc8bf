using System.Security.Claims;
using Deskbridge.Accounts;
using Deskbridge.Organizations;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Knowledge;

/// <summary>An organization's knowledge through the admin API: articles (list, search, add, edit, delete), preview, uploads and web imports.</summary>
public static class KnowledgeEndpoints
{
    public static RouteGroupBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations/{id:guid}/knowledge").WithTags("Knowledge").RequireAdminAccess();
        group.MapGet("/", StatusAsync);
        group.MapGet("/articles", ListAsync);
        group.MapGet("/articles/{articleId:guid}", GetAsync);
        group.MapPost("/articles", CreateAsync);
        group.MapPut("/articles/{articleId:guid}", UpdateAsync);
        group.MapDelete("/articles/{articleId:guid}", DeleteAsync);
        group.MapPost("/preview", Preview);
        // The API takes no antiforgery token: cookies are SameSite=Lax, so another site's form cannot post with them.
        group.MapPost("/uploads", UploadAsync).DisableAntiforgery();
        group.MapPost("/imports", ImportAsync);
        return group;
    }

    public sealed record KnowledgeStatus(bool InDatabase, string Folder, int Articles);

    public sealed record ArticleSummary(Guid Id, string Slug, string Title, string? Language, KnowledgeSource Source, string? SourceUrl,
        string? ImportedFrom, DateTimeOffset UpdatedAt, string? UpdatedBy);

    public sealed record ArticleView(Guid Id, string Slug, string Title, string? Language, KnowledgeSource Source, string? SourceUrl,
        string? ImportedFrom, DateTimeOffset UpdatedAt, string? UpdatedBy, string Markdown, string Html, string ContentHash);

    public sealed record ArticleBody(string? Title, string? Markdown, string? Slug, string? Language);

    public sealed record PreviewBody(string? Markdown);

    public sealed record PreviewView(string Html);

    public sealed record ImportBody(string? Url, bool FollowLinks);

    /// <summary>Whether the organization's knowledge is in the database yet, and the folder it is read from until then.</summary>
    private static async Task<Results<Ok<KnowledgeStatus>, NotFound>> StatusAsync(Guid id, DeskbridgeDb db, KnowledgeStore store, CancellationToken ct)
    {
        if (await OrganizationAsync(db, id, ct) is not { } organization)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new KnowledgeStatus(await store.IsManagedAsync(id, ct), store.FolderOf(organization),
            await db.KnowledgeArticles.CountAsync(a => a.OrganizationId == id, ct)));
    }

    private static async Task<Results<Ok<List<ArticleSummary>>, NotFound>> ListAsync(Guid id, string? q, DeskbridgeDb db, KnowledgeStore store, CancellationToken ct)
    {
        if (await OrganizationAsync(db, id, ct) is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok((await store.ListAsync(id, q, ct)).Select(Summary).ToList());
    }

    private static async Task<Results<Ok<ArticleView>, NotFound>> GetAsync(Guid id, Guid articleId, KnowledgeStore store, CancellationToken ct) =>
        await store.GetAsync(id, articleId, ct) is { } article ? TypedResults.Ok(View(article)) : TypedResults.NotFound();

    private static async Task<Results<Created<ArticleView>, ValidationProblem, NotFound>> CreateAsync(
        Guid id, ArticleBody body, ClaimsPrincipal user, DeskbridgeDb db, KnowledgeStore store, CancellationToken ct)
    {
        if (await OrganizationAsync(db, id, ct) is not { } organization)
        {
            return TypedResults.NotFound();
        }
        var saved = await store.CreateAsync(organization, Input(body), user.Identity?.Name, ct);
        return saved.Article is { } article
            ? TypedResults.Created($"/api/organizations/{id}/knowledge/articles/{article.Id}", View(article))
            : TypedResults.ValidationProblem(saved.Errors, title: "The article was not saved");
    }

    private static async Task<Results<Ok<ArticleView>, ValidationProblem, NotFound>> UpdateAsync(
        Guid id, Guid articleId, ArticleBody body, ClaimsPrincipal user, DeskbridgeDb db, KnowledgeStore store, CancellationToken ct)
    {
        if (await OrganizationAsync(db, id, ct) is not { } organization)
        {
            return TypedResults.NotFound();
        }
        var saved = await store.UpdateAsync(organization, articleId, Input(body), user.Identity?.Name, ct);
        return saved switch
        {
            { NotFound: true } => TypedResults.NotFound(),
            { Article: { } article } => TypedResults.Ok(View(article)),
            _ => TypedResults.ValidationProblem(saved.Errors, title: "The article was not saved"),
        };
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, Guid articleId, ClaimsPrincipal user, DeskbridgeDb db, KnowledgeStore store, CancellationToken ct) =>
        await OrganizationAsync(db, id, ct) is { } organization && await store.DeleteAsync(organization, articleId, user.Identity?.Name, ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    /// <summary>The Markdown as the dashboard shows it: Markdig's HTML, sanitized.</summary>
    private static Results<Ok<PreviewView>, ValidationProblem> Preview(PreviewBody body, Microsoft.Extensions.Options.IOptions<KnowledgeOptions> options)
    {
        var markdown = body.Markdown ?? "";
        if (markdown.Length > options.Value.MaxArticleCharacters)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["markdown"] = [$"The article is longer than the limit of {options.Value.MaxArticleCharacters} characters ({markdown.Length})."],
            });
        }
        return TypedResults.Ok(new PreviewView(MarkdownText.ToSafeHtml(markdown)));
    }

    /// <summary>multipart/form-data: one or more <c>file</c> parts, an optional <c>language</c> for all of them.</summary>
    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult, ValidationProblem, NotFound>> UploadAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, DeskbridgeDb db, KnowledgeImports imports, CancellationToken ct)
    {
        if (await OrganizationAsync(db, id, ct) is not { } organization)
        {
            return TypedResults.NotFound();
        }
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(title: "Not a file upload", detail: "Send the files as multipart/form-data, each in a part named file.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        var form = await request.ReadFormAsync(ct);
        var files = form.Files.Select(f => new KnowledgeImports.UploadedFile(f.FileName, f.Length, async token =>
        {
            using var buffer = new MemoryStream();
            await f.CopyToAsync(buffer, token);
            return buffer.ToArray();
        })).ToList();
        var (report, refusal) = await imports.UploadAsync(organization, files, form["language"].FirstOrDefault(), user.Identity?.Name, ct);
        return Answer(report, refusal);
    }

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult, ValidationProblem, NotFound>> ImportAsync(
        Guid id, ImportBody body, ClaimsPrincipal user, DeskbridgeDb db, KnowledgeImports imports, CancellationToken ct)
    {
        if (await OrganizationAsync(db, id, ct) is not { } organization)
        {
            return TypedResults.NotFound();
        }
        var (report, refusal) = await imports.FromUrlAsync(organization, body.Url, body.FollowLinks, user.Identity?.Name, ct);
        return Answer(report, refusal);
    }

    private static Results<Ok<ImportReport>, ProblemHttpResult, ValidationProblem, NotFound> Answer(ImportReport? report, ImportRefusal? refusal) =>
        refusal switch
        {
            null => TypedResults.Ok(report!),
            { Status: StatusCodes.Status400BadRequest } => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [refusal.Field] = [refusal.Message] }, title: "Nothing was imported"),
            _ => TypedResults.Problem(title: "Nothing was imported", detail: refusal.Message, statusCode: refusal.Status,
                extensions: new Dictionary<string, object?> { ["field"] = refusal.Field }),
        };

    private static Task<Organization?> OrganizationAsync(DeskbridgeDb db, Guid id, CancellationToken ct) =>
        db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);

    private static ArticleInput Input(ArticleBody body) =>
        new(body.Title, body.Markdown, string.IsNullOrWhiteSpace(body.Slug) ? null : body.Slug.Trim(), string.IsNullOrWhiteSpace(body.Language) ? null : body.Language.Trim());

    internal static ArticleSummary Summary(KnowledgeArticleRecord a) =>
        new(a.Id, a.Slug, a.Title, a.Language, a.Source, a.SourceUrl, a.ImportedFrom, a.UpdatedAt, a.UpdatedBy);

    internal static ArticleView View(KnowledgeArticleRecord a) =>
        new(a.Id, a.Slug, a.Title, a.Language, a.Source, a.SourceUrl, a.ImportedFrom, a.UpdatedAt, a.UpdatedBy, a.Markdown, MarkdownText.ToSafeHtml(a.Markdown), a.ContentHash);
}
