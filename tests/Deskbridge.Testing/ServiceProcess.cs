using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Deskbridge.Testing;

/// <summary>
/// A built service (Deskbridge or the standalone sandbox) run as its own process with `dotnet &lt;dll&gt;`, so it can be
/// killed with SIGKILL like a crash (no shutdown hooks, no flushing, nothing finished), and so that its resident memory
/// read from /proc is its own (the soak benchmark).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _disposed;

    private ServiceProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the process has used (user + system), to tell which of the three processes the cores went to.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The dll of a project of this repository, built in the same configuration as the test assembly (bin/&lt;Configuration&gt;/&lt;tfm&gt;).</summary>
    public static string BuiltDll(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Deskbridge.slnx")))
        {
            root = root.Parent;
        }
        var dll = root is null ? null : Path.Combine(root.FullName, "src", project, "bin", configuration, framework, project + ".dll");
        return dll is not null && File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll ?? project} is not built (the project references build it)");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the dll on the port and waits until <paramref name="readyPath"/> answers 2xx.</summary>
    public static async Task<ServiceProcess> StartAsync(string dll, int port, string readyPath, string logFile, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("ASPNETCORE_URLS");
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{Path.GetFileName(dll)} could not be started");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, log, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with {process.ExitCode}; see {logFile}");
            }
            try
            {
                if ((await http.GetAsync(readyPath)).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Path.GetFileName(dll)} did not answer {readyPath} within 60 s; see {logFile}");
    }

    /// <summary>kill -9: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false); // SIGKILL on Linux
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// VmRSS and its parts from /proc/&lt;pid&gt;/status, in MB: RssAnon (heaps: the GC's and native), RssFile (mapped
    /// assemblies and native libraries), RssShmem (shared mappings: the runtime's double-mapped JIT code, W^X).
    /// </summary>
    public (double Rss, double Anon, double File, double Shmem) Memory()
    {
        double rss = 0, anon = 0, file = 0, shmem = 0;
        foreach (var line in System.IO.File.ReadLines($"/proc/{ProcessId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line);
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                file = Kilobytes(line);
            }
            else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
            {
                shmem = Kilobytes(line);
            }
        }
        return (rss / 1024, anon / 1024, file / 1024, shmem / 1024);
    }

    /// <summary>Threads of the process, from /proc (a thread pool that grows under load shows here).</summary>
    public int Threads() =>
        System.IO.File.ReadLines($"/proc/{ProcessId}/status").Where(l => l.StartsWith("Threads:", StringComparison.Ordinal))
            .Select(l => int.Parse(l["Threads:".Length..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();

    private static double Kilobytes(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await KillAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
