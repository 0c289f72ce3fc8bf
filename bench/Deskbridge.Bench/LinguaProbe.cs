using System.Globalization;
using Deskbridge.Agent.Analysis;

namespace Deskbridge.Bench;

/// <summary>
/// <c>-- lingua</c>: what language detection costs resident (P5): VmRSS and the managed heap before and after the first
/// detection, which loads every supported language's models (Lingua scores all candidates).
/// </summary>
internal static class LinguaProbe
{
    public static void Run()
    {
        var c = CultureInfo.InvariantCulture;
        GC.Collect();
        var (rss, heap) = (RssMb(), GC.GetTotalMemory(forceFullCollection: true) / 1048576.0);
        var guess = LanguageDetector.Default.Detect("How long does standard shipping take?");
        var (rssAfter, heapAfter) = (RssMb(), GC.GetTotalMemory(forceFullCollection: true) / 1048576.0);
        Console.WriteLine(string.Create(c, $"first detection ({guess.Language}, {guess.Confidence:0.00}): VmRSS {rss:0.0} -> {rssAfter:0.0} MB (+{rssAfter - rss:0.0}), managed heap {heap:0.0} -> {heapAfter:0.0} MB (+{heapAfter - heap:0.0})"));
        foreach (var text in new[] { "Wie lange dauert der Versand?", "¿Cuánto tarda el envío?", "Combien de temps prend la livraison ?" })
        {
            LanguageDetector.Default.Detect(text);
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Console.WriteLine(string.Create(c, $"after three more and a compacting collection: VmRSS {RssMb():0.0} MB, managed heap {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:0.0} MB"));
    }

    private static double RssMb() => RetrievalBench.RssKb() / 1024.0;
}
