using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// What differs between the kinds of pipeline (sensor windows, camera frames) for their <see cref="ModelSlot{TModel}"/>:
/// how a candidate is loaded from a model file, whether it fits the live pipeline, how its input is filled and how a
/// shadow of it is scored. Everything else (swap, shadow bookkeeping, counters, error policy, the manifest's
/// threshold and standardisation) is the slot's, the same for every kind.
/// </summary>
public interface IModelKind<TModel>
    where TModel : class, IPipelineModel
{
    /// <summary>What the pipeline scores, for messages: "windows" or "frames".</summary>
    string Unit { get; }

    /// <summary>Loads a candidate in its own session.</summary>
    /// <exception cref="ModelLoadException">The file is not a model ONNX Runtime can load.</exception>
    /// <exception cref="InvalidDataException">It is a model, but not one this pipeline can use (the message says why).</exception>
    TModel Load(InferenceRuntime runtime, PipelineOptions options, string modelPath);

    /// <summary>Null when <paramref name="candidate"/> can replace <paramref name="active"/>; otherwise why not.</summary>
    string? Fit(TModel candidate, TModel active);

    /// <summary>The model's input tensor as bytes (the latest window or frame, as the pipeline wrote it).</summary>
    Span<byte> Input(TModel model);

    /// <summary>How many values the input takes (the length a golden input must have).</summary>
    long InputLength(TModel model);

    /// <summary>Writes golden model-input values (a smoke test's input).</summary>
    void WriteInput(TModel model, ReadOnlySpan<float> values);

    /// <summary>A shadow of <paramref name="candidate"/> with a scorer of its own, alerting at <paramref name="raiseThreshold"/>.</summary>
    ModelShadow<TModel> CreateShadow(TModel candidate, double raiseThreshold, ServingManifest? manifest, PipelineOptions options);
}
