using Google.Protobuf;
using System.Reflection;
using Onnx;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// The int8 model as a file on disk, so only the first start of a given package version pays for reading the 87 MB fp32
/// model out of its assembly and rewriting it (a few seconds of CPU, and a first start that peaks 400 MB above idle in the soak); later starts load the 25 MB file.
/// </summary>
/// <remarks>
/// The key is the package assembly's module version id (a new id for every build of the package, so for every model it can
/// carry), the resource's length and <see cref="Int8ModelRewriter.Version"/>. Hashing the model itself would read all 87 MB
/// on every start, which is the cost the cache is there to avoid. Files are written under a temporary name and moved into
/// place, so an instance starting beside another never reads a half-written model.
/// </remarks>
public static class QuantizedModelCache
{
    /// <summary>The output the embedder reads (token vectors, mean-pooled by the caller); the pooler's is pruned.</summary>
    public const string HiddenStateOutput = "last_hidden_state";

    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "deskbridge", "models");

    public static string FileName(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no resource {resource}");
        return $"{Path.GetFileNameWithoutExtension(resource)}.{assembly.ManifestModule.ModuleVersionId:N}.{stream.Length}.int8-v{Int8ModelRewriter.Version}.onnx";
    }

    /// <summary>Rewrites of another package build or rewrite version are never read again (25 MB each).</summary>
    private static void RemoveOtherVersions(string directory, string current)
    {
        var prefix = Path.GetFileName(current).Split('.')[0];
        foreach (var file in Directory.EnumerateFiles(directory, prefix + ".*.int8-v*.onnx"))
        {
            if (file != current)
            {
                try
                {
                    File.Delete(file); // an instance still reading it keeps its open file
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Someone else's, or in use on a file system that refuses: it only takes space.
                }
            }
        }
    }

    /// <summary>
    /// The cached file's path, creating it when missing; null when the directory cannot be written (a read-only file system),
    /// in which case <paramref name="inMemory"/> holds the rewritten model to load from memory instead.
    /// <paramref name="rewritten"/> says whether this call read the fp32 model out of the assembly and rewrote it (no file yet).
    /// </summary>
    public static string? GetOrCreate(string directory, Assembly assembly, string resource, out byte[]? inMemory, out bool rewritten)
    {
        inMemory = null;
        rewritten = false;
        var path = Path.Combine(directory, FileName(assembly, resource));
        if (File.Exists(path))
        {
            return path;
        }

        rewritten = true;

        ModelProto model;
        using (var stream = assembly.GetManifestResourceStream(resource)!)
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }

        Int8ModelRewriter.Rewrite(model, [HiddenStateOutput]);
        try
        {
            Directory.CreateDirectory(directory);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (var file = File.Create(temporary))
            {
                model.WriteTo(file);
            }

            File.Move(temporary, path, overwrite: true);
            RemoveOtherVersions(directory, path);
            return path;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            inMemory = model.ToByteArray();
            return null;
        }
    }
}
