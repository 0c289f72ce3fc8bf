using System.Globalization;
using Deskbridge.BusinessHours;
using Deskbridge.Policies;
using Deskbridge.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>Conversation control: the send policy (G1), drafts waiting for approval (G2), business hours and the customer's handoff message (G6).</summary>
public sealed class PoliciesModel(DeskbridgeDb db, BusinessHoursService hours, DraftService drafts) : OrganizationPage
{
    protected override string Section => "policies";

    public List<RuleRow> Rules { get; private set; } = [];
    public Dictionary<int, string[]> RuleErrors { get; private set; } = [];
    public BusinessHoursView Hours { get; private set; } = null!;
    public List<OpenRangeInput> HourRows { get; private set; } = [];
    public string HolidayText { get; private set; } = "";
    public string? TimeZoneText { get; private set; }
    public Dictionary<string, string[]> HourErrors { get; private set; } = [];
    public HandoffMessageView Message { get; private set; } = null!;
    public List<HandoffMessageText> MessageRows { get; private set; } = [];
    public Dictionary<string, string[]> MessageErrors { get; private set; } = [];
    public List<AnswerDraft> Drafts { get; private set; } = [];

    /// <summary>One row of the policy editor, as typed: numbers stay text until saved, so a typo is shown back with its message.</summary>
    public sealed class RuleRow
    {
        public string? Order { get; set; }
        public bool Delete { get; set; }
        public string? Action { get; set; }
        public string? Channel { get; set; }
        public string? Sender { get; set; }
        public string? ConfidenceBelow { get; set; }
        public string? ConfidenceAtLeast { get; set; }
        public string? Intent { get; set; }
        public string? Language { get; set; }
        public string? Hours { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(Action) && string.IsNullOrWhiteSpace(Channel) && string.IsNullOrWhiteSpace(Sender)
            && string.IsNullOrWhiteSpace(ConfidenceBelow) && string.IsNullOrWhiteSpace(ConfidenceAtLeast) && string.IsNullOrWhiteSpace(Intent)
            && string.IsNullOrWhiteSpace(Language) && string.IsNullOrWhiteSpace(Hours);

        public static RuleRow From(SendPolicyRuleInput input, int position) => new()
        {
            Order = (position + 1).ToString(CultureInfo.InvariantCulture),
            Action = input.Action, Channel = input.Channel, Sender = input.Sender, Intent = input.Intent, Language = input.Language, Hours = input.Hours,
            ConfidenceBelow = input.ConfidenceBelow?.ToString(CultureInfo.InvariantCulture),
            ConfidenceAtLeast = input.ConfidenceAtLeast?.ToString(CultureInfo.InvariantCulture),
        };
    }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRulesAsync(List<RuleRow>? rules, CancellationToken ct)
    {
        // Rows in the order asked for (a row without a number keeps its place), deleted and empty rows left out.
        var kept = (rules ?? []).Select((row, index) => (Row: row, Index: index))
            .Where(r => !r.Row.Delete && !r.Row.IsEmpty)
            .OrderBy(r => double.TryParse(r.Row.Order, NumberStyles.Float, CultureInfo.InvariantCulture, out var order) ? order : r.Index + 1)
            .ThenBy(r => r.Index)
            .Select(r => r.Row).ToList();
        var inputs = new List<SendPolicyRuleInput>();
        var typos = new Dictionary<int, List<string>>();
        for (var i = 0; i < kept.Count; i++)
        {
            var row = kept[i];
            inputs.Add(new SendPolicyRuleInput(row.Action, row.Channel, row.Sender,
                Number(row.ConfidenceBelow, "confidenceBelow", i, typos), Number(row.ConfidenceAtLeast, "confidenceAtLeast", i, typos),
                row.Intent, row.Language, row.Hours));
        }
        var errors = SendPolicyRuleSet.Validate(inputs);
        foreach (var (i, problems) in typos)
        {
            errors[i] = [.. problems, .. errors.GetValueOrDefault(i) ?? []];
        }
        if (errors.Count > 0)
        {
            await LoadAsync(ct);
            Rules = [.. kept.Select((row, i) => { row.Order = (i + 1).ToString(CultureInfo.InvariantCulture); return row; }), new RuleRow()];
            RuleErrors = errors;
            return Page();
        }
        var saved = await SendPolicyRuleSet.ReplaceAsync(db, Organization.Id, inputs, ct);
        return Done(saved.Count == 0 ? "Send policy saved: no rules, so the default policy decides (send; assist mode drafts)." : $"Send policy saved: {saved.Count} rule(s).");
    }

    public async Task<IActionResult> OnPostHoursAsync(string? timeZone, List<OpenRangeInput>? weekly, string? holidays, CancellationToken ct)
    {
        var rows = (weekly ?? []).Where(r => !string.IsNullOrWhiteSpace(r.Open) || !string.IsNullOrWhiteSpace(r.Close)).ToList();
        var dates = (holidays ?? "").Split([',', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var errors = await hours.SaveHoursAsync(Organization.Id, new BusinessHoursInput(timeZone, rows, dates), ct);
        if (errors.Count > 0)
        {
            await LoadAsync(ct);
            // weekly[i] of the saved list is the i-th filled row; shown by day so the message sits next to it.
            HourErrors = errors.ToDictionary(e => e.Key.StartsWith("weekly[", StringComparison.Ordinal) && int.TryParse(e.Key[7..^1], out var i) && i < rows.Count
                ? $"day:{rows[i].Day}" : e.Key, e => e.Value);
            TimeZoneText = timeZone;
            HourRows = WeekRows(rows);
            HolidayText = holidays ?? "";
            return Page();
        }
        return Done("Business hours saved.");
    }

    public async Task<IActionResult> OnPostMessageAsync(bool chatEnabled, bool emailEnabled, List<HandoffMessageText>? texts, CancellationToken ct)
    {
        var rows = (texts ?? []).Where(t => !string.IsNullOrWhiteSpace(t.Language) || !string.IsNullOrWhiteSpace(t.DuringHours) || !string.IsNullOrWhiteSpace(t.OutsideHours))
            .Select(t => t with { Language = t.Language ?? "", DuringHours = t.DuringHours ?? "", OutsideHours = t.OutsideHours ?? "" }).ToList();
        var errors = await hours.SaveMessageAsync(Organization.Id, new HandoffMessageInput(chatEnabled, emailEnabled, rows), ct);
        if (errors.Count > 0)
        {
            await LoadAsync(ct);
            MessageErrors = errors;
            MessageRows = [.. rows, new HandoffMessageText("", "", "")];
            return Page();
        }
        return Done("Handoff message saved.");
    }

    public async Task<IActionResult> OnPostSendDraftAsync(long draftId, string? text, CancellationToken ct) =>
        await DecideAsync(draftId, new DraftCommand(true, string.IsNullOrWhiteSpace(text) ? null : text.Trim()), ct);

    public async Task<IActionResult> OnPostDiscardDraftAsync(long draftId, CancellationToken ct) =>
        await DecideAsync(draftId, new DraftCommand(false, null), ct);

    private async Task<IActionResult> DecideAsync(long draftId, DraftCommand command, CancellationToken ct)
    {
        var result = await drafts.DecideFromDashboardAsync(Organization.Id, draftId, command, PolicyEndpoints.Who(User), ct);
        if (result is null)
        {
            return Done("That draft does not exist.", "warn");
        }
        var ok = result.Sent || result.Sentence.StartsWith("discarded", StringComparison.Ordinal);
        return Done(ok ? $"Draft {draftId}: {result.Sentence}" : $"Draft {draftId} was not {(command.Send ? "sent" : "discarded")}: {result.Sentence}", ok ? "ok" : "bad");
    }

    private static double? Number(string? text, string field, int row, Dictionary<int, List<string>> typos)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (double.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        (typos.TryGetValue(row, out var list) ? list : typos[row] = []).Add($"{field}: '{text}' is not a number between 0 and 1 (e.g. 0.8).");
        return null;
    }

    private static List<OpenRangeInput> WeekRows(IReadOnlyList<OpenRangeInput> ranges) =>
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday }
            .Select(d => ranges.FirstOrDefault(r => string.Equals(r.Day, d.ToString(), StringComparison.OrdinalIgnoreCase)) is { } r
                ? r with { Day = d.ToString().ToLowerInvariant() }
                : new OpenRangeInput(d.ToString().ToLowerInvariant(), null, null))];

    private async Task LoadAsync(CancellationToken ct)
    {
        var stored = await db.SendPolicyRules.AsNoTracking().Where(r => r.OrganizationId == Organization.Id).OrderBy(r => r.Position).ToListAsync(ct);
        Rules = [.. stored.Select((r, i) => RuleRow.From(SendPolicyRuleSet.ToInput(r), i)), new RuleRow()];
        Hours = await hours.GetHoursAsync(Organization.Id, ct);
        HourRows = WeekRows(Hours.Configured ? Hours.Weekly : []);
        HolidayText = string.Join('\n', Hours.Holidays);
        TimeZoneText = Hours.Configured ? Hours.TimeZone : "";
        Message = await hours.GetMessageAsync(Organization.Id, ct);
        MessageRows = [.. Message.Texts, new HandoffMessageText("", "", "")];
        Drafts = await drafts.ListAsync(Organization.Id, null, 50, ct);
    }
}
