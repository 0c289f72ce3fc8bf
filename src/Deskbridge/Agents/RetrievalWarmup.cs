using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Agents;

/// <summary>
/// Embeds the organizations' knowledge bases in the background at start, loading the embedding model with the first
/// one, so the first customer does not wait for them (the model's load is the largest cost; see Knowledge/Retrieval/README.md).
/// The model loads only when some organization has passages to embed: it costs about 120 MB of resident memory
/// (docs/architecture.md, "Memory"), which a new installation or one without knowledge need not pay; a knowledge base
/// that gets its first article later loads it with its first question.
/// </summary>
public sealed partial class RetrievalWarmup(KnowledgeRetriever retriever, IPassageEmbedder embedder, KnowledgeBaseCatalog catalog,
    IServiceScopeFactory scopes, ILogger<RetrievalWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (retriever.Mode != RetrievalMode.Hybrid)
        {
            return;
        }

        await Task.Yield();
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            List<string> slugs;
            await using (var scope = scopes.CreateAsyncScope())
            {
                slugs = await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().Organizations.AsNoTracking().Select(o => o.Slug).ToListAsync(stoppingToken);
            }

            var warmed = 0;
            foreach (var knowledgeBase in slugs.Where(KnowledgeBaseCatalog.IsValidKey).Select(catalog.Get).Where(kb => !kb.IsEmpty))
            {
                await retriever.WarmAsync(knowledgeBase, stoppingToken);
                warmed++;
            }

            if (warmed == 0)
            {
                NothingToEmbed(logger, slugs.Count);
                return;
            }

            // The first question's own embedding then runs warm (its first call JIT-compiles the encoder's paths).
            await embedder.EmbedAsync(["warm up"], stoppingToken);
            Warmed(logger, retriever.Model ?? "", warmed, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
            // The first question will try again; until the model loads, questions are answered by BM25 alone.
            WarmupFailed(logger, error);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrieval ready: model {Model}, {Organizations} organizations' knowledge embedded in {Milliseconds:0} ms")]
    private static partial void Warmed(ILogger logger, string model, int organizations, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrieval: none of {Organizations} organizations has knowledge to embed; the embedding model loads with the first question that has")]
    private static partial void NothingToEmbed(ILogger logger, int organizations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrieval warm-up failed; the first question will load the model")]
    private static partial void WarmupFailed(ILogger logger, Exception error);
}
