using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;

namespace EdgeAgent.Pipelines.Tests.Inference;

/// <summary>The small CNN of the benchmarks, as float and as an int8 QDQ model with the same weights.</summary>
internal static class Cnn
{
    private const TensorElementType F32 = TensorElementType.Float;

    // (input channels, output channels, stride) of the three 3x3 convolutions.
    private static readonly (int In, int Out, int Stride)[] Layers = [(3, 8, 1), (8, 16, 2), (16, 16, 2)];

    public static OnnxModelBuilder Float(int size)
    {
        var builder = Start("small_cnn", size);
        var x = "input";
        for (var l = 0; l < Layers.Length; l++)
        {
            var (cin, cout, stride) = Layers[l];
            builder.Initializer($"w{l}", F32, [cout, cin, 3, 3], Weights(l, cout * cin * 9, cin))
                .Initializer($"b{l}", F32, [cout], TestModels.Noise(cout, 100 + l))
                .Node("Conv", [x, $"w{l}", $"b{l}"], [$"conv{l}"], ConvAttributes(stride))
                .Node("Relu", [$"conv{l}"], [$"relu{l}"]);
            x = $"relu{l}";
        }

        return Finish(builder, x, "fc_w");
    }

    public static OnnxModelBuilder Qdq(int size)
    {
        var builder = Start("small_cnn_qdq", size);
        var x = Quantize(builder, "input", "in_scale", 1f / 127f);
        for (var l = 0; l < Layers.Length; l++)
        {
            var (cin, cout, stride) = Layers[l];
            var weights = Weights(l, cout * cin * 9, cin);
            var scale = weights.Max(MathF.Abs) / 127f;
            builder.Initializer($"w{l}_q", TensorElementType.Int8, [cout, cin, 3, 3], weights.Select(w => (sbyte)Math.Clamp(MathF.Round(w / scale), -127, 127)).ToArray())
                .Initializer($"w{l}_scale", F32, [], new[] { scale })
                .Initializer($"w{l}_zero", TensorElementType.Int8, [], new sbyte[] { 0 })
                .Node("DequantizeLinear", [$"w{l}_q", $"w{l}_scale", $"w{l}_zero"], [$"w{l}"])
                .Initializer($"b{l}", F32, [cout], TestModels.Noise(cout, 100 + l))
                .Node("Conv", [x, $"w{l}", $"b{l}"], [$"conv{l}"], ConvAttributes(stride))
                .Node("Relu", [$"conv{l}"], [$"relu{l}"]);
            x = Quantize(builder, $"relu{l}", $"act{l}_scale", 4f / 127f);
        }

        return Finish(builder, x, "fc_w");
    }

    private static OnnxModelBuilder Start(string name, int size) =>
        new OnnxModelBuilder(name).Input("input", F32, 1, 3, size, size).Output("scores", F32, 1, 4);

    private static OnnxModelBuilder Finish(OnnxModelBuilder builder, string x, string fcWeights) =>
        builder.Node("GlobalAveragePool", [x], ["pooled"])
            .Node("Flatten", ["pooled"], ["flat"])
            .Initializer(fcWeights, F32, [4, 16], TestModels.Noise(64, 7))
            .Initializer("fc_b", F32, [4], TestModels.Noise(4, 8))
            .Node("Gemm", ["flat", fcWeights, "fc_b"], ["scores"], OnnxAttribute.Int("transB", 1));

    // QuantizeLinear then DequantizeLinear: the pattern ORT fuses into QLinearConv when the graph is optimised.
    private static string Quantize(OnnxModelBuilder builder, string x, string scaleName, float scale)
    {
        builder.Initializer(scaleName, F32, [], new[] { scale })
            .Initializer(scaleName + "_zero", TensorElementType.Int8, [], new sbyte[] { 0 })
            .Node("QuantizeLinear", [x, scaleName, scaleName + "_zero"], [x + "_q"])
            .Node("DequantizeLinear", [x + "_q", scaleName, scaleName + "_zero"], [x + "_dq"]);
        return x + "_dq";
    }

    private static OnnxAttribute[] ConvAttributes(int stride) =>
        [OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("pads", 1, 1, 1, 1), OnnxAttribute.Ints("strides", stride, stride)];

    // He-style scaling keeps activations in a range the int8 scales above cover.
    private static float[] Weights(int layer, int count, int inputChannels) =>
        TestModels.Noise(count, layer).Select(w => w * MathF.Sqrt(2f / (9 * inputChannels))).ToArray();
}
