using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>A YOLOv8n-sized output ([1, 84, 8400]) with a few dozen candidates above the threshold.</summary>
[MemoryDiagnoser]
public class DetectionDecoderBenchmarks
{
    private const int Candidates = 8400;
    private const int Classes = 80;
    private readonly float[] _output = GC.AllocateArray<float>(Candidates * (4 + Classes), pinned: true);
    private readonly DetectionDecoder _decoder = new(
        Candidates, Classes, DetectionLayout.AttributesFirst, LetterboxGeometry.Compute(640, 480, 640, 640, letterbox: true));

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4);
        for (var n = 0; n < Candidates; n++)
        {
            _output[n] = random.NextSingle() * 640;
            _output[Candidates + n] = random.NextSingle() * 640;
            _output[(2 * Candidates) + n] = 20 + (random.NextSingle() * 100);
            _output[(3 * Candidates) + n] = 20 + (random.NextSingle() * 100);
            for (var c = 0; c < Classes; c++)
            {
                _output[((4 + c) * Candidates) + n] = random.NextSingle() * (n % 200 == 0 ? 1f : 0.2f);
            }
        }
    }

    [Benchmark(Description = "YOLOv8n output decode + NMS")]
    public float Decode() => _decoder.Decode(_output);
}
