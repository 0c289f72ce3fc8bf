using System.Text.Json;
using Deskbridge.Agent;
using Deskbridge.HubSpot;
using Deskbridge.Inbox;
using Deskbridge.Organizations;
using Deskbridge.Sessions;
using Deskbridge.Signatures;
using Deskbridge.Storage;
using Deskbridge.Threads;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Playground;

/// <summary>
/// The playground's one use case, for the page and the API alike: what the organization's agent would do with a customer's
/// message, decided by the same <see cref="ISupportAgent"/> (and retrieval) the inbox uses and composed by the same
/// <see cref="ReplyComposer"/>, with nothing sent to HubSpot and nothing stored. Saved cases run through it as the
/// organization's regression suite.
/// </summary>
public sealed class PlaygroundEvaluation(DeskbridgeDb db, ISupportAgent agent, Policies.SendPolicy policy, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>Null when the organization does not exist.</returns>
    public async Task<PlaygroundOutcome?> EvaluateAsync(Guid organizationId, PlaygroundInput input, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null)
        {
            return null;
        }

        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.OrganizationId == organizationId, ct);
        var signatures = input.Channel == "email"
            ? await db.EmailSignatures.AsNoTracking().Where(s => s.OrganizationId == organizationId).ToListAsync(ct)
            : [];
        return await EvaluateAsync(organization, connection, signatures, input, ct);
    }

    private async Task<PlaygroundOutcome> EvaluateAsync(
        Organization organization, HubSpotConnection? connection, List<EmailSignature> signatures, PlaygroundInput input, CancellationToken ct)
    {
        var channel = input.Channel!;
        var now = time.GetUtcNow();
        var earlier = input.Earlier ?? [];
        var transcript = earlier
            .Select((line, i) => new TranscriptEntry(line.Speaker == "ai" ? Speaker.Ai : Speaker.Customer, line.Text.Trim(), now.AddMinutes(i - earlier.Count)))
            .Append(new TranscriptEntry(Speaker.Customer, input.Text!.Trim(), now))
            .ToList();
        var request = new AgentRequest(organization.Slug, transcript, new Dictionary<string, string>());
        var trace = await agent.TraceAsync(request, ct);

        var notes = new List<string>();
        if (!organization.IsAutopilotOn(channel))
        {
            notes.Add($"Autopilot is off for the {channel} channel (S5): a real message there is not answered at all; this is what the agent would say once it is on.");
        }

        if (connection is null)
        {
            notes.Add("The organization is not connected to HubSpot: the post below names no AI user.");
        }

        var quoted = trace.Decision is AgentAnswer { Sources: var sources } ? sources.Select(s => s.ArticleId).ToHashSet(StringComparer.Ordinal) : [];
        var passages = trace.Retrieved.Select(h => new PlaygroundPassage(
            h.Passage.Id, h.Passage.ArticleId, h.Passage.ArticleTitle, h.Passage.Heading, Math.Round(h.Score, 4),
            h.Lexical is { } l ? Math.Round(l.Score, 2) : null, h.Lexical is { } c ? Math.Round(c.Coverage, 2) : null,
            h.Similarity is { } s ? Math.Round(s, 3) : null, h.LexicalRank, h.SemanticRank, h.InCustomerLanguage,
            quoted.Contains(h.Passage.ArticleId))).ToList();
        if (input.Language is { Length: > 0 } stated && trace.CustomerLanguage is { } detected && detected != stated)
        {
            notes.Add($"You said the customer writes {stated}; the agent reads the message as {detected}.");
        }

        switch (trace.Decision)
        {
            case AgentAnswer answer:
                var post = Compose(organization, connection, signatures, channel, input, answer, now);
                if (organization.AssistMode)
                {
                    notes.Add("Assist mode is on: the answer would be posted as an internal draft comment for a human to send, not to the customer.");
                }

                return new PlaygroundOutcome("answer", null, null, answer.Text, post, answer.Sources, passages, trace.Mode, trace.CustomerLanguage, NullIfEmpty(input.Language), notes,
                    await PolicyVerdictAsync(organization, input, trace, ct));
            case AgentHandoff handoff:
                return new PlaygroundOutcome("handoff", handoff.Trigger.ToString(), handoff.Reason, null, null, [], passages, trace.Mode, trace.CustomerLanguage, NullIfEmpty(input.Language), notes,
                    await PolicyVerdictAsync(organization, input, trace, ct));
            default:
                throw new InvalidOperationException($"Unknown agent decision {trace.Decision.GetType().Name}");
        }
    }

    /// <summary>
    /// G1 in the playground: the send-policy rule that would decide this message and what it would do (send, draft, silent,
    /// hand off), by the same rules the inbox applies. A playground message has no sender address, so sender rules never match
    /// here; the language is the one given, else the one detected.
    /// </summary>
    private async Task<PlaygroundPolicyVerdict?> PolicyVerdictAsync(Organization organization, PlaygroundInput input, AgentTrace trace, CancellationToken ct)
    {
        var channelId = input.Channel switch
        {
            "chat" => HubSpotChannels.LiveChatId,
            "email" => HubSpotChannels.EmailId,
            "facebook" => HubSpotChannels.FacebookMessengerId,
            "whatsapp" => HubSpotChannels.WhatsAppId,
            _ => null,
        };
        var language = NullIfEmpty(input.Language) ?? trace.CustomerLanguage ?? Agent.Analysis.LanguageDetector.Default.Detect(input.Text!).Language;
        var verdict = await policy.DecideAsync(new Policies.PolicyQuestion(organization, channelId, null, _ => Task.FromResult(language)),
            trace.Decision, input.Text!, ct);
        var rule = verdict.RuleId is { } id ? $"rule {id}" : "default policy";
        return new PlaygroundPolicyVerdict(rule, Policies.PolicyVerdict.ActionName(verdict.Action), verdict.Reason);
    }

    /// <summary>
    /// The body of HubSpot's send-message call, by <see cref="ReplyComposer"/> as the inbox builds it: a reply as the AI user
    /// on the customer's channel, or the internal draft in assist mode. The intent token is a fresh one, as every real post's is.
    /// </summary>
    private static PlaygroundPost Compose(Organization organization, HubSpotConnection? connection, List<EmailSignature> signatures, string channel,
        PlaygroundInput input, AgentAnswer answer, DateTimeOffset now)
    {
        var intent = new OutboundMessage
        {
            ThreadId = "playground",
            ForMessageId = "playground",
            Kind = organization.AssistMode ? OutboundKind.Draft : OutboundKind.Reply,
            Token = Guid.NewGuid().ToString("N"),
            Text = answer.Text,
            CreatedAt = now,
        };
        HubSpotNewMessage message;
        if (organization.AssistMode)
        {
            message = ReplyComposer.Draft(intent);
        }
        else
        {
            var channelId = ChannelId(channel);
            var customerMessage = new HubSpotMessage("playground", "playground", "MESSAGE", input.Text, null, channel == "email" ? "Your question" : null,
                "INCOMING", channelId, null, now, null, [], null);
            var context = new ProcessingContext(organization,
                connection ?? new HubSpotConnection { EncryptedAccessToken = "", TokenLast4 = "" },
                new HubSpotPortal(connection?.PortalId ?? 0, "", null));
            // S7: the signature the org has for its sending domain; the playground has no inbox address, so only a
            // single signature can be told to apply (several need the real inbox's address, which only HubSpot knows).
            var signature = channel == "email" && signatures.Count == 1 ? new ReplySignature(signatures[0].Html, SignatureText.FromHtml(signatures[0].Html)) : null;
            message = ReplyComposer.Reply(context, customerMessage, intent, signature);
        }

        return new PlaygroundPost(organization.AssistMode ? "draft" : "reply", message);
    }

    private static string ChannelId(string channel) => channel switch
    {
        "email" => HubSpotChannels.EmailId,
        "facebook" => HubSpotChannels.FacebookMessengerId,
        "whatsapp" => HubSpotChannels.WhatsAppId,
        _ => HubSpotChannels.LiveChatId,
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static PlaygroundInput InputOf(PlaygroundCase saved) =>
        new(saved.Channel, saved.Text, saved.Language, saved.EarlierJson is null ? null : JsonSerializer.Deserialize<List<PlaygroundLine>>(saved.EarlierJson, Json));

    public static string? EarlierJson(IReadOnlyList<PlaygroundLine>? earlier) =>
        earlier is { Count: > 0 } ? JsonSerializer.Serialize(earlier, Json) : null;

    public static PlaygroundCaseView View(PlaygroundCase saved) =>
        new(saved.Id, saved.Channel, saved.Text, saved.Language, InputOf(saved).Earlier ?? [], saved.Expected, saved.ExpectedArticleId, saved.CreatedAt);
}
