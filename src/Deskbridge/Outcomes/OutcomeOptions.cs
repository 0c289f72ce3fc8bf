using System.ComponentModel.DataAnnotations;

namespace Deskbridge.Outcomes;

/// <summary>I4 (section <c>Outcomes</c>): writing the AI's outcome into HubSpot's ticket and contact properties.</summary>
public sealed class OutcomeOptions
{
    public const string SectionName = "Outcomes";

    /// <summary>Off: no outcome property is created or written (the handoff tag and everything else stay).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The handoff reason is cut to this many characters on the ticket.</summary>
    [Range(20, 60_000)]
    public int HandoffReasonMaxLength { get; set; } = 1000;

    /// <summary>
    /// Off (the default): the ticket is written when the outcome changes (answered, handed off, drafted, a new handoff reason),
    /// with the reply count of that moment, so a run of AI replies costs no HubSpot call each. On: every AI reply also
    /// writes the new count (one PATCH per reply).
    /// </summary>
    public bool WriteEveryReply { get; set; }
}
