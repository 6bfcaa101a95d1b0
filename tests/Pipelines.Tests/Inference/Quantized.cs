using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;

namespace EdgeAgent.Pipelines.Tests.Inference;

/// <summary>QOperator-format models: integer matmuls the tests can check by hand.</summary>
internal static class Quantized
{
    public const int K = 16;
    public const int N = 4;

    /// <summary>B[k, n] = (k + n) % 7 as uint8 (MatMulInteger, zero point 3) and as uint8 for QLinearMatMul.</summary>
    public static byte[] Weights() => Enumerable.Range(0, K * N).Select(i => (byte)((i / N + i % N) % 7)).ToArray();

    public const byte WeightZeroPoint = 3;
    public const byte InputZeroPoint = 2;
    public const float InputScale = 0.5f;
    public const float WeightScale = 0.25f;
    public const float OutputScale = 2f;
    public const byte OutputZeroPoint = 10;

    public static OnnxModelBuilder MatMuls() =>
        new OnnxModelBuilder("quantized_matmul")
            .Opset(string.Empty, 17)
            .Input("a", TensorElementType.UInt8, 1, K)
            .Output("int_product", TensorElementType.Int32, 1, N)
            .Output("qlinear_product", TensorElementType.UInt8, 1, N)
            .Initializer("b", TensorElementType.UInt8, [K, N], Weights())
            .Initializer("a_zero", TensorElementType.UInt8, [], new[] { InputZeroPoint })
            .Initializer("b_zero", TensorElementType.UInt8, [], new[] { WeightZeroPoint })
            .Initializer("a_scale", TensorElementType.Float, [], new[] { InputScale })
            .Initializer("b_scale", TensorElementType.Float, [], new[] { WeightScale })
            .Initializer("y_scale", TensorElementType.Float, [], new[] { OutputScale })
            .Initializer("y_zero", TensorElementType.UInt8, [], new[] { OutputZeroPoint })
            .Node("MatMulInteger", ["a", "b", "a_zero", "b_zero"], ["int_product"])
            .Node("QLinearMatMul", ["a", "a_scale", "a_zero", "b", "b_scale", "b_zero", "y_scale", "y_zero"], ["qlinear_product"]);

    /// <summary>What MatMulInteger must return for <paramref name="a"/>.</summary>
    public static int[] ExpectedIntegerProduct(ReadOnlySpan<byte> a)
    {
        var b = Weights();
        var result = new int[N];
        for (var n = 0; n < N; n++)
        {
            for (var k = 0; k < K; k++)
            {
                result[n] += (a[k] - InputZeroPoint) * (b[k * N + n] - WeightZeroPoint);
            }
        }

        return result;
    }

    /// <summary>What QLinearMatMul must return (ORT rounds half to even and saturates).</summary>
    public static byte[] ExpectedQLinearProduct(ReadOnlySpan<byte> a) =>
        ExpectedIntegerProduct(a)
            .Select(v => (byte)Math.Clamp(Math.Round(v * InputScale * WeightScale / OutputScale, MidpointRounding.ToEven) + OutputZeroPoint, 0, 255))
            .ToArray();
}
