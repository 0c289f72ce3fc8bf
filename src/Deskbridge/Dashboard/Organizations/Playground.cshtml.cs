using Deskbridge.Playground;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>
/// The playground: write as a customer and see what the agent would do, without touching HubSpot (a GET: members may try
/// it); save the question with its expected outcome (owners and admins) and run the saved cases as a regression suite.
/// </summary>
public sealed class PlaygroundModel(PlaygroundEvaluation evaluation, PlaygroundCases cases) : OrganizationPage
{
    protected override string Section => "playground";

    [BindProperty(SupportsGet = true)]
    public string Channel { get; set; } = "chat";

    [BindProperty(SupportsGet = true)]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Language { get; set; }

    /// <summary>Earlier lines, one a line: "customer: …" or "ai: …", oldest first.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Earlier { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Run { get; set; }

    public PlaygroundOutcome? Outcome { get; private set; }

    public Dictionary<string, string[]> Problems { get; private set; } = [];

    public List<PlaygroundCase> Cases { get; private set; } = [];

    public PlaygroundSuiteResult? Suite { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Cases = await cases.ListAsync(Organization.Id, ct);
        if (Run)
        {
            Suite = await cases.RunAsync(Organization.Id, ct);
        }

        if (Text is null)
        {
            return;
        }

        var input = Input();
        Problems = input.Problems();
        if (Problems.Count == 0)
        {
            Outcome = await evaluation.EvaluateAsync(Organization.Id, input, ct);
        }
    }

    public async Task<IActionResult> OnPostSaveAsync(PlaygroundExpectation expected, string? expectedArticleId, CancellationToken ct)
    {
        var input = Input();
        var (saved, problems) = await cases.SaveAsync(Organization.Id,
            new PlaygroundCaseForm(input.Channel, input.Text, input.Language, input.Earlier, expected, expected == PlaygroundExpectation.Answer ? expectedArticleId : null), ct);
        Notice = saved is null
            ? "Not saved: " + string.Join(" ", problems.SelectMany(p => p.Value))
            : expected == PlaygroundExpectation.Answer
                ? $"Saved: \"{saved.Text}\" should be answered{(saved.ExpectedArticleId is null ? "" : $" from {saved.ExpectedArticleId}")}."
                : $"Saved: \"{saved.Text}\" should be handed off.";
        NoticeKind = saved is null ? "bad" : "ok";
        return RedirectToPage(new { Channel, Text, Language, Earlier });
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid caseId, CancellationToken ct) =>
        await cases.DeleteAsync(Organization.Id, caseId, ct) ? Done("The case is deleted.") : Done("No such case.", "warn");

    private PlaygroundInput Input() => new(Channel, Text, string.IsNullOrWhiteSpace(Language) ? null : Language.Trim(),
        PlaygroundEndpoints.ParseEarlier(Earlier?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

    /// <summary>The post's body as HubSpot receives it (indented for reading).</summary>
    public static string BodyJson(PlaygroundPost post) => System.Text.Json.JsonSerializer.Serialize(post.Body, Indented);

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true };
}
