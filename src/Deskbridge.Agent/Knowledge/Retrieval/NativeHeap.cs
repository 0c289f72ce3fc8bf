using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// Gives back what loading the embedding model needed only once (P5; measured in docs/architecture.md, "Memory"):
/// <list type="bullet">
/// <item>the model's managed copy (about 90 MB, read out of the package's assembly) sits in the large object heap until
/// some later full collection, so one aggressive collection now returns it;</item>
/// <item>glibc's malloc keeps what ONNX Runtime freed while parsing the model in its arenas, so malloc_trim returns it;</item>
/// <item>reading the model touched every page of the 91 MB assembly it ships in, which the runtime maps read-only and
/// shared: those pages stay counted in the process's resident memory though nothing reads them again. madvise
/// (MADV_DONTNEED) drops them from the process; they are still the file's, so a later read just maps them back.</item>
/// </list>
/// Linux only (elsewhere the collection alone); each step is best effort and changes nothing the process reads.
/// </summary>
internal static class NativeHeap
{
    private const int MadviseDontNeed = 4;

    /// <param name="assemblyPath">The model's assembly when it was read; null when the model came from elsewhere (the int8 cache).</param>
    public static void ReleaseAfterModelLoad(string? assemblyPath)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl, e.g. Alpine): nothing to trim with; the memory is only kept longer.
        }

        DropMappedPages(assemblyPath);
    }

    /// <summary>Only mappings that are read-only and of this file: nothing written to them can be lost.</summary>
    private static void DropMappedPages(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                // "start-end perms offset dev inode path"
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6 || fields[5].Trim() != path || fields[1][1] != '-' || fields[1][2] != '-')
                {
                    continue;
                }

                var range = fields[0].Split('-');
                var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                _ = Madvise((nint)start, (nuint)(end - start), MadviseDontNeed);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            // No /proc or no libc: the pages stay resident, as before.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "madvise")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Madvise(nint address, nuint length, int advice);
}
