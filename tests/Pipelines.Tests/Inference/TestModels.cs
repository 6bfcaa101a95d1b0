using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;

namespace EdgeAgent.Pipelines.Tests.Inference;

/// <summary>The models the inference tests and benchmarks build with our writer, each with its expected behaviour.</summary>
public static class TestModels
{
    public const TensorElementType F32 = TensorElementType.Float;

    /// <summary>z = x + y over two [1, n] float tensors.</summary>
    public static OnnxModelBuilder Add(int n = 64) =>
        new OnnxModelBuilder("add")
            .Input("x", F32, 1, n)
            .Input("y", F32, 1, n)
            .Output("z", F32, 1, n)
            .Node("Add", ["x", "y"], ["z"])
            .Metadata("purpose", "per-call overhead");

    /// <summary>One input and one output per element type the agent binds, each computing something checkable.</summary>
    public static OnnxModelBuilder EveryType()
    {
        var builder = new OnnxModelBuilder("every_type");
        builder.Input("f32", F32, 2, 3).Output("f32_twice", F32, 2, 3).Node("Add", ["f32", "f32"], ["f32_twice"]);
        builder.Input("i32", TensorElementType.Int32, 2, 3).Output("i32_twice", TensorElementType.Int32, 2, 3).Node("Add", ["i32", "i32"], ["i32_twice"]);
        builder.Input("i64", TensorElementType.Int64, 4).Output("i64_square", TensorElementType.Int64, 4).Node("Mul", ["i64", "i64"], ["i64_square"]);
        builder.Input("u8", TensorElementType.UInt8, 1, 4).Output("u8_as_f32", F32, 1, 4)
            .Node("Cast", ["u8"], ["u8_as_f32"], OnnxAttribute.Int("to", (long)TensorElementType.Float));
        builder.Input("i8", TensorElementType.Int8, 1, 4).Output("i8_negated", TensorElementType.Int8, 1, 4).Node("Neg", ["i8"], ["i8_negated"]);
        builder.Input("f16", TensorElementType.Float16, 1, 4).Output("f16_as_f32", F32, 1, 4)
            .Node("Cast", ["f16"], ["f16_as_f32"], OnnxAttribute.Int("to", (long)TensorElementType.Float));
        builder.Input("flag", TensorElementType.Bool, 1, 4).Output("flag_not", TensorElementType.Bool, 1, 4).Node("Not", ["flag"], ["flag_not"]);
        builder.Output("positive", TensorElementType.Bool, 2, 3)
            .Initializer("zero", F32, [], new[] { 0f })
            .Node("Greater", ["f32", "zero"], ["positive"]);
        return builder;
    }

    /// <summary>y[N, 4] = x[N, 4] * w[4]; s[N] = sum over the row of y. N is the named dynamic batch dim.</summary>
    public static OnnxModelBuilder DynamicBatch() =>
        new OnnxModelBuilder("dynamic_batch")
            .Input("x", F32, "N", 4)
            .Output("y", F32, "N", 4)
            .Output("s", F32, "N")
            .Initializer("w", F32, [4], new[] { 1f, 2f, 3f, 4f })
            .Initializer("axes", TensorElementType.Int64, [1], new[] { 1L })
            .Node("Mul", ["x", "w"], ["y"])
            .Node("ReduceSum", ["y", "axes"], ["s"], OnnxAttribute.Int("keepdims", 0));

    /// <summary>A float CNN: 3x64x64 → Conv/Relu x3 → global average pool → Gemm → 4 scores.</summary>
    public static OnnxModelBuilder SmallCnn(int size = 64) => Cnn.Float(size);

    /// <summary>The same CNN with int8 QDQ (QuantizeLinear/DequantizeLinear around each Conv and the Gemm).</summary>
    public static OnnxModelBuilder SmallCnnQdq(int size = 64) => Cnn.Qdq(size);

    /// <summary>uint8 [1, 16] x uint8/int8 weights: MatMulInteger (int32 out) and QLinearMatMul (uint8 out).</summary>
    public static OnnxModelBuilder QuantizedMatMul() => Quantized.MatMuls();

    /// <summary>A uint8 NHWC image [1, H, W, 3] → per-channel mean in [0, 1] as float[1, 3]; fed without a float copy.</summary>
    public static OnnxModelBuilder ImageMean(int height = 32, int width = 32) =>
        new OnnxModelBuilder("image_mean")
            .Input("image", TensorElementType.UInt8, 1, height, width, 3)
            .Output("mean", F32, 1, 3)
            .Initializer("scale", F32, [], new[] { 1f / 255f })
            .Node("Cast", ["image"], ["image_f"], OnnxAttribute.Int("to", (long)TensorElementType.Float))
            .Node("Mul", ["image_f", "scale"], ["scaled"])
            .Node("ReduceMean", ["scaled"], ["mean"], OnnxAttribute.Ints("axes", 1, 2), OnnxAttribute.Int("keepdims", 0));

    /// <summary>
    /// y = x · (Transpose(W) * 0.5) with W stored as exported by a framework that keeps weights transposed: ORT
    /// folds the constant subgraph while optimising, the work the optimised-model cache saves at the next load.
    /// </summary>
    public static OnnxModelBuilder FoldableWeights(int k) =>
        new OnnxModelBuilder("foldable")
            .Input("x", F32, 1, k)
            .Output("y", F32, 1, k)
            .Initializer("w", F32, [k, k], Noise(k * k, 11))
            .Initializer("half", F32, [], new[] { 0.5f })
            .Node("Transpose", ["w"], ["wt"], OnnxAttribute.Ints("perm", 1, 0))
            .Node("Mul", ["wt", "half"], ["ws"])
            .Node("MatMul", ["x", "ws"], ["y"]);

    /// <summary>Deterministic pseudo-random values in [-1, 1).</summary>
    public static float[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
