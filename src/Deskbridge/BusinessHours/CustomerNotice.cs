using System.Globalization;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Deskbridge.Threads;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.BusinessHours;

/// <param name="Sentence">For the internal note and the fate: whether the customer was told, and what.</param>
public sealed record CustomerTold(bool Told, string Sentence);

/// <summary>
/// G6: on handoff, tell the customer a human will reply — on the thread's channel, as the AI user, in their language;
/// outside business hours, when the team is back. Posted once per handed-off message (ThreadPoster), so a retried
/// handoff tells nobody twice.
/// </summary>
public sealed class CustomerNotice(DeskbridgeDb db, HubSpotClient hubSpot, ThreadPoster poster, SessionStore sessions,
    Signatures.ReplySignatures signatures, TimeProvider time)
{
    public async Task<CustomerTold> TellAsync(ProcessingContext context, Session session, string forMessageId, string language, CancellationToken ct)
    {
        var settings = await db.HandoffMessages.AsNoTracking().SingleOrDefaultAsync(m => m.OrganizationId == context.Organization.Id, ct)
            ?? new HandoffMessageSettings();
        var channel = HubSpotChannels.NameOf(session.ChannelId);
        var enabled = channel == "email" ? settings.EmailEnabled : settings.ChatEnabled;
        if (!enabled)
        {
            return new CustomerTold(false, $"Customer not told: the handoff message is off for {channel}.");
        }

        var fetched = await hubSpot.GetMessageAsync(context.Portal, session.ThreadId, forMessageId, ct);
        if (fetched.Error is { Kind: HubSpotErrorKind.NotFound })
        {
            return new CustomerTold(false, $"Customer not told: their message {forMessageId} is gone from HubSpot.");
        }
        if (fetched.Error is { } error)
        {
            // The handoff matters more than the courtesy: when HubSpot cannot give the message back (the C9 horizon ran
            // out on exactly this read), the humans still get their note, and it says the customer was not told.
            return new CustomerTold(false, $"Customer not told: their message could not be read from HubSpot ({error.Kind}).");
        }
        var customerMessage = fetched.GetValueOrThrow();
        if (customerMessage.Direction != "INCOMING")
        {
            return new CustomerTold(false, "Customer not told: the handed-off message is not one the customer wrote.");
        }

        var clock = BusinessClock.From(await db.BusinessHours.AsNoTracking().SingleOrDefaultAsync(b => b.OrganizationId == context.Organization.Id, ct));
        var now = time.GetUtcNow();
        var open = clock.IsOpen(now);
        var wording = HandoffMessageTexts.For(language, BusinessHoursService.TextsOf(settings));
        var text = open ? wording.DuringHours : wording.OutsideHours.Replace(HandoffMessageTexts.Reopens, Reopening(clock, now, wording.Language), StringComparison.Ordinal);

        var signature = await signatures.ForReplyAsync(context, customerMessage, ct);
        var posted = await poster.PostOnceAsync(context, session, forMessageId, OutboundKind.HandoffNotice, text,
            intent => ReplyComposer.Reply(context, customerMessage, intent, signature), ct);
        await sessions.AddEntryAsync(session, posted.PostedMessageId!, Agent.Speaker.Ai, posted.Text, posted.PostedAt ?? now, ct, answersCustomer: false);
        return new CustomerTold(true,
            $"Customer told ({(open ? "inside" : "outside")} business hours, in {wording.Language}, message {posted.PostedMessageId}): \"{posted.Text}\"");
    }

    /// <summary>"Montag 09:00 (Europe/Berlin)": the day named in the customer's language, the time in the team's zone.</summary>
    public static string Reopening(BusinessClock clock, DateTimeOffset now, string language)
    {
        if (clock.NextOpening(now) is not { } next)
        {
            return clock.TimeZoneId;
        }
        CultureInfo culture;
        try
        {
            culture = CultureInfo.GetCultureInfo(language);
        }
        catch (CultureNotFoundException)
        {
            culture = CultureInfo.InvariantCulture;
        }
        var day = culture.DateTimeFormat.GetDayName(next.DayOfWeek);
        return $"{day} {next.ToString("HH:mm", CultureInfo.InvariantCulture)} ({clock.TimeZoneId})";
    }
}
