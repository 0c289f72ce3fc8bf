using Deskbridge.Inbox;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Deskbridge.Conversations;

/// <summary>A whole replacement of an organization's conversation control: <c>burstWindowSeconds</c> null = the configured default.</summary>
public sealed record ConversationControlUpdate(string? Takeover, int? BurstWindowSeconds);

/// <summary>The settings as saved and as they apply (the configured window when none is saved).</summary>
public sealed record ConversationControlView(string Takeover, int? BurstWindowSeconds, double ChatBurstWindowSeconds, double EmailWindowSeconds);

/// <summary>
/// G3/G5 settings. The API and the dashboard both call this, so both refuse the same input with the same words.
/// </summary>
public sealed class ConversationControlSettings(DeskbridgeDb db, IOptions<ProcessingOptions> options)
{
    public const int MaxBurstWindowSeconds = 60;

    public static readonly IReadOnlyList<string> TakeoverNames = ["stop", "draft", "answer"];

    public sealed record Result(ConversationControlView? View, IReadOnlyDictionary<string, string[]> Errors)
    {
        public bool NotFound => View is null && Errors.Count == 0;
    }

    /// <summary>What applies to one organization's messages now.</summary>
    public sealed record Effective(TakeoverMode Takeover, TimeSpan ChatBurstWindow, TimeSpan EmailWindow)
    {
        public TimeSpan WindowFor(string channel) => channel == "email" ? EmailWindow : ChatBurstWindow;
    }

    public async Task<Effective> EffectiveAsync(Guid organizationId, CancellationToken ct)
    {
        var saved = await db.ConversationControls.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        return Apply(saved);
    }

    public async Task<ConversationControlView?> GetAsync(Guid organizationId, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return null;
        }
        var saved = await db.ConversationControls.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        return View(saved);
    }

    public async Task<Result> UpdateAsync(Guid organizationId, ConversationControlUpdate update, CancellationToken ct)
    {
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return new Result(null, new Dictionary<string, string[]>());
        }
        var errors = Validate(update, out var takeover);
        if (errors.Count > 0)
        {
            return new Result(null, errors);
        }

        var saved = await db.ConversationControls.SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        if (saved is null)
        {
            saved = new ConversationControl { OrganizationId = organizationId };
            db.ConversationControls.Add(saved);
        }
        saved.Takeover = takeover;
        saved.BurstWindowSeconds = update.BurstWindowSeconds;
        await db.SaveChangesAsync(ct);
        return new Result(View(saved), errors);
    }

    public static Dictionary<string, string[]> Validate(ConversationControlUpdate update, out TakeoverMode takeover)
    {
        var errors = new Dictionary<string, string[]>();
        takeover = TakeoverMode.Stop;
        if (update.Takeover is not { } name || !TryParse(name, out takeover))
        {
            errors["takeover"] = [$"Takeover must be one of {string.Join(", ", TakeoverNames)} (what the AI does once a human owns the thread)."];
        }
        if (update.BurstWindowSeconds is < 0 or > MaxBurstWindowSeconds)
        {
            errors["burstWindowSeconds"] = [$"The burst window must be 0 to {MaxBurstWindowSeconds} seconds (0 answers every message alone; empty uses the default)."];
        }
        return errors;
    }

    public static string NameOf(TakeoverMode mode) => TakeoverNames[(int)mode];

    private static bool TryParse(string name, out TakeoverMode mode)
    {
        var index = TakeoverNames.ToList().FindIndex(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));
        mode = index < 0 ? TakeoverMode.Stop : (TakeoverMode)index;
        return index >= 0;
    }

    private Effective Apply(ConversationControl? saved) => new(
        saved?.Takeover ?? TakeoverMode.Stop,
        saved?.BurstWindowSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.ChatBurstWindow,
        options.Value.EmailDelay);

    private ConversationControlView View(ConversationControl? saved)
    {
        var effective = Apply(saved);
        return new ConversationControlView(NameOf(effective.Takeover), saved?.BurstWindowSeconds,
            effective.ChatBurstWindow.TotalSeconds, effective.EmailWindow.TotalSeconds);
    }
}
