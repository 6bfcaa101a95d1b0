using System.Globalization;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Processing;

namespace EdgeAgent.Cli;

/// <summary>A calibrated baseline and how it is written out: both ONNX variants, checked in the runtime, and model.json.</summary>
internal sealed class CalibratedModel
{
    private readonly BaselineModel _baseline;
    private readonly CalibrationSet _set;
    private readonly string _name;
    private readonly string _version;

    public CalibratedModel(BaselineModel baseline, CalibrationSet set, string name, string version)
    {
        _baseline = baseline;
        _set = set;
        _name = name;
        _version = version;
    }

    /// <summary>Writes the files and returns a report of what was learned and how close int8 stays to float.</summary>
    public string Write(string directory, InferenceOptions inference)
    {
        Directory.CreateDirectory(directory);
        var standardized = _set.Rows.Select(row =>
        {
            var z = new float[_baseline.Features];
            PcaCalibrator.Standardize(_baseline, row, z);
            return z;
        }).ToList();
        var absMax = standardized.SelectMany(z => z).Max(Math.Abs);
        var floatPath = BaselineOnnxExporter.Float(_baseline, _name).Save(Path.Combine(directory, "model.float.onnx"));
        var int8Path = BaselineOnnxExporter.Int8(_baseline, _name, absMax).Save(Path.Combine(directory, BundleFiles.Model));

        var (floatScores, int8Scores) = Score(inference, floatPath, int8Path, standardized);
        var agreement = floatScores.Zip(int8Scores, (f, q) => (f > _baseline.Threshold) == (q > _baseline.Threshold)).Count(x => x) / (double)floatScores.Length;
        var worst = floatScores.Zip(int8Scores, (f, q) => Math.Abs(f - q)).Max();

        var manifest = new SensorModelManifest(_name, _version, "pca-baseline", "int8-qdq", _set.FeatureNames, _baseline.Mean, _baseline.Std, _baseline.Threshold, null);
        var json = manifest.ToJson(BundleSignature.Sha256Hex(int8Path), writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("windows", _set.Rows.Count);
            writer.WriteNumber("samples", _set.Samples);
            writer.WriteNumber("components", _baseline.ComponentCount);
            writer.WriteNumber("explainedVariance", Math.Round(_baseline.ExplainedShare, 6));
            writer.WriteNumber("int8MaxScoreDifference", worst);
            writer.WriteNumber("int8DecisionAgreement", agreement);
            writer.WriteEndObject();
        });
        File.WriteAllBytes(Path.Combine(directory, BundleFiles.Manifest), json);
        return string.Create(CultureInfo.InvariantCulture,
            $"calibrated {_name} {_version} on {_set.Rows.Count} windows ({_set.Samples} samples): {_baseline.ComponentCount} of {_baseline.Features} components " +
            $"explain {_baseline.ExplainedShare:P1}; threshold {_baseline.Threshold:G4}; int8 vs float: max score difference {worst:G3}, " +
            $"same decision on {agreement:P2} of the windows; wrote {int8Path}, {floatPath}, {Path.Combine(directory, BundleFiles.Manifest)}");
    }

    private (double[] Float, double[] Int8) Score(InferenceOptions options, string floatPath, string int8Path, List<float[]> standardized)
    {
        using var runtime = InferenceRuntime.Create(options);
        using var floatModel = new OnnxWindowModel(runtime.LoadModel(floatPath), string.Empty, string.Empty);
        using var int8Model = new OnnxWindowModel(runtime.LoadModel(int8Path), string.Empty, string.Empty);
        var floats = new double[standardized.Count];
        var int8 = new double[standardized.Count];
        for (var i = 0; i < standardized.Count; i++)
        {
            floats[i] = Error(floatModel, standardized[i]);
            int8[i] = Error(int8Model, standardized[i]);
        }

        return (floats, int8);
    }

    private static double Error(OnnxWindowModel model, float[] z)
    {
        z.CopyTo(model.Input);
        model.Run();
        var output = model.Output;
        double sum = 0;
        for (var i = 0; i < z.Length; i++)
        {
            sum += (z[i] - output[i]) * (double)(z[i] - output[i]);
        }

        return sum / z.Length;
    }
}
