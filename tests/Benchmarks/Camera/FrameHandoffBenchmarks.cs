using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines.Camera;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>The reader-to-consumer hand-off of one frame (publish, take, return), without contention.</summary>
[MemoryDiagnoser]
public class FrameHandoffBenchmarks
{
    private readonly FrameHandoff _handoff = new(224, 224, CameraPixelFormat.Rgb24);
    private long _sequence;

    [Benchmark(Description = "frame hand-off publish + take + return")]
    public void PublishTakeReturn()
    {
        _handoff.Publish(++_sequence, _sequence);
        _handoff.TryTake(out var frame);
        _handoff.Return(frame!);
    }
}
