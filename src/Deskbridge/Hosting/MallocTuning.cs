using System.Runtime.InteropServices;

namespace Deskbridge.Hosting;

/// <summary>
/// glibc malloc settings for the service process (P5; measured in docs/architecture.md, "Memory"). By default malloc
/// raises its mmap threshold to the size of the largest block freed (up to 32 MB), after which ONNX Runtime's per-call
/// buffers (the embedding model runs without its own arena) and SQLite's are carved from malloc's arenas and kept there
/// when freed: tens of MB that never go back. A fixed threshold of 128 KB (which also stops the raising) returns every large
/// block to the OS when it is freed, and two arenas instead of 8 per core stop each thread's arena from holding its own
/// free memory. A variable already set in the environment (MALLOC_MMAP_THRESHOLD_, MALLOC_ARENA_MAX) wins.
/// </summary>
internal static class MallocTuning
{
    private const int MmapThreshold = -3;
    private const int ArenaMax = -8;

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null)
            {
                _ = Mallopt(MmapThreshold, 128 * 1024);
            }

            if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null)
            {
                _ = Mallopt(ArenaMax, 2);
            }
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl, e.g. Alpine, has no mallopt): its allocator already returns large blocks.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);
}
