using Deskbridge.Agent;
using Deskbridge.Agent.Analysis;
using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Knowledge;
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
        builder.Services.AddSingleton(sp => new KnowledgeBaseCatalog(sp.GetRequiredService<IOptions<EmbeddedAgentOptions>>().Value.KnowledgeRoot));

        var llm = builder.Configuration.GetSection(LlmOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(llm[nameof(LlmOptions.Model)]))
        {
            // The embedded analyzer needs no model, so it still answers when the LLM does not.
            builder.Services.AddLlmAgent(llm, _ => new EmbeddedConversationAnalyzer());
            return builder;
        }

        builder.Services.AddSingleton<ISupportAgent>(sp => new EmbeddedSupportAgent(
            sp.GetRequiredService<KnowledgeBaseCatalog>(), sp.GetRequiredService<IOptions<EmbeddedAgentOptions>>().Value));
        builder.Services.AddSingleton<IConversationAnalyzer>(_ => new EmbeddedConversationAnalyzer());
        return builder;
    }
}
