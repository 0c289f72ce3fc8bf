using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>Vector helpers shared by the shipped model and an endpoint's embeddings (unit length, so cosine is a dot product).</summary>
public static class VectorMath
{
    public static void Normalize(float[] vector)
    {
        double sum = 0;
        foreach (var x in vector)
        {
            sum += x * x;
        }

        var norm = (float)Math.Sqrt(sum);
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }
    }

    /// <summary>Both vectors are of unit length, so the dot product is the cosine.</summary>
    public static double Cosine(float[] a, float[] b) => a.Length != b.Length ? 0 : Dot(a, b);

    /// <summary>The dot product over the length both share, in SIMD lanes where the hardware has them.</summary>
    public static double Dot(float[] a, float[] b)
    {
        var length = Math.Min(a.Length, b.Length);
        var sum = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                sum += new Vector<float>(a, i) * new Vector<float>(b, i);
            }
        }
        double total = Vector.Sum(sum);
        for (; i < length; i++)
        {
            total += a[i] * b[i];
        }
        return total;
    }

    /// <summary>What an embedding is stored under: the exact text embedded (SHA-256, hex), so an edited passage gets a new one.</summary>
    public static string ContentHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
