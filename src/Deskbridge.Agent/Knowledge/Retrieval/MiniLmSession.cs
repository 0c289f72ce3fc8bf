using BERTTokenizers.Base;
using Microsoft.ML.OnnxRuntime;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// One all-MiniLM-L6-v2 call: the package's WordPiece tokenizer, the session, and mean pooling over the real tokens — what
/// the package's <c>SentenceEncoder.Encode</c> does, over a session we create (its own only loads the fp32 model from its
/// assembly). Vectors come back unnormalized; the embedder normalizes them.
/// </summary>
internal sealed class MiniLmSession(InferenceSession session, TokenizerBase tokenizer)
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = [QuantizedModelCache.HiddenStateOutput];

    public float[][] Encode(string[] texts, CancellationToken cancellationToken)
    {
        // The tokenizer pads every text to the longest: (ids, token types, attention mask), each of that length.
        var encoded = tokenizer.Encode(texts);
        var tokens = encoded[0].Item1.Length;
        var ids = new long[texts.Length * tokens];
        var types = new long[ids.Length];
        var mask = new long[ids.Length];
        for (var t = 0; t < encoded.Count; t++)
        {
            encoded[t].Item1.CopyTo(ids, t * tokens);
            encoded[t].Item2.CopyTo(types, t * tokens);
            encoded[t].Item3.CopyTo(mask, t * tokens);
        }

        long[] shape = [texts.Length, tokens];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var outputs = session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
        cancellationToken.ThrowIfCancellationRequested();

        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var width = hidden.Length / ids.Length;
        var vectors = new float[texts.Length][];
        for (var t = 0; t < texts.Length; t++)
        {
            var vector = new float[width];
            var count = 0;
            for (var i = 0; i < tokens; i++)
            {
                if (mask[(t * tokens) + i] == 0)
                {
                    continue;
                }

                count++;
                var token = hidden.Slice(((t * tokens) + i) * width, width);
                for (var d = 0; d < width; d++)
                {
                    vector[d] += token[d];
                }
            }

            for (var d = 0; d < width; d++)
            {
                vector[d] /= Math.Max(count, 1);
            }

            vectors[t] = vector;
        }

        return vectors;
    }
}
