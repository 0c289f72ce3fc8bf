using System.Net;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Threads;

/// <summary>
/// Posts on a HubSpot thread at most once per (customer message, kind), even across crashes: the intent is stored
/// before the call, and an intent that is not known to be posted is first looked for on the thread.
/// </summary>
public sealed class ThreadPoster(DeskbridgeDb db, HubSpotClient hubSpot, TimeProvider time)
{
    public async Task<OutboundMessage> PostOnceAsync(
        ProcessingContext context, Session session, string forMessageId, OutboundKind kind, string text,
        Func<OutboundMessage, HubSpotNewMessage> compose, CancellationToken ct) =>
        (await TryPostOnceAsync(context, session, forMessageId, kind, text, compose, beforePost: null, ct)).Posted!;

    /// <summary>What came of a guarded post: posted, or refused by the guard (nothing was sent).</summary>
    public sealed record PostAttempt(OutboundMessage? Posted, string? Refused);

    /// <param name="beforePost">
    /// G5: asked right before the HubSpot call (after the look for an earlier post); a reason refuses the post, and the
    /// intent is dropped, so nothing is left that a later run could mistake for a post in doubt.
    /// </param>
    public async Task<PostAttempt> TryPostOnceAsync(
        ProcessingContext context, Session session, string forMessageId, OutboundKind kind, string text,
        Func<OutboundMessage, HubSpotNewMessage> compose, Func<CancellationToken, Task<string?>>? beforePost, CancellationToken ct)
    {
        var intent = await db.OutboundMessages.SingleOrDefaultAsync(
            o => o.OrganizationId == context.Organization.Id && o.ForMessageId == forMessageId && o.Kind == kind, ct);
        if (intent is null)
        {
            intent = new OutboundMessage
            {
                OrganizationId = context.Organization.Id,
                SessionId = session.Id,
                ThreadId = session.ThreadId,
                ForMessageId = forMessageId,
                Kind = kind,
                Token = Guid.NewGuid().ToString("N"),
                Text = text,
                CreatedAt = time.GetUtcNow(),
            };
            db.OutboundMessages.Add(intent);
            await db.SaveChangesAsync(ct);
        }
        else if (intent.State == OutboundState.Posted)
        {
            return new PostAttempt(intent, null);
        }
        else if (await FindOnThreadAsync(context, intent, ct) is { } alreadyPosted)
        {
            return new PostAttempt(await MarkPostedAsync(intent, alreadyPosted.Id, ct), null);
        }

        if (beforePost is not null && await beforePost(ct) is { } refused)
        {
            db.OutboundMessages.Remove(intent);
            await db.SaveChangesAsync(ct);
            return new PostAttempt(null, refused);
        }

        // The same text as the first attempt, not a fresh answer: the intent is what we promised to post.
        var posted = await hubSpot.PostMessageAsync(context.Portal, session.ThreadId, compose(intent), ct);
        return new PostAttempt(await MarkPostedAsync(intent, posted.GetValueOrThrow().Id, ct), null);
    }

    public Task<bool> IsOursAsync(Guid organizationId, string messageId, CancellationToken ct) =>
        db.OutboundMessages.AnyAsync(o => o.OrganizationId == organizationId && o.PostedMessageId == messageId, ct);

    /// <param name="signatureHtml">S7: sanitized signature HTML, placed after the text and before the markers.</param>
    public static string RichText(string text, OutboundMessage intent, bool withAiMarker, string? signatureHtml = null)
    {
        var html = string.Join("<br>", WebUtility.HtmlEncode(text).Split('\n'));
        return $"<p>{html}</p>{signatureHtml}{(withAiMarker ? Markers.AiResponse : "")}{Markers.IntentToken(intent.Token)}";
    }

    private async Task<HubSpotMessage?> FindOnThreadAsync(ProcessingContext context, OutboundMessage intent, CancellationToken ct)
    {
        var token = Markers.IntentToken(intent.Token);
        string? after = null;
        do
        {
            // Newest first: an intent being looked for was posted (or not) moments ago, so it is on the first page.
            var page = (await hubSpot.ListMessagesAsync(context.Portal, intent.ThreadId, MessageOrder.NewestFirst, after, ct)).GetValueOrThrow();
            // Ours only: a customer's email reply may quote our earlier post, token and all.
            var found = page.Results.FirstOrDefault(m => m.Direction != "INCOMING" &&
                m.RichText?.Contains(token, StringComparison.Ordinal) == true &&
                NewPart.OfHtml(m.RichText).Contains(token, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }
            after = page.Paging?.Next?.After;
        }
        while (after is not null);
        return null;
    }

    private async Task<OutboundMessage> MarkPostedAsync(OutboundMessage intent, string messageId, CancellationToken ct)
    {
        intent.State = OutboundState.Posted;
        intent.PostedMessageId = messageId;
        intent.PostedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return intent;
    }
}
