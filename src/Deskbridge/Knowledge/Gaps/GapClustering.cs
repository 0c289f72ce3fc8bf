using System.Runtime.InteropServices;
using Deskbridge.Agent.Knowledge.Retrieval;

namespace Deskbridge.Knowledge.Gaps;

/// <summary>
/// I3: groups questions by topic with leader clustering: questions are taken in a fixed order (when they were asked, then
/// id), each joins the group whose centroid (the normalized sum of its members) is most similar to it, when that cosine
/// reaches the threshold, and starts a group of its own otherwise. Chosen over agglomerative clustering because it is one
/// pass, O(questions × groups) with no n×n matrix (a few thousand questions group in well under a second), deterministic
/// for the same questions, and the threshold reads plainly ("this similar to the group, or a new topic"). Its known weakness,
/// that the order matters at the edges of a topic, matters little here: the order is the customers', and the page is a
/// reading aid, not a classifier.
/// </summary>
public static class GapClustering
{
    /// <summary>Unit vectors (sentence embeddings) → the group of each, numbered from 0 in the order groups start.</summary>
    public static int[] Dense(IReadOnlyList<float[]> vectors, double threshold) => Leader(
        vectors, threshold,
        dot: (vector, sum) => VectorMath.Dot(vector, sum),
        add: (sum, vector) =>
        {
            for (var d = 0; d < sum.Length && d < vector.Length; d++)
            {
                sum[d] += vector[d];
            }
        },
        seed: vector => (float[])vector.Clone(),
        canJoin: _ => true);

    /// <summary>Unit sparse vectors (TF-IDF over terms) → the group of each, as <see cref="Dense"/>.</summary>
    public static int[] Sparse(IReadOnlyList<IReadOnlyDictionary<string, double>> vectors, double threshold) => Leader(
        vectors, threshold,
        dot: (vector, sum) =>
        {
            var dot = 0.0;
            foreach (var (term, weight) in vector)
            {
                if (sum.TryGetValue(term, out var other))
                {
                    dot += weight * other;
                }
            }
            return dot;
        },
        add: (sum, vector) =>
        {
            foreach (var (term, weight) in vector)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(sum, term, out _) += weight;
            }
        },
        seed: vector => new Dictionary<string, double>(vector, StringComparer.Ordinal),
        // A question with no terms at all is its own group.
        canJoin: vector => vector.Count > 0);

    /// <summary>The one leader pass both vector kinds share; a group's sum stands for its centroid.</summary>
    private static int[] Leader<TVector, TSum>(IReadOnlyList<TVector> vectors, double threshold, Func<TVector, TSum, double> dot,
        Action<TSum, TVector> add, Func<TVector, TSum> seed, Func<TVector, bool> canJoin)
    {
        var sums = new List<TSum>();
        var squaredNorms = new List<double>();
        var groups = new int[vectors.Count];
        for (var i = 0; i < vectors.Count; i++)
        {
            var vector = vectors[i];
            var (best, bestCosine, bestDot) = (-1, double.MinValue, 0.0);
            for (var g = 0; g < sums.Count; g++)
            {
                var product = dot(vector, sums[g]);
                var cosine = product / Math.Sqrt(squaredNorms[g]);
                if (cosine > bestCosine)
                {
                    (best, bestCosine, bestDot) = (g, cosine, product);
                }
            }
            if (canJoin(vector) && best >= 0 && bestCosine >= threshold)
            {
                add(sums[best], vector);
                // |s + x|² = |s|² + 2 s·x + |x|², and x is of unit length.
                squaredNorms[best] += (2 * bestDot) + 1;
                groups[i] = best;
            }
            else
            {
                sums.Add(seed(vector));
                // A new group's sum is one unit vector (or, for a question without terms, a norm of 1 keeps the division defined).
                squaredNorms.Add(1);
                groups[i] = sums.Count - 1;
            }
        }
        return groups;
    }

    /// <summary>TF-IDF of each question's terms over the questions given, each vector of unit length.</summary>
    public static List<IReadOnlyDictionary<string, double>> TfIdf(IReadOnlyList<IReadOnlyList<string>> termsPerQuestion)
    {
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var terms in termsPerQuestion)
        {
            foreach (var term in terms.Distinct(StringComparer.Ordinal))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(documentFrequency, term, out _)++;
            }
        }
        var count = termsPerQuestion.Count;
        var vectors = new List<IReadOnlyDictionary<string, double>>(count);
        foreach (var terms in termsPerQuestion)
        {
            var weights = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
            {
                // Smoothed idf: a term every question shares still counts a little, so two one-word questions can meet.
                weights[group.Key] = (1 + Math.Log(group.Count())) * (1 + Math.Log((1.0 + count) / (1 + documentFrequency[group.Key])));
            }
            var norm = Math.Sqrt(weights.Values.Sum(w => w * w));
            if (norm > 0)
            {
                foreach (var term in weights.Keys.ToList())
                {
                    weights[term] /= norm;
                }
            }
            vectors.Add(weights);
        }
        return vectors;
    }
}
