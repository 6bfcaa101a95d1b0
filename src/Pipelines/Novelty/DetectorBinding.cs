using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Pipelines.Novelty;

/// <summary>The model binding of a pipeline without an ONNX model: the built-in detector over its features.</summary>
public static class DetectorBinding
{
    /// <summary>
    /// Checked here, when the detector is chosen, rather than in option validation: a configuration without a model
    /// is also valid for verbs that never score (simulate, calibrate).
    /// </summary>
    public static ModelBinding Create(PipelineOptions options, FeaturePipeline features)
    {
        if (options.Scorer.Kind != ScorerKind.Output)
        {
            throw new ConfigurationException(
                $"pipeline '{options.Name}' has no model.path, so the built-in detector scores the features and emits the score itself: set scorer.kind to 'output' (or set model.path)");
        }

        if (options.Alert.RaiseThreshold is null && !options.Alert.Adaptive.Enabled)
        {
            throw new ConfigurationException(
                $"pipeline '{options.Name}' has no model.path, so there is no model manifest to take a threshold from: set alert.raiseThreshold (resonance detector: a confidence 0..1, e.g. 0.3; shapes detector: standard deviations, e.g. 2) or enable alert.adaptive");
        }

        IWindowModel model = options.Detector.Kind == DetectorKind.Resonance
            ? new ResonanceDetector(features.Length, options.Detector)
            : new NoveltyDetector(features.Length, options.Detector);
        return new ModelBinding(model, null);
    }
}
