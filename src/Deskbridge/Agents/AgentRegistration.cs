using Deskbridge.Agent;
using Deskbridge.Agent.Analysis;
using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Llm;
using Microsoft.Extensions.Options;

namespace Deskbridge.Agents;

public static class AgentRegistration
{
    /// <summary>
    /// A1/A2, decided once here: the embedded knowledge-base agent and analyzer are the default; they need no network
    /// and no model. Setting Llm:Model switches to a real LLM instead, and the LLM analyzer falls back to an embedded one.
    /// </summary>
    public static WebApplicationBuilder AddSupportAgent(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmbeddedAgentOptions>().BindConfiguration(EmbeddedAgentOptions.SectionName);
        // The KnowledgeBaseCatalog both agents read is Knowledge/'s (database articles, or the folder until an organization's first change).

        // Retrieval, one for both agents: hybrid by default, on the shipped model or (Llm:EmbeddingModel) the endpoint's;
        // passage vectors kept in the database.
        var llm = builder.Configuration.GetSection(LlmOptions.SectionName);
        builder.Services.AddOptions<RetrievalOptions>().BindConfiguration(RetrievalOptions.SectionName);
        builder.Services.AddSingleton<IEmbeddingStore, DatabaseEmbeddingStore>();
        builder.Services.AddSingleton<IPassageEmbedder>(sp =>
            LlmServiceCollectionExtensions.EmbedderOf(llm.Get<LlmOptions>() ?? new LlmOptions()) ?? MiniLmPassageEmbedder.Shared);
        builder.Services.AddSingleton(sp => new KnowledgeRetriever(
            sp.GetRequiredService<IPassageEmbedder>(), sp.GetRequiredService<IEmbeddingStore>(), sp.GetRequiredService<IOptions<RetrievalOptions>>().Value));
        builder.Services.AddHostedService<RetrievalWarmup>();

        if (!string.IsNullOrWhiteSpace(llm[nameof(LlmOptions.Model)]))
        {
            // The embedded analyzer needs no model, so it still answers when the LLM does not.
            builder.Services.AddLlmAgent(llm, _ => new EmbeddedConversationAnalyzer());
            return builder;
        }

        builder.Services.AddSingleton<ISupportAgent>(sp => new EmbeddedSupportAgent(
            sp.GetRequiredService<KnowledgeBaseCatalog>(), sp.GetRequiredService<IOptions<EmbeddedAgentOptions>>().Value,
            sp.GetRequiredService<KnowledgeRetriever>(), LanguageDetector.Default));
        builder.Services.AddSingleton<IConversationAnalyzer>(_ => new EmbeddedConversationAnalyzer());
        return builder;
    }
}
