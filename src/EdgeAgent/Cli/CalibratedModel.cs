using System.Globalization;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Cli;

/// <summary>A calibrated baseline and how it is written out: both ONNX variants, checked in the runtime, and model.json.</summary>
internal sealed class CalibratedModel
{
    /// <summary>The int8 model must decide as the float model does on this share of the normal windows at least.</summary>
    private const double MinimumAgreement = 0.99;

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
        if (Degenerate(worst, agreement) is { } problem)
        {
            // No half-written bundle: without model.json the files would look like a model that failed to load.
            File.Delete(floatPath);
            File.Delete(int8Path);
            throw new InvalidDataException(problem);
        }

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

    /// <summary>
    /// Why the learned threshold cannot work, or null. Normal windows that vary along fewer directions than the model
    /// keeps (a perfectly repeating pattern, a flat line) reconstruct with no error at all, so the threshold falls to
    /// its floor, below the int8 model's own rounding; and a threshold within that rounding makes the shipped int8
    /// model decide differently from the float one on normal windows. Both used to pass, with a report of "same
    /// decision on 50% of the windows" and a replay that raised on normal data and never cleared.
    /// </summary>
    private string? Degenerate(double int8Error, double agreement)
    {
        var floor = _baseline.Threshold <= PcaCalibrator.ThresholdFloor;
        if (!floor && agreement >= MinimumAgreement)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"calibration is degenerate: the {_set.Rows.Count} normal windows are reconstructed {(floor ? "with no error (their features vary along fewer directions than the model keeps: a perfectly repeating or flat signal)" : "almost exactly")}, " +
            $"so the threshold ({_baseline.Threshold:G3}) is within the int8 model's rounding error ({int8Error:G3}): it decides like the float model on only {agreement:P1} of the normal windows and would flag normal data at random; " +
            $"nothing was written. Calibrate on normal data that varies as the live signal does (a longer --take), or with other window sizes or features.");
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
