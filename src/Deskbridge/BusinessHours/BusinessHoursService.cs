using System.Globalization;
using System.Text.Json;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.BusinessHours;

public sealed record OpenRangeInput(string? Day, string? Open, string? Close);

/// <param name="TimeZone">IANA id, e.g. Europe/Berlin.</param>
/// <param name="Holidays">Local dates, yyyy-MM-dd.</param>
public sealed record BusinessHoursInput(string? TimeZone, IReadOnlyList<OpenRangeInput>? Weekly, IReadOnlyList<string>? Holidays);

public sealed record BusinessHoursView(string TimeZone, IReadOnlyList<OpenRangeInput> Weekly, IReadOnlyList<string> Holidays, bool Configured);

public sealed record HandoffMessageInput(bool? ChatEnabled, bool? EmailEnabled, IReadOnlyList<HandoffMessageText>? Texts);

public sealed record HandoffMessageView(bool ChatEnabled, bool EmailEnabled, IReadOnlyList<HandoffMessageText> Texts, IReadOnlyList<HandoffMessageText> Defaults);

/// <summary>G6: business hours and the customer's handoff message, read and saved; the API and the dashboard both save through here.</summary>
public sealed class BusinessHoursService(DeskbridgeDb db)
{
    public const int MaxHolidays = 200;
    public const int MaxTexts = 50;
    public const int MaxTextLength = 1000;

    public async Task<BusinessClock> ClockAsync(Guid organizationId, CancellationToken ct) =>
        BusinessClock.From(await db.BusinessHours.AsNoTracking().SingleOrDefaultAsync(b => b.OrganizationId == organizationId, ct));

    public async Task<BusinessHoursView> GetHoursAsync(Guid organizationId, CancellationToken ct)
    {
        var stored = await db.BusinessHours.AsNoTracking().SingleOrDefaultAsync(b => b.OrganizationId == organizationId, ct);
        var clock = BusinessClock.From(stored);
        return new BusinessHoursView(clock.TimeZoneId,
            [.. clock.Week.Select(r => new OpenRangeInput(r.Day.ToString().ToLowerInvariant(), BusinessClock.Time(r.Open), BusinessClock.Time(r.Close)))],
            [.. clock.Holidays.Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))], stored is not null);
    }

    /// <returns>Problems by field (timeZone, weekly[i].open, holidays[i]); empty when saved.</returns>
    public async Task<Dictionary<string, string[]>> SaveHoursAsync(Guid organizationId, BusinessHoursInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var zone = input.TimeZone?.Trim();
        if (string.IsNullOrEmpty(zone) || zone.Length > 100 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) || !found.HasIanaId)
        {
            errors["timeZone"] = [$"timeZone: '{zone}' is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)."];
        }
        var ranges = new List<OpenRange>();
        var weekly = input.Weekly ?? [];
        if (weekly.Count > 7 * 4)
        {
            errors["weekly"] = ["weekly: at most 28 opening ranges (4 a day)."];
            weekly = [];
        }
        for (var i = 0; i < weekly.Count; i++)
        {
            var row = weekly[i];
            var problems = new List<string>();
            if (!Enum.TryParse<DayOfWeek>(row.Day?.Trim(), ignoreCase: true, out var day) || int.TryParse(row.Day, out _))
            {
                problems.Add($"day: '{row.Day}' is not a day of the week (monday … sunday).");
            }
            if (!BusinessClock.TryParseTime(row.Open, out var open) || open == TimeSpan.FromHours(24))
            {
                problems.Add($"open: '{row.Open}' is not a time as HH:mm (00:00–23:59).");
            }
            if (!BusinessClock.TryParseTime(row.Close, out var close))
            {
                problems.Add($"close: '{row.Close}' is not a time as HH:mm (00:00–24:00).");
            }
            else if (problems.Count == 0 && close <= open)
            {
                problems.Add($"close: {row.Close} is not after {row.Open}; a range ends on the day it starts (use 24:00 for midnight).");
            }
            if (problems.Count > 0)
            {
                errors[$"weekly[{i}]"] = [.. problems];
                continue;
            }
            var range = new OpenRange(day, open, close);
            if (ranges.Any(r => r.Day == day && r.Open < close && open < r.Close))
            {
                errors[$"weekly[{i}]"] = [$"{day.ToString().ToLowerInvariant()}: {row.Open}-{row.Close} overlaps another range of the same day."];
                continue;
            }
            ranges.Add(range);
        }
        var holidays = new List<DateOnly>();
        var holidayInputs = input.Holidays ?? [];
        if (holidayInputs.Count > MaxHolidays)
        {
            errors["holidays"] = [$"holidays: at most {MaxHolidays} dates ({holidayInputs.Count} given)."];
            holidayInputs = [];
        }
        for (var i = 0; i < holidayInputs.Count; i++)
        {
            if (DateOnly.TryParseExact(holidayInputs[i]?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                holidays.Add(date);
            }
            else
            {
                errors[$"holidays[{i}]"] = [$"holidays: '{holidayInputs[i]}' is not a date as yyyy-MM-dd (e.g. 2026-12-25)."];
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }

        var stored = await db.BusinessHours.SingleOrDefaultAsync(b => b.OrganizationId == organizationId, ct);
        if (stored is null)
        {
            stored = new BusinessHoursSettings { OrganizationId = organizationId };
            db.BusinessHours.Add(stored);
        }
        stored.TimeZone = zone!;
        stored.Weekly = string.Join(';', ranges.OrderBy(r => (((int)r.Day + 6) % 7, r.Open)).Select(BusinessClock.Format));
        stored.Holidays = string.Join(',', holidays.Distinct().Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<HandoffMessageView> GetMessageAsync(Guid organizationId, CancellationToken ct)
    {
        var stored = await db.HandoffMessages.AsNoTracking().SingleOrDefaultAsync(m => m.OrganizationId == organizationId, ct) ?? new HandoffMessageSettings();
        return new HandoffMessageView(stored.ChatEnabled, stored.EmailEnabled, TextsOf(stored), HandoffMessageTexts.Defaults);
    }

    public async Task<Dictionary<string, string[]>> SaveMessageAsync(Guid organizationId, HandoffMessageInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var texts = input.Texts ?? [];
        if (texts.Count > MaxTexts)
        {
            errors["texts"] = [$"texts: at most {MaxTexts} languages ({texts.Count} given)."];
            return errors;
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            var problems = new List<string>();
            var language = text.Language?.Trim() ?? "";
            if (language.Length != 2 || !language.All(char.IsAsciiLetter))
            {
                problems.Add($"language: '{text.Language}' is not a two-letter ISO 639-1 code (e.g. en, de).");
            }
            else if (!seen.Add(language))
            {
                problems.Add($"language: {language} is given twice; one text per language.");
            }
            if (string.IsNullOrWhiteSpace(text.DuringHours) || text.DuringHours.Length > MaxTextLength)
            {
                problems.Add($"duringHours: write the message (1–{MaxTextLength} characters).");
            }
            if (string.IsNullOrWhiteSpace(text.OutsideHours) || text.OutsideHours.Length > MaxTextLength)
            {
                problems.Add($"outsideHours: write the message (1–{MaxTextLength} characters); {HandoffMessageTexts.Reopens} says when the team is back.");
            }
            if (problems.Count > 0)
            {
                errors[$"texts[{i}]"] = [.. problems];
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        var stored = await db.HandoffMessages.SingleOrDefaultAsync(m => m.OrganizationId == organizationId, ct);
        if (stored is null)
        {
            stored = new HandoffMessageSettings { OrganizationId = organizationId };
            db.HandoffMessages.Add(stored);
        }
        stored.ChatEnabled = input.ChatEnabled ?? stored.ChatEnabled;
        stored.EmailEnabled = input.EmailEnabled ?? stored.EmailEnabled;
        if (input.Texts is not null)
        {
            stored.Texts = JsonSerializer.Serialize(texts.Select(t => new HandoffMessageText(t.Language.Trim().ToLowerInvariant(), t.DuringHours.Trim(), t.OutsideHours.Trim())).ToList(), Json);
        }
        await db.SaveChangesAsync(ct);
        return errors;
    }

    internal static List<HandoffMessageText> TextsOf(HandoffMessageSettings settings) =>
        JsonSerializer.Deserialize<List<HandoffMessageText>>(settings.Texts, Json) ?? [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
