using System.Globalization;
using Deskbridge.Conversations;
using Microsoft.AspNetCore.Mvc;

namespace Deskbridge.Dashboard.Organizations;

/// <summary>G3/G5 on the settings page: the takeover setting and the chat burst window, validated by ConversationControlSettings like the API.</summary>
public sealed partial class SettingsModel
{
    public IReadOnlyDictionary<string, string[]> ControlErrors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The form as typed when a save was refused (null: show what is saved).</summary>
    public string? ControlTakeover { get; private set; }
    public string? ControlBurstWindow { get; private set; }

    public async Task<IActionResult> OnPostConversationControlAsync(string? takeover, string? burstWindowSeconds,
        [FromServices] ConversationControlSettings control, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        int? seconds = null;
        if (!string.IsNullOrWhiteSpace(burstWindowSeconds))
        {
            if (int.TryParse(burstWindowSeconds.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                seconds = parsed;
            }
            else
            {
                errors["burstWindowSeconds"] = [$"The burst window must be a whole number of seconds, 0 to {ConversationControlSettings.MaxBurstWindowSeconds} (empty uses the default)."];
            }
        }
        var result = errors.Count == 0 ? await control.UpdateAsync(Organization.Id, new ConversationControlUpdate(takeover, seconds), ct) : null;
        if (result?.View is not null)
        {
            return Done("Conversation control saved.");
        }
        ControlErrors = result?.Errors ?? errors;
        ControlTakeover = takeover;
        ControlBurstWindow = burstWindowSeconds;
        await LoadAsync(ct);
        return Page();
    }

    public string[] ControlFieldErrors(string field) => ControlErrors.TryGetValue(field, out var messages) ? messages : [];
}
