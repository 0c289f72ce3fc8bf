using Deskbridge.Agent;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Llm.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Deskbridge.Llm;

/// <summary>
/// A1: the agent backed by a real LLM. It retrieves the best passages of the organization's knowledge
/// base for the customer's latest message, puts them in the prompt with the conversation and CRM context,
/// and asks the model for a JSON decision (structured output, <see cref="DecisionOutput"/>) (answer with sources, or hand off). When the model stays
/// unusable through the retries, the customer gets a human: <see cref="HandoffTrigger.AgentUnavailable"/>.
/// </summary>
public sealed class LlmSupportAgent : ISupportAgent
{
    /// <summary>How every handoff caused by a model fault begins.</summary>
    public const string UnusableAnswerReason = "The AI model did not give a usable answer: ";

    private readonly KnowledgeBaseCatalog _catalog;
    private readonly LlmOptions _options;
    private readonly ModelCall _model;
    private readonly KnowledgeRetriever _retriever;

    /// <param name="retriever">The same retrieval as the embedded agent's (hybrid in Deskbridge); null is BM25 alone.</param>
    public LlmSupportAgent(IChatClient chatClient, KnowledgeBaseCatalog catalog, LlmOptions options, ILogger<LlmSupportAgent>? logger = null, TimeProvider? timeProvider = null, KnowledgeRetriever? retriever = null)
    {
        _retriever = retriever ?? KnowledgeRetriever.Lexical;
        ArgumentNullException.ThrowIfNull(chatClient);
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _model = new ModelCall(chatClient, options, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
    }

    public async Task<AgentDecision> DecideAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var customerMessages = request.Transcript.Where(e => e.Speaker == Speaker.Customer && !string.IsNullOrWhiteSpace(e.Text)).ToList();
        if (customerMessages.Count == 0)
        {
            return new AgentHandoff("There is no customer message to answer yet.", HandoffTrigger.LowConfidence);
        }

        var question = customerMessages[^1].Text.Trim();
        var passages = await RetrieveAsync(request.KnowledgeBaseKey, customerMessages, cancellationToken);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, PromptTemplates.Load(PromptTemplates.AnswerSystem)),
            new(ChatRole.User, PromptTemplates.Render(PromptTemplates.AnswerUser, new Dictionary<string, string>
            {
                ["passages"] = PromptText.Passages(passages),
                ["crm"] = PromptText.Crm(request.Crm),
                ["custom_data"] = PromptText.CustomData(request.CustomData),
                ["conversation"] = PromptText.Conversation(request.Transcript),
                ["question"] = question,
            })),
        };

        var result = await _model.GetAsync<DecisionOutput, AgentDecision>("answer", messages, response => ModelOutput.ReadDecision(response, passages), cancellationToken);
        return result.Value ?? new AgentHandoff(UnusableAnswerReason + result.Failure, HandoffTrigger.AgentUnavailable);
    }

    /// <summary>
    /// The passages for the latest customer message; when it finds nothing on its own ("and for Canada?"),
    /// the previous customer message is searched together with it.
    /// </summary>
    private async Task<List<KnowledgeHit>> RetrieveAsync(string knowledgeBaseKey, List<TranscriptEntry> customerMessages, CancellationToken cancellationToken)
    {
        if (!KnowledgeBaseCatalog.IsValidKey(knowledgeBaseKey))
        {
            return [];
        }

        var knowledgeBase = _catalog.Get(knowledgeBaseKey);
        if (knowledgeBase.IsEmpty)
        {
            return [];
        }

        var hits = await FindAsync(knowledgeBase, customerMessages[^1].Text, cancellationToken);
        if (hits.Count < _options.MaxPassages && customerMessages.Count > 1)
        {
            var withContext = await FindAsync(knowledgeBase, customerMessages[^2].Text + "\n" + customerMessages[^1].Text, cancellationToken);
            hits = hits.Concat(withContext).DistinctBy(h => h.Passage.Id).Take(_options.MaxPassages).ToList();
        }

        return hits;
    }

    /// <summary>The retriever's hits as the prompt shows them: BM25's score and words when BM25 found the passage, else the fused score.</summary>
    private async Task<List<KnowledgeHit>> FindAsync(KnowledgeBase knowledgeBase, string text, CancellationToken cancellationToken)
    {
        var hits = await _retriever.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(text), text, null, _options.MaxPassages, 1.0, cancellationToken);
        return [.. hits.Select(h => h.Lexical ?? new KnowledgeHit(h.Passage, h.Score, 0, [], []))];
    }
}
