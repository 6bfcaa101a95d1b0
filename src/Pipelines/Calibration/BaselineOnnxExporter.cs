using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;

namespace EdgeAgent.Pipelines.Calibration;

/// <summary>
/// Writes a <see cref="BaselineModel"/> as an ONNX graph that computes what <see cref="BaselineReconstructor"/> does:
/// <c>reconstruction = clamp(z · Wᵀ, cmin, cmax) · W</c> over standardised features z [1, d]. The int8 variant puts
/// QuantizeLinear/DequantizeLinear pairs around both MatMuls (weights per-tensor symmetric int8, activations scaled
/// from the ranges seen in calibration), which ONNX Runtime fuses into integer MatMuls.
/// </summary>
public static class BaselineOnnxExporter
{
    public const string InputName = "features";
    public const string OutputName = "reconstruction";
    private const TensorElementType F32 = TensorElementType.Float;
    private const TensorElementType I8 = TensorElementType.Int8;

    public static OnnxModelBuilder Float(BaselineModel model, string name)
    {
        var builder = Skeleton(model, name, "float32");
        builder.Initializer("wt", F32, [model.Features, model.ComponentCount], Transposed(model))
            .Initializer("w", F32, [model.ComponentCount, model.Features], ToFloat(model.Components))
            .Node("MatMul", [InputName, "wt"], ["coefficients"]);
        return Clamp(builder, model, "coefficients").Node("MatMul", ["clamped", "w"], [OutputName]);
    }

    /// <param name="inputAbsMax">Largest |z| seen on normal data; inputs beyond it saturate, which only raises the error.</param>
    public static OnnxModelBuilder Int8(BaselineModel model, string name, float inputAbsMax)
    {
        var builder = Skeleton(model, name, "int8-qdq");
        var inputScale = Math.Max(inputAbsMax, 1e-6f) / 127f;
        var coefficientMax = (float)Enumerable.Range(0, model.ComponentCount)
            .Max(k => Math.Max(Math.Abs(model.CoefficientMin[k]), Math.Abs(model.CoefficientMax[k])));
        var coefficientScale = Math.Max(coefficientMax, 1e-6f) / 127f;

        QuantizedWeights(builder, "wt", [model.Features, model.ComponentCount], Transposed(model));
        QuantizedWeights(builder, "w", [model.ComponentCount, model.Features], ToFloat(model.Components));
        builder.Initializer("zero_i8", I8, [], new sbyte[] { 0 })
            .Initializer("input_scale", F32, [], new[] { inputScale })
            .Initializer("coefficient_scale", F32, [], new[] { coefficientScale })
            .Node("QuantizeLinear", [InputName, "input_scale", "zero_i8"], ["features_q"])
            .Node("DequantizeLinear", ["features_q", "input_scale", "zero_i8"], ["features_dq"])
            .Node("MatMul", ["features_dq", "wt_dq"], ["coefficients"]);
        return Clamp(builder, model, "coefficients")
            .Node("QuantizeLinear", ["clamped", "coefficient_scale", "zero_i8"], ["clamped_q"])
            .Node("DequantizeLinear", ["clamped_q", "coefficient_scale", "zero_i8"], ["clamped_dq"])
            .Node("MatMul", ["clamped_dq", "w_dq"], [OutputName]);
    }

    private static OnnxModelBuilder Skeleton(BaselineModel model, string name, string variant) =>
        new OnnxModelBuilder(name)
        {
            DocString = $"PCA reconstruction baseline ({model.ComponentCount} of {model.Features} components, {model.ExplainedShare:P1} of the variance), {variant}",
        }
            .Input(InputName, F32, 1, model.Features)
            .Output(OutputName, F32, 1, model.Features)
            .Metadata("edgeagent.kind", "pca-baseline")
            .Metadata("edgeagent.variant", variant);

    private static OnnxModelBuilder Clamp(OnnxModelBuilder builder, BaselineModel model, string input) =>
        builder.Initializer("cmin", F32, [model.ComponentCount], ToFloat(model.CoefficientMin))
            .Initializer("cmax", F32, [model.ComponentCount], ToFloat(model.CoefficientMax))
            .Node("Max", [input, "cmin"], ["above_min"])
            .Node("Min", ["above_min", "cmax"], ["clamped"]);

    // Weights use 7 bits (±63), ONNX Runtime's "reduce range": on x86 CPUs without VNNI (AVX2 only, e.g. AMD EPYC
    // before Zen 4) MLAS multiplies uint8 activations by int8 weights with vpmaddubsw, whose int16 sum of two
    // products saturates at 255·127·2; with 7-bit weights it cannot (255·63·2 < 32,767). Full-range weights gave
    // reconstruction errors of 1.5 (input range 1.9) there, and were exact on VNNI machines.
    private const float WeightLevels = 63f;

    private static void QuantizedWeights(OnnxModelBuilder builder, string name, long[] dims, float[] weights)
    {
        var absMax = weights.Max(Math.Abs);
        var scale = Math.Max(absMax, 1e-12f) / WeightLevels;
        var quantized = weights.Select(w => (sbyte)Math.Clamp(MathF.Round(w / scale), -WeightLevels, WeightLevels)).ToArray();
        builder.Initializer(name + "_q", I8, dims, quantized)
            .Initializer(name + "_scale", F32, [], new[] { scale })
            .Initializer(name + "_zero", I8, [], new sbyte[] { 0 })
            .Node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zero"], [name + "_dq"]);
    }

    private static float[] Transposed(BaselineModel model)
    {
        var d = model.Features;
        var k = model.ComponentCount;
        var result = new float[d * k];
        for (var c = 0; c < k; c++)
        {
            for (var i = 0; i < d; i++)
            {
                result[(i * k) + c] = (float)model.Components[(c * d) + i];
            }
        }

        return result;
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
