using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;
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

    /// <summary>Service key under which an <see cref="IConversationAnalyzer"/> registered before this call stays available as the fallback.</summary>
    public const string FallbackAnalyzerKey = "Deskbridge.Llm.Fallback";

    /// <summary>Binds <see cref="LlmOptions"/> from the <c>Llm</c> section of the app's configuration; see the other overload.</summary>
    public static IServiceCollection AddLlmAgent(this IServiceCollection services) =>
        services.AddLlmAgent(options => options.BindConfiguration(LlmOptions.SectionName));

    /// <summary>
    /// A1/A2 with a real LLM: binds <see cref="LlmOptions"/> from <paramref name="section"/> (validated at start),
    /// builds the chat client, and registers <see cref="LlmSupportAgent"/> as the <see cref="ISupportAgent"/> and
    /// <see cref="LlmConversationAnalyzer"/> as the <see cref="IConversationAnalyzer"/>. An analyzer registered
    /// before this call (e.g. the embedded one) becomes the analyzer's fallback. A <see cref="KnowledgeBaseCatalog"/>
    /// already registered is used; otherwise one over the default root is added.
    /// </summary>
    public static IServiceCollection AddLlmAgent(this IServiceCollection services, IConfiguration section) =>
        services.AddLlmAgent(options => options.Bind(section));

    private static IServiceCollection AddLlmAgent(this IServiceCollection services, Action<OptionsBuilder<LlmOptions>> bind)
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

        KeepExistingAnalyzerAsFallback(services);

        services.RemoveAll<ISupportAgent>();
        services.AddSingleton(provider => new LlmSupportAgent(
            provider.GetRequiredKeyedService<IChatClient>(ChatClientKey),
            provider.GetRequiredService<KnowledgeBaseCatalog>(),
            provider.GetRequiredService<IOptions<LlmOptions>>().Value,
            provider.GetService<ILogger<LlmSupportAgent>>(),
            provider.GetService<TimeProvider>()));
        services.AddSingleton<ISupportAgent>(provider => provider.GetRequiredService<LlmSupportAgent>());

        services.AddSingleton(provider => new LlmConversationAnalyzer(
            provider.GetRequiredKeyedService<IChatClient>(ChatClientKey),
            provider.GetRequiredService<IOptions<LlmOptions>>().Value,
            provider.GetKeyedService<IConversationAnalyzer>(FallbackAnalyzerKey),
            provider.GetService<ILogger<LlmConversationAnalyzer>>(),
            provider.GetService<TimeProvider>()));
        services.AddSingleton<IConversationAnalyzer>(provider => provider.GetRequiredService<LlmConversationAnalyzer>());
        return services;
    }

    private static void KeepExistingAnalyzerAsFallback(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IConversationAnalyzer) && !d.IsKeyedService);
        if (existing is null || existing.ImplementationType == typeof(LlmConversationAnalyzer))
        {
            return;
        }

        services.RemoveAll<IConversationAnalyzer>();
        if (services.Any(d => d.ServiceType == typeof(IConversationAnalyzer) && Equals(d.ServiceKey, FallbackAnalyzerKey)))
        {
            return;
        }

        ServiceDescriptor fallback = existing switch
        {
            { ImplementationInstance: { } instance } => new ServiceDescriptor(typeof(IConversationAnalyzer), FallbackAnalyzerKey, instance),
            { ImplementationFactory: { } factory } => new ServiceDescriptor(typeof(IConversationAnalyzer), FallbackAnalyzerKey, (provider, _) => factory(provider), existing.Lifetime),
            _ => new ServiceDescriptor(typeof(IConversationAnalyzer), FallbackAnalyzerKey, existing.ImplementationType!, existing.Lifetime),
        };
        services.Add(fallback);
    }

    private sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
    {
        public ValidateOptionsResult Validate(string? name, LlmOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
