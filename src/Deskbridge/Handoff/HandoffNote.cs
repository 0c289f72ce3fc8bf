using System.Globalization;
using System.Text;
using Deskbridge.Agent;
using Deskbridge.Threads;

namespace Deskbridge.Handoff;

public static class HandoffNote
{
    /// <summary>
    /// H1: starts with the handoff marker byte for byte (C2 recognises it), then the AI's reason, a summary, the
    /// customer's sentiment and language, what the CRM knows (H5, when known), and the link to the session.
    /// </summary>
    /// <param name="customerTold">G6: whether the customer was told a human will reply, and what.</param>
    public static string Compose(AgentHandoff decision, ConversationAnalysis analysis, Uri sessionLink, CrmContext? crm = null, string? customerTold = null)
    {
        var text = new StringBuilder();
        text.Append(Markers.Handoff).Append('\n');
        text.Append("Reason: ").Append(decision.Reason).Append('\n');
        text.Append("Summary: ").Append(analysis.Summary).Append('\n');
        text.Append("Sentiment: ").Append(analysis.Sentiment.Label.ToString().ToLowerInvariant())
            .Append(" (").Append(analysis.Sentiment.Score.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)).Append(")\n");
        text.Append("Language: ").Append(LanguageName(analysis.Language)).Append('\n');
        if (crm is not null)
        {
            text.Append("CRM: ").Append(CrmLine(crm)).Append('\n');
        }
        if (customerTold is not null)
        {
            text.Append(customerTold).Append('\n');
        }
        text.Append("Session: ").Append(sessionLink);
        return text.ToString();
    }

    /// <summary>One line: a human skims it, the full records are a click away in HubSpot.</summary>
    private static string CrmLine(CrmContext crm)
    {
        var parts = new List<string>();
        if (crm.Contact is { } contact)
        {
            parts.Add(Joined(", ", contact.Name, contact.Email, contact.Phone, contact.OwnerId is null ? null : $"owner {contact.OwnerId}"));
        }
        if (crm.Company is { } company)
        {
            var details = Joined(", ", company.Domain, company.Industry, company.Size is null ? null : $"{company.Size} employees");
            parts.Add($"company {company.Name ?? company.Id}{(details.Length > 0 ? $" ({details})" : "")}");
        }
        if (crm.Deals.Count > 0)
        {
            parts.Add("deals: " + string.Join(", ", crm.Deals.Select(d =>
                Joined(" ", d.Name ?? d.Id, d.Stage, d.Amount, d.CloseDate is { Length: >= 10 } close ? $"closing {close[..10]}" : d.CloseDate))));
        }
        if (crm.PreviousTickets.Count > 0)
        {
            parts.Add("previous tickets: " + string.Join(", ", crm.PreviousTickets.Select(t => $"\"{t.Subject ?? t.Id}\" (stage {t.Status ?? "?"})")));
        }
        if (crm.MissingParts.Count > 0)
        {
            parts.Add("not available: " + string.Join("; ", crm.MissingParts));
        }
        return parts.Count == 0 ? "nothing known" : string.Join("; ", parts);
    }

    private static string Joined(string separator, params string?[] values) =>
        string.Join(separator, values.Where(v => !string.IsNullOrWhiteSpace(v)));

    private static string LanguageName(string code)
    {
        if (code == "und")
        {
            return "undetermined";
        }
        try
        {
            return $"{CultureInfo.GetCultureInfo(code).EnglishName} ({code})";
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }
}
