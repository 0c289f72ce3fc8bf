using Deskbridge.Agent;
using Deskbridge.Agent.Embedded;
using Deskbridge.Agent.Knowledge;
using Microsoft.Extensions.Options;

namespace Deskbridge.Agents;

public static class AgentRegistration
{
    /// <summary>A1: the embedded knowledge-base agent is the default; it needs no network and no model.</summary>
    public static WebApplicationBuilder AddSupportAgent(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmbeddedAgentOptions>().BindConfiguration(EmbeddedAgentOptions.SectionName);
        builder.Services.AddSingleton(sp => new KnowledgeBaseCatalog(sp.GetRequiredService<IOptions<EmbeddedAgentOptions>>().Value.KnowledgeRoot));
        builder.Services.AddSingleton<ISupportAgent>(sp => new EmbeddedSupportAgent(
            sp.GetRequiredService<KnowledgeBaseCatalog>(), sp.GetRequiredService<IOptions<EmbeddedAgentOptions>>().Value));
        return builder;
    }
}
