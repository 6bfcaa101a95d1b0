using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// The bundled scene-anomaly model for fixed cameras: a grey frame is cut into square patches, each patch's mean
/// and standard deviation are compared with those learned from normal frames, and the score is the largest
/// standardised squared difference over the patches, (Δmean/σ)² + (Δstd/σ)². Expressed as an ONNX graph
/// (AveragePool, arithmetic, ReduceMax) so it runs through the same engine as any user model; <see cref="Score"/>
/// computes the same in C# for calibration.
/// </summary>
public sealed class SceneModel
{
    // A patch whose normal frames barely vary would make any sensor noise an anomaly; 0.01 is 2.5 grey levels.
    private const float MinSpread = 0.01f;
    private const float Epsilon = 1e-6f;

    private SceneModel(int width, int height, int patch, float[] meanMu, float[] meanSd, float[] stdMu, float[] stdSd)
    {
        Width = width;
        Height = height;
        Patch = patch;
        MeanMu = meanMu;
        MeanSd = meanSd;
        StdMu = stdMu;
        StdSd = stdSd;
    }

    public int Width { get; }

    public int Height { get; }

    public int Patch { get; }

    public int PatchesX => Width / Patch;

    public int PatchesY => Height / Patch;

    public float[] MeanMu { get; }

    public float[] MeanSd { get; }

    public float[] StdMu { get; }

    public float[] StdSd { get; }

    /// <summary>Learns the normal per-patch statistics from grey frames (width × height bytes each).</summary>
    public static SceneModel Fit(IReadOnlyList<byte[]> frames, int width, int height, int patch)
    {
        if (width % patch != 0 || height % patch != 0)
        {
            throw new ArgumentException($"a {width}x{height} frame does not divide into {patch}x{patch} patches; use a camera width and height that are multiples of {patch}");
        }

        if (frames.Count < 10)
        {
            throw new InvalidDataException($"{frames.Count} frames of normal footage are too few; give at least 10");
        }

        var patches = width / patch * (height / patch);
        var sumM = new double[patches];
        var sumM2 = new double[patches];
        var sumS = new double[patches];
        var sumS2 = new double[patches];
        var means = new float[patches];
        var stds = new float[patches];
        foreach (var frame in frames)
        {
            Features(frame, width, height, patch, means, stds);
            for (var i = 0; i < patches; i++)
            {
                sumM[i] += means[i];
                sumM2[i] += (double)means[i] * means[i];
                sumS[i] += stds[i];
                sumS2[i] += (double)stds[i] * stds[i];
            }
        }

        var n = frames.Count;
        var meanMu = new float[patches];
        var meanSd = new float[patches];
        var stdMu = new float[patches];
        var stdSd = new float[patches];
        for (var i = 0; i < patches; i++)
        {
            meanMu[i] = (float)(sumM[i] / n);
            meanSd[i] = (float)Math.Max(MinSpread, Math.Sqrt(Math.Max(0, sumM2[i] / n - meanMu[i] * (double)meanMu[i])));
            stdMu[i] = (float)(sumS[i] / n);
            stdSd[i] = (float)Math.Max(MinSpread, Math.Sqrt(Math.Max(0, sumS2[i] / n - stdMu[i] * (double)stdMu[i])));
        }

        return new SceneModel(width, height, patch, meanMu, meanSd, stdMu, stdSd);
    }

    /// <summary>The score the ONNX graph computes, for one grey frame.</summary>
    public double Score(ReadOnlySpan<byte> frame)
    {
        Span<float> means = stackalloc float[MeanMu.Length];
        Span<float> stds = stackalloc float[MeanMu.Length];
        Features(frame, Width, Height, Patch, means, stds);
        var max = 0.0;
        for (var i = 0; i < means.Length; i++)
        {
            var zm = (means[i] - MeanMu[i]) / MeanSd[i];
            var zs = (stds[i] - StdMu[i]) / StdSd[i];
            max = Math.Max(max, (zm * zm) + (zs * zs));
        }

        return max;
    }

    /// <summary>The graph: input <c>image</c> [1, 1, H, W] (float 0..1, or uint8 0..255), output <c>score</c> [1, 1, 1, 1] and each patch's score as <c>patches</c> [1, 1, rows, columns] (snapshots outline them).</summary>
    public OnnxModelBuilder ToOnnx(bool byteInput)
    {
        const TensorElementType F32 = TensorElementType.Float;
        long[] grid = [1, 1, PatchesY, PatchesX];
        var pool = new[] { OnnxAttribute.Ints("kernel_shape", Patch, Patch), OnnxAttribute.Ints("strides", Patch, Patch) };
        var builder = new OnnxModelBuilder("scene_patch_statistics") { DocString = "EdgeAgent scene-anomaly model: per-patch mean/std against a learned normal background" }
            .Input("image", byteInput ? TensorElementType.UInt8 : F32, 1, 1, Height, Width)
            .Output("score", F32, 1, 1, 1, 1)
            .Output(CameraModel.PatchesOutput, F32, 1, 1, PatchesY, PatchesX)
            .Initializer("mean_mu", F32, grid, MeanMu)
            .Initializer("mean_sd", F32, grid, MeanSd)
            .Initializer("std_mu", F32, grid, StdMu)
            .Initializer("std_sd", F32, grid, StdSd)
            .Initializer("zero", F32, [], [0f])
            .Initializer("epsilon", F32, [], [Epsilon]);
        var x = "image";
        if (byteInput)
        {
            builder.Initializer("to_unit", F32, [], [1f / 255f])
                .Node("Cast", ["image"], ["image_f"], OnnxAttribute.Int("to", (long)F32))
                .Node("Mul", ["image_f", "to_unit"], ["x"]);
            x = "x";
        }

        return builder
            .Node("AveragePool", [x], ["m"], pool)
            .Node("Mul", [x, x], ["x2"])
            .Node("AveragePool", ["x2"], ["e2"], pool)
            .Node("Mul", ["m", "m"], ["m2"])
            .Node("Sub", ["e2", "m2"], ["v"])
            .Node("Max", ["v", "zero"], ["v0"])
            .Node("Add", ["v0", "epsilon"], ["v1"])
            .Node("Sqrt", ["v1"], ["s"])
            .Node("Sub", ["m", "mean_mu"], ["dm"])
            .Node("Div", ["dm", "mean_sd"], ["zm"])
            .Node("Mul", ["zm", "zm"], ["zm2"])
            .Node("Sub", ["s", "std_mu"], ["ds"])
            .Node("Div", ["ds", "std_sd"], ["zs"])
            .Node("Mul", ["zs", "zs"], ["zs2"])
            .Node("Add", ["zm2", "zs2"], ["z"])
            .Node("ReduceMax", ["z"], ["score"], OnnxAttribute.Int("keepdims", 1))
            .Node("Identity", ["z"], [CameraModel.PatchesOutput]);
    }

    /// <summary>Per-patch mean and standard deviation of a grey frame in 0..1 units (the graph's first stage).</summary>
    public static void Features(ReadOnlySpan<byte> frame, int width, int height, int patch, Span<float> means, Span<float> stds)
    {
        var patchesX = width / patch;
        var area = patch * patch;
        for (var py = 0; py < height / patch; py++)
        {
            for (var px = 0; px < patchesX; px++)
            {
                double sum = 0, sum2 = 0;
                for (var y = py * patch; y < (py + 1) * patch; y++)
                {
                    foreach (var b in frame.Slice((y * width) + (px * patch), patch))
                    {
                        var v = b / 255.0;
                        sum += v;
                        sum2 += v * v;
                    }
                }

                var m = sum / area;
                means[(py * patchesX) + px] = (float)m;
                stds[(py * patchesX) + px] = (float)Math.Sqrt(Math.Max(0, (sum2 / area) - (m * m)) + Epsilon);
            }
        }
    }
}
