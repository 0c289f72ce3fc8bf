using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Deskbridge.Storage;

/// <summary>
/// The busy handler of every SQLite connection: while another connection holds the write lock, look again every
/// millisecond until the timeout. SQLite's own <c>busy_timeout</c> sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and
/// then 100 ms between looks, so a writer that met the lock held for 10 ms slept 18 and one that met it for 60 ms slept
/// 78: the lock's holder was done long before. A webhook batch that met a processing commit paid that step (P2's p99).
/// Looking every millisecond costs a wake-up per millisecond of waiting, on the one thread that waits. SQLitePCLRaw does
/// not expose <c>sqlite3_busy_handler</c>, so it is bound here from the same native library Microsoft.Data.Sqlite loads.
/// </summary>
internal static class SqliteBusyWait
{
    private static readonly BusyHandler Handler = OnBusy;
    private static readonly IntPtr HandlerPointer = Marshal.GetFunctionPointerForDelegate(Handler);

    [ThreadStatic]
    private static long BusySince;

    /// <summary>Replaces the connection's busy handler (SQLite keeps one; a later <c>PRAGMA busy_timeout</c> would replace this).</summary>
    public static void Install(SQLitePCL.sqlite3 connection, int timeoutMilliseconds)
    {
        var rc = sqlite3_busy_handler(connection.DangerousGetHandle(), HandlerPointer, timeoutMilliseconds);
        if (rc != 0)
        {
            throw new InvalidOperationException($"sqlite3_busy_handler failed with SQLite result code {rc}.");
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr timeoutMilliseconds, int count);

    /// <summary>
    /// Runs on the thread stepping the statement, once per look: count 0 starts a new wait. Non-zero means "look again".
    /// </summary>
    private static int OnBusy(IntPtr timeoutMilliseconds, int count)
    {
        if (count == 0)
        {
            BusySince = Stopwatch.GetTimestamp();
        }
        if (Stopwatch.GetElapsedTime(BusySince).TotalMilliseconds >= timeoutMilliseconds)
        {
            return 0;
        }
        Thread.Sleep(1);
        return 1;
    }

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    private static extern int sqlite3_busy_handler(IntPtr connection, IntPtr handler, IntPtr timeoutMilliseconds);
}
