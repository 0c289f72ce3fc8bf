using Deskbridge.Agent.Knowledge.Retrieval;
using Deskbridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace Deskbridge.Agents;

/// <summary>
/// Passage embeddings in the database (table PassageEmbeddings), so a restart or another instance does not embed the same
/// text again. A singleton: each call takes its own scope (and DbContext).
/// </summary>
public sealed class DatabaseEmbeddingStore(IServiceScopeFactory scopes, TimeProvider time) : IEmbeddingStore
{
    public async Task<IReadOnlyDictionary<string, float[]>> FindAsync(string model, IReadOnlyCollection<string> contentHashes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var chunk in contentHashes.Chunk(500))
        {
            var rows = await db.PassageEmbeddings.AsNoTracking()
                .Where(p => p.Model == model && chunk.Contains(p.ContentHash))
                .Select(p => new { p.ContentHash, p.Vector })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                found[row.ContentHash] = VectorBytes.ToVector(row.Vector);
            }
        }

        return found;
    }

    public async Task SaveAsync(string model, IReadOnlyDictionary<string, float[]> vectorsByHash, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeskbridgeDb>();
        var hashes = vectorsByHash.Keys.ToList();
        var existing = await db.PassageEmbeddings.AsNoTracking()
            .Where(p => p.Model == model && hashes.Contains(p.ContentHash))
            .Select(p => p.ContentHash)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var (hash, vector) in vectorsByHash.Where(v => !existing.Contains(v.Key)))
        {
            db.PassageEmbeddings.Add(new PassageEmbedding { Model = model, ContentHash = hash, Dimensions = vector.Length, Vector = VectorBytes.ToBytes(vector), CreatedAt = now });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance stored the same texts at the same moment: the vectors are the same, theirs will do.
        }
    }
}

/// <summary>float32 vectors as bytes, in the machine's (little-endian) order.</summary>
internal static class VectorBytes
{
    public static byte[] ToBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    public static float[] ToVector(byte[] bytes)
    {
        var vector = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, vector, 0, vector.Length * sizeof(float));
        return vector;
    }
}
