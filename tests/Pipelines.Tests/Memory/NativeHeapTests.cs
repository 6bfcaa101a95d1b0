using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Memory;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Memory;

/// <summary>Loading and disposing a model again and again (what OTA swaps do) leaves nothing behind in ORT's arena or the C heap.</summary>
[Collection(InferenceCollection.Name)]
public sealed class NativeHeapTests : IDisposable
{
    private const int Features = 8;
    private const int Hidden = 80_000;
    private readonly TempDirectory _directory = new("native-heap");
    private readonly RuntimeFixture _fixture;

    public NativeHeapTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Sessions_loaded_and_disposed_twenty_times_return_their_memory()
    {
        // glibc here (Debian): the controls exist and the runtime has pinned the mmap threshold.
        NativeHeap.ReturnLargeBlocksToSystem().Should().BeTrue();
        NativeHeap.Trim().Should().BeTrue();
        var path = Model();
        using var resident = _fixture.Runtime.LoadModel(path);
        Cycle(path);
        var arenaBefore = resident.ArenaStatistics().GetValueOrDefault("InUse");
        var heapBefore = CHeapBytes();

        for (var i = 0; i < 20; i++)
        {
            Cycle(path);
        }

        resident.ArenaStatistics().GetValueOrDefault("InUse").Should().Be(arenaBefore, "every disposed session gave its arena memory back");
        // A leaked session would keep its 5 MB of weights: +100 MB. Other tests run meanwhile, hence the slack.
        (CHeapBytes() - heapBefore).Should().BeLessThan(25_000_000, "disposed sessions free their weights and graph");
    }

    public void Dispose() => _directory.Dispose();

    private void Cycle(string path)
    {
        using var session = _fixture.Runtime.LoadModel(path);
        session.Run();
    }

    private static long CHeapBytes()
    {
        var heap = NativeHeap.Statistics()!;
        return heap.InUseBytes + heap.MappedBytes;
    }

    private string Model()
    {
        var random = new Random(3);
        float[] Weights(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 1e-3))];
        return new OnnxModelBuilder("heap_probe")
            .Input("x", TensorElementType.Float, 1, Features).Output("y", TensorElementType.Float, 1, Features)
            .Initializer("w1", TensorElementType.Float, [Features, Hidden], Weights(Features * Hidden))
            .Initializer("w2", TensorElementType.Float, [Hidden, Features], Weights(Hidden * Features))
            .Node("MatMul", ["x", "w1"], ["h"]).Node("MatMul", ["h", "w2"], ["y"])
            .Save(_directory.Combine("heap.onnx"));
    }
}
