using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Calibration;

/// <summary>The exported graphs run in the real ONNX Runtime and agree with the C# reference reconstructor.</summary>
[Collection(InferenceCollection.Name)]
public sealed class BaselineOnnxExporterTests : IDisposable
{
    private readonly RuntimeFixture _fixture;
    private readonly TempDirectory _directory = new("exporter");
    private readonly BaselineModel _model;
    private readonly List<float[]> _standardized = [];

    public BaselineOnnxExporterTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
        var random = new Random(7);
        var rows = new List<float[]>();
        for (var i = 0; i < 400; i++)
        {
            var a = random.NextDouble() * 4;
            var b = random.NextDouble();
            rows.Add([(float)a, (float)(3 * a + b), (float)(b * 2), (float)(random.NextDouble() * 0.1), (float)(a - b)]);
        }

        _model = PcaCalibrator.Fit(rows, new CalibrationOptions());
        foreach (var row in rows.Take(50).Append([9f, 0f, 5f, 1f, -3f]))
        {
            var z = new float[_model.Features];
            PcaCalibrator.Standardize(_model, row, z);
            _standardized.Add(z);
        }
    }

    private (float[] Reference, float[] Onnx) Compare(EdgeAgent.Pipelines.Inference.Onnx.OnnxModelBuilder builder, float[] z)
    {
        var path = builder.Save(_directory.Combine(Guid.NewGuid().ToString("N") + ".onnx"));
        using var model = new OnnxWindowModel(_fixture.Runtime.LoadModel(path), string.Empty, string.Empty);
        z.CopyTo(model.Input);
        model.Run();
        var reference = new float[_model.Features];
        new BaselineReconstructor(_model).Reconstruct(z, reference);
        return (reference, model.Output.ToArray());
    }

    [Fact]
    public void Float_graph_matches_the_reference_reconstructor()
    {
        var builder = BaselineOnnxExporter.Float(_model, "baseline");
        foreach (var z in _standardized)
        {
            var (reference, onnx) = Compare(builder, z);
            onnx.Should().Equal(reference, (a, b) => Math.Abs(a - b) < 1e-4f);
        }
    }

    [Fact]
    public void Int8_qdq_graph_stays_close_to_the_reference_and_keeps_anomalies_apart()
    {
        var absMax = _standardized.Take(50).SelectMany(z => z).Max(Math.Abs);
        var builder = BaselineOnnxExporter.Int8(_model, "baseline_int8", absMax);
        var worst = 0f;
        foreach (var z in _standardized.Take(50))
        {
            var (reference, onnx) = Compare(builder, z);
            worst = Math.Max(worst, reference.Zip(onnx, (a, b) => Math.Abs(a - b)).Max());
        }

        worst.Should().BeLessThan(0.1f * absMax, "int8 error stays a small share of the input range");

        // The anomalous row's reconstruction error stays far above a normal row's, quantized or not.
        var anomaly = _standardized[^1];
        var (_, quantized) = Compare(builder, anomaly);
        var error = anomaly.Zip(quantized, (a, b) => (a - b) * (a - b)).Average();
        error.Should().BeGreaterThan((float)_model.Threshold);
    }

    public void Dispose() => _directory.Dispose();
}
