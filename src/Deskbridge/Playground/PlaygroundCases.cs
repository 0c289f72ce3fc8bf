using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Playground;

/// <summary>The form that saves a case: the question (as the playground takes it) and the outcome the team expects.</summary>
public sealed record PlaygroundCaseForm(
    string? Channel, string? Text, string? Language, IReadOnlyList<PlaygroundLine>? Earlier, PlaygroundExpectation? Expected, string? ExpectedArticleId);

/// <summary>
/// An organization's saved playground cases and their run as a regression suite (the page and the API share it). A case
/// passes when the decision is the expected one and, for an answer with an article named, the first source is that article.
/// </summary>
public sealed class PlaygroundCases(DeskbridgeDb db, PlaygroundEvaluation evaluation, TimeProvider time)
{
    public const int MaxCasesPerOrganization = 500;

    /// <summary>Oldest first. Sorted here: SQLite cannot order by a DateTimeOffset column, and an organization has at most 500.</summary>
    public async Task<List<PlaygroundCase>> ListAsync(Guid organizationId, CancellationToken ct) =>
        [.. (await db.PlaygroundCases.AsNoTracking().Where(c => c.OrganizationId == organizationId).ToListAsync(ct)).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)];

    public async Task<(PlaygroundCase? Saved, Dictionary<string, string[]> Problems)> SaveAsync(Guid organizationId, PlaygroundCaseForm form, CancellationToken ct)
    {
        var input = new PlaygroundInput(form.Channel, form.Text, string.IsNullOrWhiteSpace(form.Language) ? null : form.Language.Trim(), form.Earlier);
        var problems = input.Problems();
        if (form.Expected is not { } expected || !Enum.IsDefined(expected))
        {
            problems["expected"] = ["Say what should happen: Answer or Handoff."];
        }
        else if (expected == PlaygroundExpectation.Handoff && !string.IsNullOrWhiteSpace(form.ExpectedArticleId))
        {
            problems["expectedArticleId"] = ["A handoff has no article; leave it empty."];
        }

        if (form.ExpectedArticleId is { Length: > 200 })
        {
            problems["expectedArticleId"] = ["At most 200 characters."];
        }

        if (problems.Count == 0 && await db.PlaygroundCases.CountAsync(c => c.OrganizationId == organizationId, ct) >= MaxCasesPerOrganization)
        {
            problems["text"] = [$"An organization keeps at most {MaxCasesPerOrganization} cases; delete some first."];
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var saved = new PlaygroundCase
        {
            OrganizationId = organizationId,
            Channel = input.Channel!,
            Text = input.Text!.Trim(),
            EarlierJson = PlaygroundEvaluation.EarlierJson(input.Earlier),
            Language = input.Language,
            Expected = form.Expected!.Value,
            ExpectedArticleId = string.IsNullOrWhiteSpace(form.ExpectedArticleId) ? null : form.ExpectedArticleId.Trim(),
            CreatedAt = time.GetUtcNow(),
        };
        db.PlaygroundCases.Add(saved);
        await db.SaveChangesAsync(ct);
        return (saved, problems);
    }

    public async Task<bool> DeleteAsync(Guid organizationId, Guid caseId, CancellationToken ct) =>
        await db.PlaygroundCases.Where(c => c.OrganizationId == organizationId && c.Id == caseId).ExecuteDeleteAsync(ct) > 0;

    /// <returns>Null when the organization does not exist.</returns>
    public async Task<PlaygroundSuiteResult?> RunAsync(Guid organizationId, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return null;
        }

        var results = new List<PlaygroundCaseResult>();
        foreach (var saved in await ListAsync(organizationId, ct))
        {
            var outcome = (await evaluation.EvaluateAsync(organizationId, PlaygroundEvaluation.InputOf(saved), ct))!;
            var answeredFrom = outcome.Sources.Count > 0 ? outcome.Sources[0].ArticleId : null;
            var passed = saved.Expected switch
            {
                PlaygroundExpectation.Handoff => outcome.Decision == "handoff",
                _ => outcome.Decision == "answer" && (saved.ExpectedArticleId is null || answeredFrom == saved.ExpectedArticleId),
            };
            var actual = outcome.Decision == "answer"
                ? answeredFrom is null ? "answered (small talk, no article)" : $"answered from {answeredFrom}"
                : $"handed off ({outcome.HandoffTrigger})";
            results.Add(new PlaygroundCaseResult(PlaygroundEvaluation.View(saved), passed, actual, outcome));
        }

        var passedCount = results.Count(r => r.Passed);
        return new PlaygroundSuiteResult(results.Count, passedCount, results.Count == 0 ? 0 : Math.Round((double)passedCount / results.Count, 4), results);
    }
}
