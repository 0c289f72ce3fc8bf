namespace Deskbridge.BusinessHours;

/// <summary>
/// G6: the message the customer gets when the AI hands the conversation to a human. Absent (no row): the defaults —
/// on for chat, off for email (docs/features.md says why), with the built-in texts of <see cref="HandoffMessageTexts"/>.
/// </summary>
public sealed class HandoffMessageSettings
{
    public Guid OrganizationId { get; set; }
    public bool ChatEnabled { get; set; } = true;
    public bool EmailEnabled { get; set; }

    /// <summary>JSON array of {language, duringHours, outsideHours}: the organization's own wording, per language.</summary>
    public string Texts { get; set; } = "[]";
}

/// <param name="OutsideHours">May hold <c>{reopens}</c>: the day and time the team is back, in the customer's language.</param>
public sealed record HandoffMessageText(string Language, string DuringHours, string OutsideHours);
