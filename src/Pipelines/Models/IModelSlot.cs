using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// A running pipeline's model slot as an update sees it, whatever the pipeline's kind: load a candidate, check that
/// it fits, smoke-test it, shadow it, swap it in between two windows or frames, and read the counters a health
/// watch compares. Implemented by <see cref="ModelSlot{TModel}"/>; the OTA deployment talks only to this.
/// </summary>
public interface IModelSlot
{
    /// <summary>"windows" or "frames", for messages.</summary>
    string Unit { get; }

    ModelCounters Counters { get; }

    /// <summary>The alert threshold in force now.</summary>
    double RaiseThreshold { get; }

    /// <summary>A copy of the model's input as the pipeline last wrote it (zeros before any window or frame).</summary>
    byte[] LatestInput();

    /// <inheritdoc cref="IModelKind{TModel}.Load"/>
    ModelCandidate Load(InferenceRuntime runtime, PipelineOptions options, string modelPath);

    /// <summary>Null when the candidate can replace the model; otherwise why not.</summary>
    string? Fit(ModelCandidate candidate);

    /// <summary>
    /// The candidate's first runs, before it goes near the loop: the golden input/output of model.json when present,
    /// otherwise the latest input must give finite outputs. Also warms the session up.
    /// </summary>
    /// <returns>Null when it passes; otherwise what went wrong, in plain words.</returns>
    string? SmokeTest(ModelCandidate candidate, string manifestPath);

    /// <summary>Attaches a shadow of the candidate; null when another shadow is attached.</summary>
    ModelShadow? AttachShadow(ModelCandidate candidate, double raiseThreshold, ServingManifest? manifest, PipelineOptions options);

    void DetachShadow(ModelShadow shadow);

    /// <summary>
    /// Hands the candidate (with its manifest, or <paramref name="threshold"/> when it brings none) to the loop and
    /// waits until the loop takes it; null when it was not taken within <paramref name="timeout"/> (withdrawn).
    /// </summary>
    Task<SwapOutcome?> SwapAsync(ModelCandidate candidate, ServingManifest? manifest, double? threshold, TimeSpan timeout, CancellationToken cancellationToken);
}
