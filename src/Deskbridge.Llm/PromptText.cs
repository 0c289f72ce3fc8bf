using System.Globalization;
using System.Text;
using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;

namespace Deskbridge.Llm;

/// <summary>
/// How the parts of a request are written into the prompt placeholders. Internal notes are left out:
/// they are for the team and must never find their way into a reply to the customer.
/// </summary>
internal static class PromptText
{
    /// <summary>The latest entries are kept when a thread is longer than this.</summary>
    public const int MaxEntries = 40;

    /// <summary>One entry longer than this (a pasted email thread, say) is cut.</summary>
    public const int MaxEntryLength = 4000;

    public static string Conversation(IReadOnlyList<TranscriptEntry> transcript)
    {
        var entries = transcript.Where(e => e.Speaker != Speaker.InternalNote && !string.IsNullOrWhiteSpace(e.Text)).ToList();
        var builder = new StringBuilder();
        if (entries.Count > MaxEntries)
        {
            builder.Append(CultureInfo.InvariantCulture, $"({entries.Count - MaxEntries} earlier messages left out)\n\n");
            entries = entries[^MaxEntries..];
        }

        foreach (var entry in entries)
        {
            builder.Append(CultureInfo.InvariantCulture, $"[{entry.At.ToUniversalTime():yyyy-MM-dd HH:mm} UTC] {Label(entry.Speaker)}: {Cut(entry.Text.Trim())}\n\n");
        }

        return entries.Count == 0 ? "(no messages)" : builder.ToString().TrimEnd();
    }

    public static string Passages(IReadOnlyList<KnowledgeHit> hits)
    {
        if (hits.Count == 0)
        {
            return "(none found: the knowledge base has nothing on this question)";
        }

        var builder = new StringBuilder();
        foreach (var hit in hits)
        {
            var passage = hit.Passage;
            builder.Append('[').Append(passage.Id).Append("] ").Append(passage.ArticleTitle);
            if (!string.IsNullOrWhiteSpace(passage.Heading))
            {
                builder.Append(" — ").Append(passage.Heading);
            }

            builder.Append('\n').Append(passage.Text.Trim()).Append("\n\n");
        }

        return builder.ToString().TrimEnd();
    }

    public static string Crm(CrmContext? crm)
    {
        if (crm is null)
        {
            return "(not available)";
        }

        var lines = new List<string>();
        if (crm.Contact is { } contact)
        {
            lines.Add("Contact: " + Join(contact.Name, contact.Email, contact.Phone));
        }

        if (crm.Company is { } company)
        {
            lines.Add("Company: " + Join(company.Name, company.Domain, company.Industry, company.Size is null ? null : "size " + company.Size));
        }

        lines.AddRange(crm.Deals.Select(d => "Deal: " + Join(d.Name, d.Stage, d.Amount is null ? null : "amount " + d.Amount, d.CloseDate is null ? null : "closes " + d.CloseDate)));
        lines.AddRange(crm.PreviousTickets.Select(t => "Previous ticket: " + Join(t.Subject, t.Status)));
        return lines.Count == 0 ? "(nothing known)" : string.Join('\n', lines);
    }

    public static string CustomData(IReadOnlyDictionary<string, string> customData) =>
        customData.Count == 0
            ? "(none)"
            : string.Join('\n', customData.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {Cut(p.Value)}"));

    private static string Label(Speaker speaker) => speaker switch
    {
        Speaker.Customer => "Customer",
        Speaker.Ai => "AI assistant",
        Speaker.HumanAgent => "Human agent",
        _ => speaker.ToString(),
    };

    private static string Join(params string?[] parts) => string.Join(", ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static string Cut(string text) => text.Length <= MaxEntryLength ? text : text[..MaxEntryLength] + " …";
}
