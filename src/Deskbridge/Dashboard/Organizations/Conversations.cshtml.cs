using Deskbridge.ConversationsList;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>I1: the organization's conversations, newest activity first, filtered by their facts; each row opens its session.</summary>
public sealed class ConversationsModel(ConversationList list) : OrganizationPage
{
    protected override string Section => "conversations";

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Customer { get; set; }
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }
    [BindProperty(SupportsGet = true)] public string? Trigger { get; set; }
    [BindProperty(SupportsGet = true)] public string? Reason { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public ConversationPage Results { get; private set; } = new([], null, null);

    /// <summary>Each bad filter's message, shown above the form instead of a list.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public bool Filtered { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (filter, problems) = ConversationFilter.Parse(new ConversationQuery(Status, Channel, From, To, Customer, Language, Trigger, Reason, Q, Cursor));
        if (filter is null)
        {
            Problems = problems.SelectMany(p => p.Value).ToList();
            return;
        }
        Filtered = filter.Narrows;
        Results = await list.ListAsync(Organization.Id, filter, ct);
    }

    /// <summary>The same filters with another cursor: the next and previous links.</summary>
    public Dictionary<string, string?> RouteWith(ConversationCursor cursor) => new()
    {
        ["status"] = Status, ["channel"] = Channel, ["from"] = From, ["to"] = To, ["customer"] = Customer, ["language"] = Language,
        ["trigger"] = Trigger, ["reason"] = Reason, ["q"] = Q, ["cursor"] = cursor.Encode(),
    };

    public static string When(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).ToString("yyyy-MM-dd HH:mm") : "";

    public static string Label(Deskbridge.Sessions.ConversationStatus status) => status switch
    {
        Deskbridge.Sessions.ConversationStatus.AnsweredByAi => "Answered by AI",
        Deskbridge.Sessions.ConversationStatus.HandedOff => "Handed off",
        Deskbridge.Sessions.ConversationStatus.WithHuman => "With a human",
        Deskbridge.Sessions.ConversationStatus.Drafted => "Draft waiting",
        _ => "Waiting",
    };
}
