using EdgeAgent.Pipelines.Configuration;
using System.Text.Json;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// What a pipeline takes from a model's <c>model.json</c> when the model serves, for either kind: its name and
/// version, the alert threshold and (sensor models) the features it was calibrated on and their standardisation.
/// Applied by the model slot in the same step as the model itself.
/// </summary>
public sealed record ServingManifest(
    string Name, string Version, double? Threshold, IReadOnlyList<double>? Mean = null, IReadOnlyList<double>? Std = null, IReadOnlyList<string>? Features = null)
{
    /// <summary>The model.json beside a model file.</summary>
    public static string PathBeside(string modelPath) => Path.Combine(Path.GetDirectoryName(modelPath)!, ModelManifest.FileName);

    /// <summary>Reads <paramref name="manifestPath"/> for a pipeline of <paramref name="kind"/>; null when there is no such file.</summary>
    /// <exception cref="InvalidDataException">The manifest is invalid for that kind (the message says which field; "plausible" when a value is out of range).</exception>
    public static ServingManifest? Read(PipelineKind kind, string manifestPath) =>
        File.Exists(manifestPath) ? From(kind, ModelManifest.Parse(File.ReadAllBytes(manifestPath))) : null;

    /// <summary>The manifest beside a pipeline's model file at start-up; null when there is none.</summary>
    /// <exception cref="ModelUnusableException">It is invalid for the pipeline's kind (the message names the pipeline, the file and the field).</exception>
    public static ServingManifest? Beside(PipelineOptions options, string modelPath)
    {
        var manifestPath = PathBeside(modelPath);
        try
        {
            return Read(options.Kind, manifestPath);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelUnusableException($"pipeline '{options.Name}': {manifestPath}: {ex.Message}", ex);
        }
    }

    public static ServingManifest From(PipelineKind kind, ModelManifest manifest)
    {
        if (kind == PipelineKind.Sensor)
        {
            var sensor = SensorModelManifest.From(manifest);
            return new ServingManifest(sensor.Name, sensor.Version, sensor.Threshold, sensor.Mean, sensor.Std, sensor.Features);
        }

        // A camera model's threshold is optional (alert.raiseThreshold may be configured) and may be negative.
        if (!manifest.Document.TryGetProperty("threshold", out var value))
        {
            return new ServingManifest(manifest.Name, manifest.Version, null);
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var threshold) || !double.IsFinite(threshold))
        {
            throw new InvalidDataException("model.json: 'threshold' must be a number");
        }

        return ModelPlausibility.CheckSignedThreshold(threshold) is { } implausible
            ? throw new InvalidDataException($"model.json: {implausible}")
            : new ServingManifest(manifest.Name, manifest.Version, threshold);
    }
}
