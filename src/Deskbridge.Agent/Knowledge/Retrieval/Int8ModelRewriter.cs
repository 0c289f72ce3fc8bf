using Google.Protobuf;
using Onnx;

namespace Deskbridge.Agent.Knowledge.Retrieval;

/// <summary>
/// Rewrites an fp32 BERT-style ONNX graph so that its large weights are held as 8-bit integers (P5, docs/architecture.md
/// "Memory"): about a quarter of the memory for the same model, and ONNX Runtime's integer kernels instead of fp32 ones.
/// <list type="bullet">
/// <item>every <c>MatMul</c> whose B is an fp32 initializer becomes com.microsoft <c>MatMulNBits</c> with 8 bits: B
/// quantized in blocks of 32 along K, each with its own scale (symmetric: max |block| / 127). Measured against per-column
/// scales with <c>DynamicQuantizeMatMul</c> (which also quantizes A per tensor): the lowest cosine to fp32 over the
/// evaluation questions 0.9991 against 0.984, for 1 MB more scales and the same CPU time per question;</item>
/// <item>the word-embedding <c>Gather</c> (30522 × 384 floats, half the model) gathers rows of an int8 table, and each row's
/// scale beside it (a Gather on a [rows, 1] table, so it broadcasts), then Cast and Mul give the fp32 rows back. A
/// DequantizeLinear of the whole table would rebuild all 47 MB at every call; this touches only the rows asked for.</item>
/// </list>
/// Graph outputs nobody asked for (the pooler's) are dropped with the nodes and weights only they used.
/// </summary>
public static class Int8ModelRewriter
{
    /// <summary>Changes when the rewrite does: part of the cache key, so an older rewrite is never loaded.</summary>
    public const int Version = 2;

    /// <summary>Weights per scale along K: 384 and 1536 are multiples of it.</summary>
    private const int BlockSize = 32;

    private const string MicrosoftDomain = "com.microsoft";

    public sealed record Result(ModelProto Model, int MatMulsQuantized, int GathersQuantized, long WeightBytesBefore, long WeightBytesAfter);

    /// <summary>Rewrites <paramref name="model"/> in place (a copy would hold a second 87 MB while the first is rewritten).</summary>
    /// <param name="keepOutputs">The graph outputs the caller reads; the others are pruned.</param>
    public static Result Rewrite(ModelProto model, IReadOnlyCollection<string> keepOutputs)
    {
        var graph = model.Graph;
        var before = WeightBytes(graph);
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        // A weight read by two nodes (tied weights) keeps its fp32 copy for the other reader; none in MiniLM.
        var readers = graph.Node.SelectMany(n => n.Input).Where(initializers.ContainsKey).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());

        var matMuls = 0;
        var gathers = 0;
        var rewritten = new List<NodeProto>(graph.Node.Count);
        foreach (var node in graph.Node)
        {
            if (node.Domain.Length == 0 && node.OpType == "MatMul" && IsFloatMatrix(initializers, node.Input[1]) && readers[node.Input[1]] == 1
                && initializers[node.Input[1]].Dims[0] % BlockSize == 0)
            {
                var weight = initializers[node.Input[1]];
                var (blocks, scales) = QuantizeBlocks(weight);
                graph.Initializer.Remove(weight);
                graph.Initializer.Add(blocks);
                graph.Initializer.Add(scales);
                var replacement = new NodeProto { Name = node.Name + "_int8", OpType = "MatMulNBits", Domain = MicrosoftDomain };
                replacement.Input.Add(node.Input[0]);
                replacement.Input.Add(blocks.Name);
                replacement.Input.Add(scales.Name);
                replacement.Output.Add(node.Output[0]);
                replacement.Attribute.Add(IntAttribute("K", weight.Dims[0]));
                replacement.Attribute.Add(IntAttribute("N", weight.Dims[1]));
                replacement.Attribute.Add(IntAttribute("bits", 8));
                replacement.Attribute.Add(IntAttribute("block_size", BlockSize));
                // 4: A is quantized to int8 per block as well, so the kernel multiplies integers (MLAS's VNNI/AVX2 paths).
                replacement.Attribute.Add(IntAttribute("accuracy_level", 4));
                rewritten.Add(replacement);
                matMuls++;
            }
            else if (node.Domain.Length == 0 && node.OpType == "Gather" && IsFloatMatrix(initializers, node.Input[0]) && readers[node.Input[0]] == 1
                     && AxisOf(node) == 0 && initializers[node.Input[0]].Dims[0] >= 4096)
            {
                // Only the vocabulary-sized table: the position and token-type tables are 0.8 MB together.
                var table = initializers[node.Input[0]];
                var (quantized, scales) = QuantizeRows(table);
                graph.Initializer.Remove(table);
                graph.Initializer.Add(quantized);
                graph.Initializer.Add(scales);
                var output = node.Output[0];
                rewritten.Add(Node("Gather", node.Name + "_int8_rows", [quantized.Name, node.Input[1]], output + "_int8_rows"));
                rewritten.Add(Node("Gather", node.Name + "_int8_scales", [scales.Name, node.Input[1]], output + "_int8_scales"));
                var cast = Node("Cast", node.Name + "_int8_cast", [output + "_int8_rows"], output + "_int8_float");
                cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
                rewritten.Add(cast);
                rewritten.Add(Node("Mul", node.Name + "_int8_mul", [output + "_int8_float", output + "_int8_scales"], output));
                gathers++;
            }
            else
            {
                rewritten.Add(node);
            }
        }

        graph.Node.Clear();
        graph.Node.AddRange(rewritten);
        Prune(graph, keepOutputs);
        if (!model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return new Result(model, matMuls, gathers, before, WeightBytes(graph));
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { Name = name, OpType = op };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static long AxisOf(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;

    private static bool IsFloatMatrix(Dictionary<string, TensorProto> initializers, string name) =>
        initializers.TryGetValue(name, out var t) && t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 2
        && t.RawData.Length == t.Dims[0] * t.Dims[1] * sizeof(float);

    /// <summary>B is [K, N]: MatMulNBits wants it as [N, K / block, block], one scale per block of K inputs of a column.</summary>
    private static (TensorProto Blocks, TensorProto Scales) QuantizeBlocks(TensorProto weight)
    {
        const int blockSize = BlockSize;
        var k = (int)weight.Dims[0];
        var n = (int)weight.Dims[1];
        var values = Floats(weight);
        var blocks = k / blockSize;
        var quantized = new byte[n * k];
        var scales = new float[n * blocks];
        for (var c = 0; c < n; c++)
        {
            for (var b = 0; b < blocks; b++)
            {
                var max = 0f;
                for (var i = 0; i < blockSize; i++)
                {
                    max = Math.Max(max, Math.Abs(values[(((b * blockSize) + i) * n) + c]));
                }

                var scale = max == 0 ? 1 : max / 127f;
                scales[(c * blocks) + b] = scale;
                for (var i = 0; i < blockSize; i++)
                {
                    quantized[(c * k) + (b * blockSize) + i] = ToUInt8(values[(((b * blockSize) + i) * n) + c] / scale);
                }
            }
        }

        return (Tensor(weight.Name + "_q8", TensorProto.Types.DataType.Uint8, [n, blocks, blockSize], quantized),
            Tensor(weight.Name + "_q8_scale", TensorProto.Types.DataType.Float, [n, blocks], AsBytes(scales)));
    }

    /// <summary>A table is [rows, width]: one scale per row (a token's vector), as [rows, 1] so it broadcasts over width.</summary>
    private static (TensorProto Quantized, TensorProto Scales) QuantizeRows(TensorProto table)
    {
        var rows = (int)table.Dims[0];
        var width = (int)table.Dims[1];
        var values = Floats(table);
        var scales = new float[rows];
        var quantized = new byte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * width, width);
            var max = 0f;
            foreach (var v in row)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            var scale = max == 0 ? 1 : max / 127f;
            scales[r] = scale;
            for (var i = 0; i < width; i++)
            {
                quantized[(r * width) + i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(row[i] / scale), -127, 127));
            }
        }

        return (Tensor(table.Name + "_int8", TensorProto.Types.DataType.Int8, [rows, width], quantized),
            Tensor(table.Name + "_scale", TensorProto.Types.DataType.Float, [rows, 1], AsBytes(scales)));
    }

    /// <summary>MatMulNBits reads 8-bit codes as unsigned with the zero point 128 when none is given.</summary>
    private static byte ToUInt8(float value) => (byte)(Math.Clamp(MathF.Round(value), -127, 127) + 128);

    private static float[] Floats(TensorProto tensor)
    {
        var floats = new float[tensor.RawData.Length / sizeof(float)];
        // ONNX raw data is little-endian, as are the machines ONNX Runtime's CPU provider runs on.
        tensor.RawData.Span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()));
        return floats;
    }

    private static byte[] AsBytes(float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] dims, byte[] data)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>Keeps only the outputs asked for, then every node and initializer nothing kept reads.</summary>
    private static void Prune(GraphProto graph, IReadOnlyCollection<string> keepOutputs)
    {
        foreach (var output in graph.Output.Where(o => !keepOutputs.Contains(o.Name)).ToList())
        {
            graph.Output.Remove(output);
        }

        var needed = new HashSet<string>(graph.Output.Select(o => o.Name));
        var kept = new List<NodeProto>();
        foreach (var node in graph.Node.Reverse())
        {
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Input.Where(i => i.Length > 0));
            }
        }

        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        foreach (var initializer in graph.Initializer.Where(i => !needed.Contains(i.Name)).ToList())
        {
            graph.Initializer.Remove(initializer);
        }
    }

    private static long WeightBytes(GraphProto graph) => graph.Initializer.Sum(i => (long)i.RawData.Length + (i.FloatData.Count * sizeof(float)));
}
