using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines.Preprocessing;

namespace EdgeAgent.Benchmarks.Camera;

/// <summary>
/// One 224x224 RGB frame into a model input tensor. The scalar loop is the straightforward per-pixel code measured
/// in the same run, so the ratio shows what the vector kernels buy on this machine.
/// </summary>
[MemoryDiagnoser]
public class PreprocessingBenchmarks
{
    private const int Size = 224;
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];
    private readonly byte[] _frame = GC.AllocateArray<byte>(Size * Size * 3, pinned: true);
    private readonly byte[] _frame4By3 = GC.AllocateArray<byte>(320 * 240 * 3, pinned: true);
    private readonly float[] _floats = GC.AllocateArray<float>(Size * Size * 3, pinned: true);
    private readonly byte[] _bytes = GC.AllocateArray<byte>(Size * Size * 3, pinned: true);
    private readonly ImagePreprocessor _nchw = new(Size, Size, 3, Size, Size, TensorLayout.Nchw, mean: Mean, std: Std);
    private readonly ImagePreprocessor _nhwc = new(Size, Size, 3, Size, Size, TensorLayout.Nhwc, mean: Mean, std: Std);
    private readonly ImagePreprocessor _letterbox = new(320, 240, 3, Size, Size, TensorLayout.Nchw, mean: Mean, std: Std);

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_frame);
        new Random(2).NextBytes(_frame4By3);
    }

    [Benchmark(Baseline = true, Description = "scalar reference, 224 RGB -> NCHW float")]
    public void ScalarNchwFloat()
    {
        const int plane = Size * Size;
        var frame = _frame;
        var tensor = _floats;
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                tensor[(c * plane) + p] = ((frame[(p * 3) + c] / 255f) - Mean[c]) / Std[c];
            }
        }
    }

    [Benchmark(Description = "224 RGB -> NCHW float (mean/std)")]
    public void NchwFloat() => _nchw.Process(_frame, _floats);

    [Benchmark(Description = "224 RGB -> NHWC float (mean/std)")]
    public void NhwcFloat() => _nhwc.Process(_frame, _floats);

    [Benchmark(Description = "224 RGB -> NCHW uint8")]
    public void NchwBytes() => _nchw.Process(_frame, _bytes);

    [Benchmark(Description = "320x240 RGB -> letterboxed 224 NCHW float")]
    public void LetterboxNchwFloat() => _letterbox.Process(_frame4By3, _floats);
}
