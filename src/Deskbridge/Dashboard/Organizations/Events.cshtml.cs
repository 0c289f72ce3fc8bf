using Deskbridge.Inbox;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>O1: every event's fate, searchable by event, thread or session id; failed events can be retried, one or many.</summary>
public sealed class EventsModel(EventRetry retry, EventSearch search) : OrganizationPage
{
    protected override string Section => "events";

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Fate { get; set; }

    public List<InboxEvent> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Events = await search.FindAsync(Organization.Id, new EventSearch.Query(Fate: Fate, AnyId: Q), 200, ct);

    /// <summary>Bulk retry: failed events by a part of their reason and the time they were received (UTC, inclusive).</summary>
    public async Task<IActionResult> OnPostRetryMatchingAsync(string? reason, DateTime? from, DateTime? to, [FromServices] FailedEventRetry bulk, CancellationToken ct)
    {
        var filter = new FailedEventRetry.Filter(reason, Utc(from), Utc(to));
        var problems = FailedEventRetry.Validate(filter);
        if (problems.Count > 0)
        {
            Notice = "Nothing retried: " + string.Join(" ", problems.SelectMany(p => p.Value));
            NoticeKind = "bad";
            return RedirectToPage(new { Q, Fate });
        }
        var result = await bulk.RetryAsync(Organization.Id, filter, ct);
        Notice = result.Requeued == 0
            ? "No failed event matches; nothing retried."
            : $"{result.Requeued} failed event{(result.Requeued == 1 ? " is" : "s are")} back in the inbox{(result.MoreLeft ? $" (at most {FailedEventRetry.MaxPerCall} at a time: retry again for the rest)" : "")}.";
        NoticeKind = result.Requeued == 0 ? "warn" : "ok";
        return RedirectToPage(new { Q, Fate });
    }

    // The form's datetime-local fields carry no zone; the page labels them UTC.
    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken ct)
    {
        var result = await retry.RetryAsync(Organization.Id, id, ct);
        if (result.Outcome != EventRetry.Outcome.Requeued)
        {
            return Done($"Event {id} is not a failed event; nothing to retry.", "warn");
        }
        Notice = $"Event {id} is back in the inbox.";
        NoticeKind = "ok";
        return RedirectToPage(new { Q, Fate });
    }
}
