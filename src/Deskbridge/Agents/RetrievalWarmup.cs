using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Agents;

/// <summary>
/// Loads the embedding model and embeds the organizations' knowledge bases in the background at start, so the first
/// customer does not wait for them (the model's load is the largest cost; see Knowledge/Retrieval/README.md).
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
            await embedder.EmbedAsync(["warm up"], stoppingToken);
            List<string> slugs;
            await using (var scope = scopes.CreateAsyncScope())
            {
                slugs = await scope.ServiceProvider.GetRequiredService<DeskbridgeDb>().Organizations.AsNoTracking().Select(o => o.Slug).ToListAsync(stoppingToken);
            }

            foreach (var slug in slugs.Where(KnowledgeBaseCatalog.IsValidKey))
            {
                await retriever.WarmAsync(catalog.Get(slug), stoppingToken);
            }

            Warmed(logger, retriever.Model ?? "", slugs.Count, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrieval warm-up failed; the first question will load the model")]
    private static partial void WarmupFailed(ILogger logger, Exception error);
}
