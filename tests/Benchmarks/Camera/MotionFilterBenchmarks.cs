using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines.Camera;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>The motion pre-filter's cost per frame on a static scene (the common case it exists for).</summary>
[MemoryDiagnoser]
public class MotionFilterBenchmarks
{
    private byte[] _frame = [];
    private MotionFilter _filter = null!;
    private long _timestamp;

    [Params(224, 640)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var height = Width * 3 / 4;
        _frame = GC.AllocateArray<byte>(Width * height * 3, pinned: true);
        new Random(3).NextBytes(_frame);
        _filter = new MotionFilter(Width, height, CameraPixelFormat.Rgb24, new MotionFilterOptions { Enabled = true, Downscale = 4, ForceEverySeconds = 0 });
        _filter.Evaluate(_frame, 0);
    }

    [Benchmark(Description = "motion filter, static RGB frame, downscale 4")]
    public bool Evaluate() => _filter.Evaluate(_frame, ++_timestamp);
}
