using Deskbridge.Agent;
using Deskbridge.Agent.Analysis;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Agents;
using Deskbridge.Policies;
using Deskbridge.Sessions;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>
/// I3: keeps the question of each handoff that happened because the AI was not sure: the agent's own low confidence, or a
/// send-policy rule that hands off answers below a confidence. Other handoffs (the customer asked for a person, anger, the
/// agent unavailable, rules on intent or channel) say nothing about missing knowledge, so they are not gaps.
/// </summary>
public sealed partial class KnowledgeGapRecorder(
    IServiceScopeFactory scopes, KnowledgeRetriever retriever, IPassageEmbedder embedder, TimeProvider time, ILogger<KnowledgeGapRecorder> logger)
{
    /// <summary>As articles take a detected language: below it the language is left unknown.</summary>
    private const double MinLanguageConfidence = 0.5;

    /// <summary>Records the question when the verdict hands it off for doubt; once per message, so a retried event adds nothing.</summary>
    public async Task RecordAsync(Guid organizationId, Session session, string messageId, DateTimeOffset? askedAt, string text, PolicyVerdict verdict,
        CancellationToken ct)
    {
        if (verdict.Action != PolicyAction.HandOff || verdict.Handoff is not { } handoff || string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        // Its own scope and context: a lost insert race must not leave a failed entity in the handler's context.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        if (!await IsForDoubtAsync(db, organizationId, handoff, verdict.RuleId, ct)
            || await db.KnowledgeGapQuestions.AnyAsync(q => q.OrganizationId == organizationId && q.MessageId == messageId, ct))
        {
            return;
        }

        var said = Trim(text);
        var question = new KnowledgeGapQuestion
        {
            OrganizationId = organizationId,
            SessionId = session.Id,
            MessageId = messageId,
            Text = said,
            Language = LanguageOf(said),
            AskedAt = (askedAt ?? time.GetUtcNow()).ToUnixTimeMilliseconds(),
            Confidence = handoff.Trigger == HandoffTrigger.SendPolicy ? verdict.Answer?.Confidence : null,
            Trigger = handoff.Trigger.ToString(),
        };
        await EmbedAsync(question, ct);
        db.KnowledgeGapQuestions.Add(question);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another attempt at the same event (another instance) recorded it a moment ago: one row is the point.
        }
    }

    private static async Task<bool> IsForDoubtAsync(DeskbridgeDb db, Guid organizationId, AgentHandoff handoff, long? ruleId, CancellationToken ct)
    {
        if (handoff.Trigger == HandoffTrigger.LowConfidence)
        {
            return true;
        }
        // A rule "confidence below x → hand off": the agent had an answer and was not sure enough of it.
        return handoff.Trigger == HandoffTrigger.SendPolicy && ruleId is { } id
            && await db.SendPolicyRules.AnyAsync(r => r.Id == id && r.OrganizationId == organizationId && r.ConfidenceBelow != null, ct);
    }

    /// <summary>The vector now, while the model is warm; the page embeds what is missing (a failure here, another model later).</summary>
    private async Task EmbedAsync(KnowledgeGapQuestion question, CancellationToken ct)
    {
        if (retriever.Mode != RetrievalMode.Hybrid)
        {
            return;
        }
        try
        {
            var vector = (await embedder.EmbedAsync([question.Text], ct))[0];
            (question.EmbeddingModel, question.Embedding) = (embedder.Model, VectorBytes.ToBytes(vector));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            EmbeddingFailed(logger, error);
        }
    }

    internal static string Trim(string text)
    {
        var collapsed = string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= KnowledgeGapQuestion.TextLimit ? collapsed : collapsed[..(KnowledgeGapQuestion.TextLimit - 1)] + "…";
    }

    /// <summary>Only a confident guess: one short question is easily read as a neighbouring language (an English question as Danish).</summary>
    private static string? LanguageOf(string text) =>
        LanguageDetector.Default.Detect(text) is { Language: not LanguageDetector.Undetermined } guess && guess.Confidence >= MinLanguageConfidence
            ? guess.Language : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge gap question not embedded; the gaps page embeds it when it groups")]
    private static partial void EmbeddingFailed(ILogger logger, Exception error);
}
