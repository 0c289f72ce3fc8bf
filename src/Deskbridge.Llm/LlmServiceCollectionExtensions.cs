using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Deskbridge.Llm;

public static class LlmServiceCollectionExtensions
{
    /// <summary>Service key of the <see cref="IChatClient"/> the LLM agent uses (keyed, so it cannot clash with other chat clients).</summary>
    public const string ChatClientKey = "Deskbridge.Llm";

    /// <summary>
    /// The endpoint's embedding model as a passage embedder, when <see cref="LlmOptions.EmbeddingModel"/> is set; null otherwise
    /// (then the shipped model embeds). The host's retrieval asks for it.
    /// </summary>
    public static IPassageEmbedder? EmbedderOf(LlmOptions options) =>
        string.IsNullOrWhiteSpace(options.EmbeddingModel)
            ? null
            : new EmbeddingGeneratorPassageEmbedder(LlmChatClientFactory.CreateEmbeddingGenerator(options), options.EmbeddingModel.Trim());

    /// <summary>Binds <see cref="LlmOptions"/> from the <c>Llm</c> section of the app's configuration; see the other overload.</summary>
    public static IServiceCollection AddLlmAgent(this IServiceCollection services, Func<IServiceProvider, IConversationAnalyzer>? fallbackAnalyzer = null) =>
        services.AddLlmAgent(options => options.BindConfiguration(LlmOptions.SectionName), fallbackAnalyzer);

    /// <summary>
    /// A1/A2 with a real LLM: binds <see cref="LlmOptions"/> from <paramref name="section"/> (validated at start),
    /// builds the chat client, and registers <see cref="LlmSupportAgent"/> as the <see cref="ISupportAgent"/> and
    /// <see cref="LlmConversationAnalyzer"/> as the <see cref="IConversationAnalyzer"/>, whose fallback is the analyzer
    /// <paramref name="fallbackAnalyzer"/> builds (none: a neutral "und" result). It is the caller's one choice of agent:
    /// register no other <see cref="ISupportAgent"/> or <see cref="IConversationAnalyzer"/> beside it. A
    /// <see cref="KnowledgeBaseCatalog"/> already registered is used; otherwise one over the default root is added.
    /// </summary>
    public static IServiceCollection AddLlmAgent(this IServiceCollection services, IConfiguration section, Func<IServiceProvider, IConversationAnalyzer>? fallbackAnalyzer = null) =>
        services.AddLlmAgent(options => options.Bind(section), fallbackAnalyzer);

    private static IServiceCollection AddLlmAgent(this IServiceCollection services, Action<OptionsBuilder<LlmOptions>> bind, Func<IServiceProvider, IConversationAnalyzer>? fallbackAnalyzer)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<LlmOptions>();
        bind(builder);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        builder.ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new KnowledgeBaseCatalog());
        services.TryAddKeyedSingleton<IChatClient>(ChatClientKey, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<LlmOptions>>().Value;
            var loggerFactory = provider.GetService<ILoggerFactory>();
            if (loggerFactory is not null)
            {
                LlmLog.Configured(loggerFactory.CreateLogger<LlmSupportAgent>(), options);
            }

            return LlmChatClientFactory.Create(options, loggerFactory: loggerFactory);
        });

        services.AddSingleton<ISupportAgent>(provider => new LlmSupportAgent(
            provider.GetRequiredKeyedService<IChatClient>(ChatClientKey),
            provider.GetRequiredService<KnowledgeBaseCatalog>(),
            provider.GetRequiredService<IOptions<LlmOptions>>().Value,
            provider.GetService<ILogger<LlmSupportAgent>>(),
            provider.GetService<TimeProvider>(),
            provider.GetService<KnowledgeRetriever>()));
        services.AddSingleton<IConversationAnalyzer>(provider => new LlmConversationAnalyzer(
            provider.GetRequiredKeyedService<IChatClient>(ChatClientKey),
            provider.GetRequiredService<IOptions<LlmOptions>>().Value,
            fallbackAnalyzer?.Invoke(provider),
            provider.GetService<ILogger<LlmConversationAnalyzer>>(),
            provider.GetService<TimeProvider>()));
        return services;
    }

    private sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
    {
        public ValidateOptionsResult Validate(string? name, LlmOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
