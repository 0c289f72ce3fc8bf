namespace Deskbridge.Llm;

/// <summary>Which wire protocol the model endpoint speaks.</summary>
public enum LlmProvider
{
    /// <summary>OpenAI's chat completions API, or any endpoint compatible with it (vLLM, LM Studio, LiteLLM, Azure-compatible gateways, …).</summary>
    OpenAI,

    /// <summary>Ollama's native <c>/api/chat</c>.</summary>
    Ollama,
}

/// <summary>
/// A1: the real-LLM agent, bound from the <c>Llm</c> configuration section. The API key is a secret:
/// <see cref="ToString"/> never shows it and nothing in this library logs it.
/// </summary>
public sealed class LlmOptions
{
    public const string SectionName = "Llm";

    public const string DefaultOpenAIBaseUrl = "https://api.openai.com/v1";
    public const string DefaultOllamaBaseUrl = "http://localhost:11434";

    public LlmProvider Provider { get; set; } = LlmProvider.OpenAI;

    /// <summary>
    /// The endpoint. OpenAI-compatible: the URL that <c>/chat/completions</c> is appended to, usually ending in
    /// <c>/v1</c>. Ollama: the server root. Empty means the provider's default.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The model name, e.g. <c>gpt-4o-mini</c> or <c>llama3.2</c>.</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Sent as <c>Authorization: Bearer …</c>. Required for api.openai.com; optional for local servers.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one call to the model may take before it counts as failed (and is retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Further attempts after the first one fails with a transient fault (429, 5xx, timeout, unusable output).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Sampling temperature; empty leaves the model's default (some reasoning models accept no other).</summary>
    public float? Temperature { get; set; } = 0.2f;

    /// <summary>First backoff delay; it doubles with each retry (with jitter). A server's Retry-After takes precedence.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts; a Retry-After longer than this ends the retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The endpoint's embedding model (e.g. <c>text-embedding-3-small</c>, <c>nomic-embed-text</c>) for hybrid retrieval instead
    /// of the shipped all-MiniLM-L6-v2; empty keeps the shipped one (no network for retrieval).
    /// </summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>How many knowledge-base passages go into the prompt.</summary>
    public int MaxPassages { get; set; } = 4;

    /// <summary>
    /// Send the JSON schema of the reply as the API's response format (OpenAI <c>json_schema</c>, Ollama <c>format: {schema}</c>).
    /// Off: a plain JSON object is asked for (OpenAI <c>json_object</c>, Ollama <c>format: json</c>) and the schema goes into
    /// the prompt, for servers that take no JSON schema.
    /// </summary>
    public bool JsonResponseFormat { get; set; } = true;

    public string EffectiveBaseUrl =>
        string.IsNullOrWhiteSpace(BaseUrl)
            ? Provider == LlmProvider.Ollama ? DefaultOllamaBaseUrl : DefaultOpenAIBaseUrl
            : BaseUrl.Trim();

    /// <summary>Everything wrong with these options, each as a sentence; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Provider))
        {
            problems.Add($"{SectionName}:Provider must be OpenAI or Ollama.");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            problems.Add($"{SectionName}:Model is required (e.g. gpt-4o-mini or llama3.2).");
        }

        if (!Uri.TryCreate(EffectiveBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{SectionName}:BaseUrl must be an absolute http(s) URL.");
        }
        else if (Provider == LlmProvider.OpenAI && string.IsNullOrWhiteSpace(ApiKey) && uri.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{SectionName}:ApiKey is required for {uri.Host}.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:Timeout must be positive.");
        }

        if (MaxRetries is < 0 or > 10)
        {
            problems.Add($"{SectionName}:MaxRetries must be between 0 and 10.");
        }

        if (Temperature is < 0 or > 2)
        {
            problems.Add($"{SectionName}:Temperature must be between 0 and 2.");
        }

        if (RetryDelay < TimeSpan.Zero || MaxRetryDelay < TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:RetryDelay and MaxRetryDelay must not be negative.");
        }

        if (MaxPassages is < 1 or > 20)
        {
            problems.Add($"{SectionName}:MaxPassages must be between 1 and 20.");
        }

        return problems;
    }

    /// <summary>Replaces the API key wherever it appears in <paramref name="text"/> (error bodies sometimes echo it).</summary>
    public string Redact(string text)
    {
        var key = ApiKey?.Trim();
        return string.IsNullOrEmpty(key) || key.Length < 4 ? text : text.Replace(key, "[redacted]", StringComparison.Ordinal);
    }

    public override string ToString() =>
        $"Provider={Provider}, BaseUrl={EffectiveBaseUrl}, Model={Model}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "[redacted]")}, " +
        $"Timeout={Timeout}, MaxRetries={MaxRetries}, Temperature={Temperature?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(default)"}";
}
