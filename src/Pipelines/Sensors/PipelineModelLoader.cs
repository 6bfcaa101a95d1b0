using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>
/// Loads a sensor pipeline's ONNX model with its manifest and checks that model, manifest and feature pipeline
/// agree, so a mismatch stops the agent at start with both shapes named instead of scoring garbage.
/// </summary>
public static class PipelineModelLoader
{
    /// <summary>Where a relative model path is looked for: beside the executable (bundled models), then the working directory.</summary>
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var bundled = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(bundled) ? bundled : Path.GetFullPath(path);
    }

    public static ModelBinding Load(InferenceRuntime runtime, PipelineOptions options, FeaturePipeline features, string modelPath)
    {
        var manifest = ServingManifest.Beside(options, modelPath);
        var session = ModelSessionLoader.Load(runtime, options, modelPath);

        try
        {
            var model = new OnnxWindowModel(session, options.Model.Input, options.Model.Output);
            Check(options, features, manifest, model, modelPath);
            if (manifest is { Mean: { } mean, Std: { } std })
            {
                features.Standardization?.Set(mean, std);
            }

            return new ModelBinding(model, manifest?.Threshold);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            session.Dispose();
            throw new ModelUnusableException($"pipeline '{options.Name}': {ex.Message}", ex);
        }
    }

    private static void Check(PipelineOptions options, FeaturePipeline features, ServingManifest? manifest, OnnxWindowModel model, string modelPath)
    {
        if (model.Input.Length != features.Length)
        {
            throw new InvalidDataException(
                $"{modelPath} takes {model.Input.Length} input values but the feature pipeline writes {features.Length} " +
                $"({string.Join(", ", features.Names.Take(8))}{(features.Length > 8 ? ", ..." : string.Empty)}); recalibrate the model for this pipeline or fix pipelines.features");
        }

        if (manifest is null)
        {
            if (options.Alert.RaiseThreshold is null)
            {
                throw new InvalidDataException($"{modelPath} has no model.json beside it, so there is no threshold: set alert.raiseThreshold or calibrate the model");
            }

            return;
        }

        // A sensor manifest always names its features (ServingManifest.Read requires them for this kind).
        if (manifest.Features is { } calibrated && !calibrated.SequenceEqual(features.Names))
        {
            throw new InvalidDataException(
                $"model {manifest.Name} {manifest.Version} was calibrated on [{string.Join(", ", calibrated)}] but the pipeline computes [{string.Join(", ", features.Names)}]");
        }

        if (features.Standardization is null)
        {
            throw new InvalidDataException("the model expects standardised features: add a { \"kind\": \"standardize\" } step at the end of pipelines.features");
        }
    }
}
