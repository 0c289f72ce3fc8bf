using System.Diagnostics;
using System.Globalization;
using Deskbridge.Agent.Evaluation;
using Deskbridge.Agent.Knowledge;
using Deskbridge.Agent.Knowledge.Retrieval;

namespace Deskbridge.Bench;

/// <summary>
/// <c>-- retrieval</c>: what the shipped embedding model costs (load time, resident memory, per-passage and per-query time)
/// and how BM25 alone and hybrid retrieval do on the test set and on the tuning set, as the README's tables.
/// </summary>
internal static class RetrievalBench
{
    public static async Task RunAsync()
    {
        var evaluation = Path.Combine(RepositoryRoot(), "tests", "Deskbridge.Agent.Tests", "Evaluation");
        var knowledgeBase = KnowledgeBase.Load("demo", Path.Combine(KnowledgeBaseCatalog.DefaultRoot, "demo"));
        var passages = knowledgeBase.Passages.Select(KnowledgeBase.EmbeddingText).ToList();
        var queries = RetrievalEvaluation.Load(Path.Combine(evaluation, "retrieval-test-set.json")).Select(c => c.Text).ToList();

        // The model first, in a process that has not loaded it yet.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var rssBefore = RssKb();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var embedder = new MiniLmPassageEmbedder();
        await embedder.EmbedAsync(["warm up"], CancellationToken.None);
        var load = watch.Elapsed;
        var rssLoaded = RssKb();
        var managedLoaded = GC.GetTotalMemory(forceFullCollection: true);

        watch.Restart();
        await embedder.EmbedAsync(passages, CancellationToken.None);
        var batch = watch.Elapsed;
        watch.Restart();
        foreach (var passage in passages)
        {
            await embedder.EmbedAsync([passage], CancellationToken.None);
        }

        var onePerCall = watch.Elapsed;
        var rssAfterPassages = RssKb();

        var queryTimes = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var query in queries)
            {
                watch.Restart();
                await embedder.EmbedAsync([query], CancellationToken.None);
                queryTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var bm25Times = new List<double>();
        foreach (var query in queries.Concat(queries).Concat(queries))
        {
            watch.Restart();
            knowledgeBase.Search(query, 8);
            bm25Times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var hybridRetriever = new KnowledgeRetriever(embedder);
        await hybridRetriever.WarmAsync(knowledgeBase, CancellationToken.None);
        var hybridTimes = new List<double>();
        foreach (var query in queries.Concat(queries).Concat(queries))
        {
            watch.Restart();
            await hybridRetriever.RetrieveAsync(knowledgeBase, knowledgeBase.ParseQuestion(query), query, null, 8, 0.6, CancellationToken.None);
            hybridTimes.Add(watch.Elapsed.TotalMilliseconds);
        }

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Model: {MiniLmPassageEmbedder.ModelName}, {Environment.ProcessorCount} cores, 1 ONNX Runtime thread per call");
        Console.WriteLine(string.Create(c, $"load (session + first call): {load.TotalMilliseconds:0} ms; RSS {rssBefore / 1024.0:0.0} -> {rssLoaded / 1024.0:0.0} MB (+{(rssLoaded - rssBefore) / 1024.0:0.0} MB), managed heap +{(managedLoaded - managedBefore) / 1048576.0:0.0} MB"));
        Console.WriteLine(string.Create(c, $"passages ({passages.Count} of the demo knowledge): one batch {batch.TotalMilliseconds:0} ms ({batch.TotalMilliseconds / passages.Count:0.0} ms each), one per call {onePerCall.TotalMilliseconds / passages.Count:0.0} ms each; RSS after {rssAfterPassages / 1024.0:0.0} MB"));
        Console.WriteLine(string.Create(c, $"query embedding ({queryTimes.Count} calls): p50 {Percentile(queryTimes, 0.5):0.0} ms, p95 {Percentile(queryTimes, 0.95):0.0} ms"));
        Console.WriteLine(string.Create(c, $"retrieval per question: BM25 p50 {Percentile(bm25Times, 0.5):0.00} ms, p95 {Percentile(bm25Times, 0.95):0.00} ms; hybrid p50 {Percentile(hybridTimes, 0.5):0.0} ms, p95 {Percentile(hybridTimes, 0.95):0.0} ms"));
        Console.WriteLine();

        foreach (var (title, cases) in new[]
        {
            ("Test set (retrieval-test-set.json, written apart from tuning)", RetrievalEvaluation.Load(Path.Combine(evaluation, "retrieval-test-set.json"))),
            ("Fresh set (retrieval-fresh-set.json, nothing chosen on it)", RetrievalEvaluation.Load(Path.Combine(evaluation, "retrieval-fresh-set.json"))),
            ("Tuning set (demo-eval-set.json: answer and out_of_scope items)", RetrievalEvaluation.LoadLabelled(Path.Combine(evaluation, "demo-eval-set.json"))),
        })
        {
            var lexical = await RetrievalEvaluation.ScoreAsync("BM25", RetrievalEvaluation.DemoAgent(RetrievalMode.Lexical), "demo", cases);
            // Lexical first (the default) against every question embedded: what skipping the sure questions' embeddings costs.
            var everyOne = await RetrievalEvaluation.ScoreAsync("hybrid, every question embedded", RetrievalEvaluation.DemoAgent(RetrievalMode.Hybrid, new RetrievalOptions { LexicalFirst = false }), "demo", cases);
            var lexicalFirstAgent = RetrievalEvaluation.DemoAgent(RetrievalMode.Hybrid);
            var hybrid = await RetrievalEvaluation.ScoreAsync("hybrid (lexical first)", lexicalFirstAgent, "demo", cases);
            Console.WriteLine(RetrievalEvaluation.Table(title, [lexical, everyOne, hybrid]));
            Console.WriteLine(string.Create(c, $"  lexical first: {lexicalFirstAgent.Retriever.EmbeddingsSkipped} of {cases.Count} questions answered without their embedding"));
            foreach (var kind in cases.Select(x => x.Kind).Distinct())
            {
                var subset = cases.Where(x => x.Kind == kind).ToList();
                var l = await RetrievalEvaluation.ScoreAsync("BM25", RetrievalEvaluation.DemoAgent(RetrievalMode.Lexical), "demo", subset);
                var h = await RetrievalEvaluation.ScoreAsync("hybrid", RetrievalEvaluation.DemoAgent(RetrievalMode.Hybrid), "demo", subset);
                Console.WriteLine(string.Create(c, $"  {kind,-13} {subset.Count,3} questions: recall@3 BM25 {l.RecallAt3:P0} / hybrid {h.RecallAt3:P0}; right decisions BM25 {l.Correct} / hybrid {h.Correct}; wrong answers BM25 {l.WrongAnswers} / hybrid {h.WrongAnswers}"));
            }

            Console.WriteLine();
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>This process's VmRSS in KB (0 where /proc has none); the other in-process probes read it here too.</summary>
    internal static long RssKb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Deskbridge.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the bench from inside the repository (Deskbridge.slnx not found above the binary).");
    }
}
